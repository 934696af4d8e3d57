import { gunzipSync, gzipSync } from 'node:zlib';
import { autoencoderFromFiles, autoencoderToFiles, type FlowAutoencoder } from '../domain/autoencoder';
import { LDA_MODEL_FORMAT, LDA_MODEL_VERSION, storedLdaParams, topicColumns, type LdaModel } from '../domain/lda';

/**
 * The stored form of an LDA model: gzip of [4-byte header length][header JSON][theta float64][phi float64].
 * Binary rather than C1's JSON form because a day's model holds theta for every IP of the day (hundreds of
 * thousands of rows) and JSON numbers would triple its size; float64 so a loaded model scores exactly as the
 * trained one did.
 */

interface Header {
  format: typeof LDA_MODEL_FORMAT;
  version: typeof LDA_MODEL_VERSION;
  params: LdaModel['params'];
  trainingTokens: number;
  documents: readonly string[];
  vocabulary: readonly string[];
}

export function encodeModel(model: LdaModel): Buffer {
  const header: Header = {
    format: LDA_MODEL_FORMAT,
    version: LDA_MODEL_VERSION,
    params: model.params,
    trainingTokens: model.trainingTokens,
    documents: model.documents,
    vocabulary: model.vocabulary,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);
  const theta = Buffer.from(model.docTopics.buffer, model.docTopics.byteOffset, model.docTopics.byteLength);
  const phi = Buffer.from(model.wordTopics.buffer, model.wordTopics.byteOffset, model.wordTopics.byteLength);
  return gzipSync(Buffer.concat([length, headerBytes, theta, phi]), { level: 6 });
}

export function decodeModel(stored: Buffer): LdaModel {
  const bytes = gunzipSync(stored);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  if (header.format !== LDA_MODEL_FORMAT || header.version !== LDA_MODEL_VERSION) {
    throw new Error(`stored model is ${header.format} v${header.version}; this build reads ${LDA_MODEL_FORMAT} v${LDA_MODEL_VERSION}`);
  }
  const params = storedLdaParams(header.params);
  const K = topicColumns(params);
  const thetaLength = header.documents.length * K;
  const phiLength = header.vocabulary.length * K;
  const start = 4 + headerLength;
  const expected = start + 8 * (thetaLength + phiLength);
  if (bytes.length !== expected) throw new Error(`stored model is ${bytes.length} bytes, expected ${expected}`);
  // Copy into fresh, aligned buffers: a Float64Array view needs an offset that is a multiple of 8.
  const docTopics = new Float64Array(thetaLength);
  Buffer.from(docTopics.buffer).set(bytes.subarray(start, start + 8 * thetaLength));
  const wordTopics = new Float64Array(phiLength);
  Buffer.from(wordTopics.buffer).set(bytes.subarray(start + 8 * thetaLength, expected));
  return {
    params,
    documents: header.documents,
    vocabulary: header.vocabulary,
    docTopics,
    wordTopics,
    trainingTokens: header.trainingTokens,
  };
}

/**
 * The stored form of a flow autoencoder beside its LDA: [4-byte model.json length][model.json][weights.bin], the
 * two files tfjs would write (domain/autoencoder/artifacts.ts), so the scaler, threshold and reference errors
 * travel in model.json's metadata and a loaded model scores exactly as the trained one did.
 */
export async function encodeAutoencoder(detector: FlowAutoencoder): Promise<Buffer> {
  const files = await autoencoderToFiles(detector);
  const json = Buffer.from(files.modelJson, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  return Buffer.concat([length, json, Buffer.from(files.weights.buffer, files.weights.byteOffset, files.weights.byteLength)]);
}

export async function decodeAutoencoder(stored: Buffer): Promise<FlowAutoencoder> {
  if (stored.length < 4) throw new Error(`stored autoencoder is ${stored.length} bytes: truncated`);
  const jsonLength = stored.readUInt32LE(0);
  if (4 + jsonLength > stored.length) throw new Error(`stored autoencoder declares a ${jsonLength}-byte model.json in ${stored.length} bytes: truncated`);
  const modelJson = stored.subarray(4, 4 + jsonLength).toString('utf8');
  // A fresh copy: the weights must start on a 4-byte boundary for tfjs's Float32Array views.
  const weights = new Uint8Array(stored.length - 4 - jsonLength);
  weights.set(stored.subarray(4 + jsonLength));
  return autoencoderFromFiles({ modelJson, weights });
}
