import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  WEIGHTS_FILE_NAME,
  autoencoderFromFiles,
  autoencoderToFiles,
  type FlowAutoencoder,
} from '../../domain/autoencoder';

export const MODEL_JSON_FILE_NAME = 'model.json';

/**
 * Writes the autoencoder into `dir` as model.json + weights.bin, the layout tfjs-node's `file://` handler uses, so
 * the directory also loads with `tf.loadLayersModel('file://dir/model.json')` where tfjs-node is installed.
 * Each file is written beside its final name and renamed, so a crash never leaves half a model under the name.
 */
export async function saveAutoencoder(detector: FlowAutoencoder, dir: string): Promise<void> {
  const files = await autoencoderToFiles(detector);
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, WEIGHTS_FILE_NAME), files.weights);
  await writeAtomically(join(dir, MODEL_JSON_FILE_NAME), files.modelJson);
}

/** Loads what `saveAutoencoder` wrote; fails with the reason when the model does not fit this build. */
export async function loadAutoencoder(dir: string): Promise<FlowAutoencoder> {
  const modelJson = await readFile(join(dir, MODEL_JSON_FILE_NAME), 'utf8');
  const weights = await readFile(join(dir, WEIGHTS_FILE_NAME));
  return autoencoderFromFiles({ modelJson, weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) });
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
