import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { FlowAutoencoder, type AutoencoderInfo } from './detector';
import { FLOW_FEATURE_COUNT, FLOW_FEATURE_NAMES, FLOW_FEATURE_SCHEMA_VERSION } from './flowFeatures';
import { MinMaxScaler } from './scaler';

/**
 * A trained autoencoder as the two files tfjs-node would write (`model.json` and `weights.bin`), built here
 * without a file system so the same bytes can go to a directory, an OpenSearch model registry or a test.
 * Everything scoring needs besides the weights (feature schema, scaler, threshold) travels in the model's
 * `userDefinedMetadata`, so the two files are the whole model.
 */

export const AUTOENCODER_MODEL_FORMAT = 'spothreat-flow-autoencoder';
/** Version of this metadata layout (not of the features: see FLOW_FEATURE_SCHEMA_VERSION). */
export const AUTOENCODER_FORMAT_VERSION = 1;
export const WEIGHTS_FILE_NAME = 'weights.bin';

export interface ModelFiles {
  /** Contents of model.json. */
  modelJson: string;
  /** Contents of weights.bin. */
  weights: Uint8Array;
}

/** A model whose files cannot be used by this build; the message says why and what to do. */
export class ModelCompatibilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelCompatibilityError';
  }
}

const infoSchema = z.object({
  featureSchemaVersion: z.number().int(),
  featureNames: z.array(z.string()),
  thresholdPercentile: z.number(),
  epochs: z.number().int(),
  batchSize: z.number().int(),
  learningRate: z.number(),
  latentDim: z.number().int(),
  outputActivation: z.enum(['tanh', 'linear']),
  seed: z.number().int(),
  trainingRows: z.number().int(),
  validationRows: z.number().int(),
  rowsMissingFeatures: z.number().int(),
  finalLoss: z.number().nullable(),
  finalValidationLoss: z.number().nullable(),
});

const metadataSchema = z.object({
  format: z.literal(AUTOENCODER_MODEL_FORMAT),
  formatVersion: z.literal(AUTOENCODER_FORMAT_VERSION),
  featureSchemaVersion: z.number().int(),
  threshold: z.number().nonnegative(),
  referenceErrors: z.array(z.number()),
  scaler: z.object({
    min: z.array(z.number()).length(FLOW_FEATURE_COUNT),
    max: z.array(z.number()).length(FLOW_FEATURE_COUNT),
    enabled: z.number().int(),
  }),
  info: infoSchema,
});

type AutoencoderMetadata = z.infer<typeof metadataSchema>;

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.record(z.string(), z.unknown())) })).min(1),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
});

/** The model's artifacts as tfjs hands them to a save handler, with our metadata added. */
export async function autoencoderArtifacts(detector: FlowAutoencoder): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await detector.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new Error('tfjs did not hand the model artifacts to the save handler');
  const metadata: AutoencoderMetadata = {
    format: AUTOENCODER_MODEL_FORMAT,
    formatVersion: AUTOENCODER_FORMAT_VERSION,
    featureSchemaVersion: detector.info.featureSchemaVersion,
    threshold: detector.threshold,
    referenceErrors: Array.from(detector.referenceErrors),
    scaler: { min: [...detector.scaler.state.min], max: [...detector.scaler.state.max], enabled: detector.scaler.state.enabled },
    info: { ...detector.info, finalLoss: finiteOrNull(detector.info.finalLoss), finalValidationLoss: finiteOrNull(detector.info.finalValidationLoss) },
  };
  return { ...captured, userDefinedMetadata: { spothreat: metadata } };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** model.json + weights.bin, laid out exactly as tfjs-node's file system handler writes them. */
export async function autoencoderToFiles(detector: FlowAutoencoder): Promise<ModelFiles> {
  const artifacts = await autoencoderArtifacts(detector);
  const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  return { modelJson: JSON.stringify(modelJson), weights: new Uint8Array(weightData) };
}

/**
 * Reads the metadata of a model.json and fails, before any weight is loaded, when this build cannot score with
 * it: another feature schema, another metadata layout, or not an autoencoder of ours at all.
 */
export function readAutoencoderMetadata(modelJson: string): AutoencoderMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(modelJson);
  } catch (error) {
    throw new ModelCompatibilityError(`model.json is not JSON: ${(error as Error).message}`);
  }
  const outer = modelJsonSchema.safeParse(parsed);
  if (!outer.success) throw new ModelCompatibilityError(`model.json is not a tfjs layers model: ${outer.error.issues.map(describeIssue).join('; ')}`);
  const ours = outer.data.userDefinedMetadata?.spothreat as Record<string, unknown> | undefined;
  if (ours === undefined || ours.format !== AUTOENCODER_MODEL_FORMAT) {
    throw new ModelCompatibilityError(`model.json has no ${AUTOENCODER_MODEL_FORMAT} metadata: it is not a Spothreat flow autoencoder`);
  }
  if (ours.featureSchemaVersion !== FLOW_FEATURE_SCHEMA_VERSION) {
    throw new ModelCompatibilityError(
      `the model was trained on flow feature schema version ${String(ours.featureSchemaVersion)}, this build computes version ` +
        `${FLOW_FEATURE_SCHEMA_VERSION}: retrain the model with this build`,
    );
  }
  if (ours.formatVersion !== AUTOENCODER_FORMAT_VERSION) {
    throw new ModelCompatibilityError(
      `the model's metadata layout is version ${String(ours.formatVersion)}, this build reads version ${AUTOENCODER_FORMAT_VERSION}`,
    );
  }
  const metadata = metadataSchema.safeParse(ours);
  if (!metadata.success) throw new ModelCompatibilityError(`the model's metadata is invalid: ${metadata.error.issues.map(describeIssue).join('; ')}`);
  const names = metadata.data.info.featureNames;
  if (names.length !== FLOW_FEATURE_COUNT || names.some((name, i) => name !== FLOW_FEATURE_NAMES[i])) {
    throw new ModelCompatibilityError(`the model's feature names (${names.join(', ')}) differ from this build's schema version ${FLOW_FEATURE_SCHEMA_VERSION}`);
  }
  return metadata.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** The autoencoder stored as model.json + weights.bin (see `autoencoderToFiles`). */
export async function autoencoderFromFiles(files: ModelFiles): Promise<FlowAutoencoder> {
  const metadata = readAutoencoderMetadata(files.modelJson);
  const json = modelJsonSchema.parse(JSON.parse(files.modelJson));
  const manifest = json.weightsManifest;
  if (manifest.length !== 1 || manifest[0].paths.length !== 1) {
    throw new ModelCompatibilityError(`model.json lists ${manifest.length} weight groups; a Spothreat autoencoder has one file, ${WEIGHTS_FILE_NAME}`);
  }
  const weightSpecs = manifest[0].weights as unknown as tf.io.WeightsManifestEntry[];
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (files.weights.byteLength !== expectedBytes) {
    throw new ModelCompatibilityError(`${WEIGHTS_FILE_NAME} has ${files.weights.byteLength} bytes, model.json describes ${expectedBytes}`);
  }
  const weightData = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format, generatedBy: json.generatedBy }),
  );
  const info: AutoencoderInfo = {
    ...metadata.info,
    finalLoss: metadata.info.finalLoss ?? NaN,
    finalValidationLoss: metadata.info.finalValidationLoss ?? NaN,
  };
  return new FlowAutoencoder(model, new MinMaxScaler(metadata.scaler), metadata.threshold, info, Float32Array.from(metadata.referenceErrors));
}
