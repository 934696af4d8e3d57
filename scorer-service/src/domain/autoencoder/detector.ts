import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../lda/random';
import { FeatureMatrix, commonFeatures, missingFeaturesReason } from './featureMatrix';
import { FLOW_FEATURE_COUNT, FLOW_FEATURE_NAMES, FLOW_FEATURE_SCHEMA_VERSION, LOG_FEATURES } from './flowFeatures';
import { buildAutoencoder, reconstructionError, type OutputActivation } from './model';
import { MinMaxScaler } from './scaler';
import { percentile, quantiles } from './threshold';

/** How many quantiles of the benign validation errors a model keeps (0 %, 0.1 %, ..., 100 %). */
export const REFERENCE_QUANTILES = 1001;

/** Rows per tensor when scoring: big enough to amortise per-op overhead, small enough for the wasm heap. */
const SCORING_CHUNK_ROWS = 65_536;

export interface AutoencoderTrainingOptions {
  /** Passes over the training rows. Default 90 (the paper). */
  epochs?: number;
  /** Rows per Adam step. Default 32 (Keras' default, which the paper kept). */
  batchSize?: number;
  /** Adam learning rate. Default 0.001 (Keras' default, which the paper kept). */
  learningRate?: number;
  /** Share of the benign rows held out to set the threshold. Default 0.2 (the paper). */
  validationFraction?: number;
  /** Percentile of the held-out errors that becomes the threshold. Default 95 (the paper). */
  thresholdPercentile?: number;
  /** Width of the code layer. Default 12 (the paper). */
  latentDim?: number;
  outputActivation?: OutputActivation;
  /** Seed of the initial weights, the split and the batch order. Default 1. */
  seed?: number;
  /** Called after every epoch. */
  onEpoch?: (report: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean training reconstruction error of the epoch's batches. */
  loss: number;
  /** Mean reconstruction error of the held-out rows after the epoch. */
  validationLoss: number;
}

/** What a model was trained with and on; kept in its metadata. */
export interface AutoencoderInfo {
  featureSchemaVersion: number;
  featureNames: string[];
  thresholdPercentile: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  latentDim: number;
  outputActivation: OutputActivation;
  seed: number;
  trainingRows: number;
  validationRows: number;
  /** Training rows left out because they lacked a feature most rows have. */
  rowsMissingFeatures: number;
  finalLoss: number;
  finalValidationLoss: number;
}

export interface FeatureContribution {
  feature: string;
  /** Share of the row's reconstruction error due to this feature (0..1). */
  share: number;
  /** The flow's value in the feature's own units (raw count, bytes, seconds, port, 0/1). */
  value: number;
  /** What the model reconstructed, in the same units: what a flow like this one usually has. */
  expected: number;
}

export const AUTOENCODER_DEFAULTS = Object.freeze({
  epochs: 90,
  batchSize: 32,
  learningRate: 0.001,
  validationFraction: 0.2,
  thresholdPercentile: 95,
  latentDim: 12,
  outputActivation: 'tanh' as OutputActivation,
  seed: 1,
});

/**
 * The paper's flow autoencoder, trained: a tfjs model, the scaler fitted on its training rows and the
 * threshold on its benign validation errors. A flow whose error exceeds the threshold is anomalous.
 */
export class FlowAutoencoder {
  private readonly errorWeights: Float32Array;

  /**
   * @param referenceErrors quantiles of the benign validation errors (REFERENCE_QUANTILES of them, ascending): a
   *   compact stand-in for the benign error distribution, against which a fusion computes calibrated p-values.
   */
  constructor(
    readonly model: tf.LayersModel,
    readonly scaler: MinMaxScaler,
    readonly threshold: number,
    readonly info: Readonly<AutoencoderInfo>,
    readonly referenceErrors: Float32Array = new Float32Array(0),
  ) {
    if (scaler.width !== FLOW_FEATURE_COUNT) throw new RangeError(`scaler width ${scaler.width} is not ${FLOW_FEATURE_COUNT}`);
    if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new RangeError(`threshold must be a finite number >= 0, got ${threshold}`);
    this.errorWeights = errorWeightsOf(scaler);
  }

  /** Bits of the features this model reads; a row must have all of them. */
  get requiredFeatures(): number {
    return this.scaler.state.enabled;
  }

  /** Why a row with these presence bits cannot be scored, or undefined when it can. */
  cannotScore(present: number): string | undefined {
    return missingFeaturesReason(present, this.requiredFeatures);
  }

  /** Reconstruction error of every row of `matrix` (rows must carry the required features). */
  async score(matrix: FeatureMatrix): Promise<Float32Array> {
    this.assertScorable(matrix);
    const errors = new Float32Array(matrix.rows);
    const width = matrix.width;
    const scaled = new Float32Array(Math.min(matrix.rows, SCORING_CHUNK_ROWS) * width);
    for (let start = 0; start < matrix.rows; start += SCORING_CHUNK_ROWS) {
      const rows = Math.min(SCORING_CHUNK_ROWS, matrix.rows - start);
      this.scaler.transformInto(matrix.slice(start, start + rows), rows, scaled);
      errors.set(await this.errorsOfScaled(scaled.subarray(0, rows * width), rows), start);
    }
    return errors;
  }

  /** Errors of rows already scaled to the model's input (what training and the benchmark use). */
  async errorsOfScaled(scaled: Float32Array, rows: number): Promise<Float32Array> {
    const result = tf.tidy(() => {
      const input = tf.tensor2d(scaled, [rows, FLOW_FEATURE_COUNT]);
      const output = this.model.apply(input, { training: false }) as tf.Tensor2D;
      return reconstructionError(input, output, tf.tensor1d(this.errorWeights));
    });
    try {
      return (await result.data()) as Float32Array;
    } finally {
      result.dispose();
    }
  }

  /**
   * The `top` features that contributed most to each row's error, largest first. Meant for the few flows that
   * are flagged, not for a whole window.
   */
  async explain(matrix: FeatureMatrix, top = 3): Promise<FeatureContribution[][]> {
    this.assertScorable(matrix);
    const scaled = this.scaler.transform(matrix.values.subarray(0, matrix.rows * matrix.width), matrix.rows);
    const reconstructed = tf.tidy(() => this.model.apply(tf.tensor2d(scaled, [matrix.rows, FLOW_FEATURE_COUNT]), { training: false }) as tf.Tensor2D);
    let output: Float32Array;
    try {
      output = (await reconstructed.data()) as Float32Array;
    } finally {
      reconstructed.dispose();
    }
    const explanations: FeatureContribution[][] = [];
    for (let r = 0; r < matrix.rows; r++) {
      const base = r * FLOW_FEATURE_COUNT;
      const parts: { f: number; error: number }[] = [];
      let total = 0;
      for (let f = 0; f < FLOW_FEATURE_COUNT; f++) {
        if (this.errorWeights[f] === 0) continue;
        const d = scaled[base + f] - output[base + f];
        parts.push({ f, error: d * d });
        total += d * d;
      }
      parts.sort((a, b) => b.error - a.error || a.f - b.f);
      explanations.push(
        parts.slice(0, top).map(({ f, error }) => ({
          feature: FLOW_FEATURE_NAMES[f],
          share: total > 0 ? error / total : 0,
          value: inUnits(f, matrix.values[base + f]),
          expected: inUnits(f, this.scaler.inverse(f, output[base + f])),
        })),
      );
    }
    return explanations;
  }

  dispose(): void {
    this.model.dispose();
  }

  private assertScorable(matrix: FeatureMatrix): void {
    if (matrix.width !== FLOW_FEATURE_COUNT) throw new RangeError(`rows have ${matrix.width} features, the model ${FLOW_FEATURE_COUNT}`);
    for (let r = 0; r < matrix.rows; r++) {
      const reason = this.cannotScore(matrix.present[r]);
      if (reason !== undefined) throw new RangeError(`row ${r} ${reason}`);
    }
  }
}

/** A log1p feature back in raw units; the others are already raw. */
function inUnits(f: number, value: number): number {
  return LOG_FEATURES.has(FLOW_FEATURE_NAMES[f]) ? Math.expm1(value) : value;
}

function errorWeightsOf(scaler: MinMaxScaler): Float32Array {
  const weights = new Float32Array(scaler.width);
  let used = 0;
  for (let f = 0; f < scaler.width; f++) if (scaler.uses(f)) used++;
  for (let f = 0; f < scaler.width; f++) if (scaler.uses(f)) weights[f] = 1 / used;
  return weights;
}

function shuffled(n: number, random: SeededRandom): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function resolveOptions(options: AutoencoderTrainingOptions) {
  const o = { ...AUTOENCODER_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<
    Omit<AutoencoderTrainingOptions, 'onEpoch'>
  >;
  const problems: string[] = [];
  if (!Number.isInteger(o.epochs) || o.epochs < 1) problems.push(`epochs must be an integer >= 1, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) problems.push(`batchSize must be an integer >= 1, got ${o.batchSize}`);
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) problems.push(`learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) problems.push(`validationFraction must be within (0, 1), got ${o.validationFraction}`);
  if (!(o.thresholdPercentile > 0 && o.thresholdPercentile <= 100)) {
    problems.push(`thresholdPercentile must be within (0, 100], got ${o.thresholdPercentile}`);
  }
  if (!Number.isInteger(o.latentDim) || o.latentDim < 1) problems.push(`latentDim must be an integer >= 1, got ${o.latentDim}`);
  if (o.outputActivation !== 'tanh' && o.outputActivation !== 'linear') problems.push(`outputActivation must be tanh or linear, got ${o.outputActivation}`);
  if (!Number.isSafeInteger(o.seed)) problems.push(`seed must be an integer, got ${o.seed}`);
  if (problems.length > 0) throw new RangeError(`invalid autoencoder options: ${problems.join('; ')}`);
  return o;
}

/**
 * Trains the autoencoder on benign flows, as the paper does: a seeded 80/20 split, min/max scaling fitted on
 * the 80 %, Adam on the reconstruction error, then the threshold at the 95th percentile of the held-out
 * (benign) rows' errors. The batch order is drawn from the seed, so a run is reproducible.
 */
export async function trainFlowAutoencoder(matrix: FeatureMatrix, options: AutoencoderTrainingOptions = {}): Promise<FlowAutoencoder> {
  const o = resolveOptions(options);
  if (matrix.width !== FLOW_FEATURE_COUNT) throw new RangeError(`rows have ${matrix.width} features, expected ${FLOW_FEATURE_COUNT}`);
  const enabled = commonFeatures(matrix);
  if (enabled === 0) throw new RangeError(`no feature is present in at least half of the ${matrix.rows} training rows`);
  const complete: number[] = [];
  for (let r = 0; r < matrix.rows; r++) if ((matrix.present[r] & enabled) === enabled) complete.push(r);
  const random = new SeededRandom(o.seed);
  const order = shuffled(complete.length, random);
  const validationRows = Math.max(1, Math.round(complete.length * o.validationFraction));
  const trainingRows = complete.length - validationRows;
  if (trainingRows < 2) {
    throw new RangeError(`too few benign rows to train on: ${complete.length} usable (of ${matrix.rows}); at least 3 are needed`);
  }
  const validation = matrix.select(Array.from(order.subarray(0, validationRows), (i) => complete[i]));
  const training = matrix.select(Array.from(order.subarray(validationRows), (i) => complete[i]));

  const scaler = MinMaxScaler.fit(training.values, training.rows, FLOW_FEATURE_COUNT, enabled);
  const trainingScaled = scaler.transform(training.values, training.rows);
  const validationScaled = scaler.transform(validation.values, validation.rows);
  const model = buildAutoencoder({ inputDim: FLOW_FEATURE_COUNT, latentDim: o.latentDim, outputActivation: o.outputActivation, seed: o.seed });
  const provisional = new FlowAutoencoder(model, scaler, 0, {} as AutoencoderInfo);
  const weights = tf.tensor1d(errorWeightsOf(scaler));
  const optimizer = tf.train.adam(o.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batch = new Float32Array(o.batchSize * FLOW_FEATURE_COUNT);
  // The layers' own apply() costs more bookkeeping per call than the two dense layers cost to compute at
  // these sizes; the same arithmetic on the model's variables trains several times faster.
  if (variables.length !== 4) throw new Error(`the autoencoder should have 4 weight tensors, it has ${variables.length}`);
  const [kernel1, bias1, kernel2, bias2] = variables;
  const outputActivation = o.outputActivation === 'tanh' ? tf.tanh : (t: tf.Tensor2D) => t;
  const forward = (x: tf.Tensor2D): tf.Tensor2D =>
    outputActivation(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, kernel1), bias1)), kernel2), bias2) as tf.Tensor2D) as tf.Tensor2D;
  let loss = NaN;
  let validationLoss = NaN;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const batchOrder = shuffled(training.rows, random);
      // Summed on the backend and read once per epoch: reading every step would stall on each batch.
      let lossSum: tf.Scalar = tf.scalar(0);
      for (let start = 0; start < training.rows; start += o.batchSize) {
        const rows = Math.min(o.batchSize, training.rows - start);
        for (let i = 0; i < rows; i++) {
          const r = batchOrder[start + i];
          batch.set(trainingScaled.subarray(r * FLOW_FEATURE_COUNT, (r + 1) * FLOW_FEATURE_COUNT), i * FLOW_FEATURE_COUNT);
        }
        const previous = lossSum;
        lossSum = tf.tidy(() => {
          const x = tf.tensor2d(batch.subarray(0, rows * FLOW_FEATURE_COUNT), [rows, FLOW_FEATURE_COUNT]);
          const cost = optimizer.minimize(
            () => tf.mean(reconstructionError(x, forward(x), weights)) as tf.Scalar,
            true,
            variables,
          ) as tf.Scalar;
          return tf.add(previous, tf.mul(cost, rows));
        });
        previous.dispose();
      }
      loss = (await lossSum.data())[0] / training.rows;
      lossSum.dispose();
      validationLoss = mean(await provisional.errorsOfScaled(validationScaled, validation.rows));
      options.onEpoch?.({ epoch, epochs: o.epochs, loss, validationLoss });
    }
  } finally {
    weights.dispose();
    optimizer.dispose();
  }
  const validationErrors = await provisional.errorsOfScaled(validationScaled, validation.rows);
  const referenceErrors = quantiles(validationErrors, REFERENCE_QUANTILES);
  return new FlowAutoencoder(model, scaler, percentile(validationErrors, o.thresholdPercentile), {
    featureSchemaVersion: FLOW_FEATURE_SCHEMA_VERSION,
    featureNames: [...FLOW_FEATURE_NAMES],
    thresholdPercentile: o.thresholdPercentile,
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    latentDim: o.latentDim,
    outputActivation: o.outputActivation,
    seed: o.seed,
    trainingRows: training.rows,
    validationRows: validation.rows,
    rowsMissingFeatures: matrix.rows - complete.length,
    finalLoss: loss,
    finalValidationLoss: validationLoss,
  }, referenceErrors);
}

function mean(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}
