/**
 * Autoencoder throughput: training rows/s and inference rows/s on synthetic flows, each beside a baseline measured
 * in the same run, so the ratio means something on a shared machine.
 *
 *   training   rows per second through Adam steps (epochs x rows / time), against the same training on the plain
 *              JS (`cpu`) backend
 *   inference  reconstruction errors per second for already extracted features (scaling + batched tensors in
 *              tf.tidy), against tfjs' `model.predict` with its default batch of 32 rows; target >= 500k rows/s
 *
 * Usage: tsx scorer-service/src/bench/autoencoderBench.ts [--rows N] [--backend auto|wasm|cpu]
 * `bench:ml` imports `runAutoencoderBench`.
 */
import * as tf from '@tensorflow/tfjs';
import { useTfBackend, type TfBackendPreference } from '../adapters/tf/backend';
import { FeatureMatrix, flowFeaturesOf, trainFlowAutoencoder, type FlowAutoencoder } from '../domain/autoencoder';
import { benignFlows } from '../domain/autoencoder/syntheticFlows';

export interface AutoencoderBenchOptions {
  /** Rows scored in the inference measurement. Default 1,000,000. */
  inferenceRows?: number;
  /** Rows trained on. Default 20,000. */
  trainingRows?: number;
  /** Epochs of the training measurement. Default 3. */
  epochs?: number;
  /** Adam batch size. Default the autoencoder's default. */
  batchSize?: number;
  backend?: TfBackendPreference;
}

export interface AutoencoderBenchResult {
  backend: string;
  trainingRows: number;
  epochs: number;
  trainingRowsPerSecond: number;
  /** The same training on the plain JS backend. */
  baselineTrainingRowsPerSecond: number;
  inferenceRows: number;
  inferenceRowsPerSecond: number;
  /** Inference through `model.predict` with its default batch size, on the same backend. */
  baselineInferenceRowsPerSecond: number;
}

function featureMatrix(rows: number, seed: number): FeatureMatrix {
  const matrix = new FeatureMatrix(undefined, rows);
  // Generating a million distinct events would measure the generator; a pool repeated is enough for throughput.
  const pool = benignFlows(Math.min(rows, 50_000), seed);
  for (let i = 0; i < rows; i++) {
    const result = flowFeaturesOf(pool[i % pool.length]);
    if (!result.ok) throw new Error(result.reason);
    matrix.push(result.row);
  }
  return matrix;
}

async function timeTraining(matrix: FeatureMatrix, epochs: number, batchSize: number | undefined): Promise<{ detector: FlowAutoencoder; seconds: number }> {
  const started = performance.now();
  const detector = await trainFlowAutoencoder(matrix, { epochs, batchSize, seed: 1 });
  return { detector, seconds: (performance.now() - started) / 1000 };
}

async function timeInference(detector: FlowAutoencoder, matrix: FeatureMatrix): Promise<number> {
  await detector.score(matrix.select([0, 1, 2, 3]));
  const started = performance.now();
  await detector.score(matrix);
  return (performance.now() - started) / 1000;
}

async function timeDefaultPredict(detector: FlowAutoencoder, matrix: FeatureMatrix, rows: number): Promise<number> {
  const scaled = detector.scaler.transform(matrix.values.subarray(0, rows * matrix.width), rows);
  const started = performance.now();
  const output = tf.tidy(() => detector.model.predict(tf.tensor2d(scaled, [rows, matrix.width])) as tf.Tensor);
  await output.data();
  output.dispose();
  return (performance.now() - started) / 1000;
}

export async function measureAutoencoderThroughput(options: AutoencoderBenchOptions = {}): Promise<AutoencoderBenchResult> {
  const inferenceRows = options.inferenceRows ?? 1_000_000;
  const trainingRows = options.trainingRows ?? 20_000;
  const epochs = options.epochs ?? 3;
  const training = featureMatrix(trainingRows, 1);
  const scoring = featureMatrix(inferenceRows, 2);

  await useTfBackend('cpu');
  const baselineTraining = await timeTraining(training, epochs, options.batchSize);
  baselineTraining.detector.dispose();

  const backend = await useTfBackend(options.backend ?? 'auto');
  const trained = await timeTraining(training, epochs, options.batchSize);
  const fittedRows = trained.detector.info.trainingRows * epochs;
  const inferenceSeconds = await timeInference(trained.detector, scoring);
  // model.predict in batches of 32 is slow; a slice keeps the baseline short while measuring the same rate.
  const predictRows = Math.min(inferenceRows, 100_000);
  const predictSeconds = await timeDefaultPredict(trained.detector, scoring, predictRows);
  trained.detector.dispose();
  return {
    backend,
    trainingRows: trained.detector.info.trainingRows,
    epochs,
    trainingRowsPerSecond: fittedRows / trained.seconds,
    baselineTrainingRowsPerSecond: (baselineTraining.detector.info.trainingRows * epochs) / baselineTraining.seconds,
    inferenceRows,
    inferenceRowsPerSecond: inferenceRows / inferenceSeconds,
    baselineInferenceRowsPerSecond: predictRows / predictSeconds,
  };
}

function perSecond(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M rows/s` : `${(n / 1e3).toFixed(1)} k rows/s`;
}

/** Prints the figures; what `bench:ml` calls. */
export async function runAutoencoderBench(options: AutoencoderBenchOptions = {}): Promise<AutoencoderBenchResult> {
  const r = await measureAutoencoderThroughput(options);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\nautoencoder 18-12-18 (backend ${r.backend}; wall-clock rates)`);
  out(`  training   baseline (cpu backend)         ${perSecond(r.baselineTrainingRowsPerSecond)}`);
  out(
    `  training   ${r.backend.padEnd(30)} ${perSecond(r.trainingRowsPerSecond)}  ` +
      `${(r.trainingRowsPerSecond / r.baselineTrainingRowsPerSecond).toFixed(2)}x the baseline (${r.trainingRows} rows x ${r.epochs} epochs)`,
  );
  out(`  inference  baseline (model.predict, batch 32) ${perSecond(r.baselineInferenceRowsPerSecond)}`);
  const met = r.inferenceRowsPerSecond >= 500_000 ? 'met' : 'NOT met';
  out(
    `  inference  batched errors in tf.tidy        ${perSecond(r.inferenceRowsPerSecond)}  ` +
      `${(r.inferenceRowsPerSecond / r.baselineInferenceRowsPerSecond).toFixed(1)}x the baseline; target >= 500k rows/s: ${met} (${r.inferenceRows} rows)`,
  );
  return r;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const rows = value('--rows');
  runAutoencoderBench({
    inferenceRows: rows === undefined ? undefined : Number(rows),
    backend: value('--backend') as TfBackendPreference | undefined,
  }).catch((error: unknown) => {
    process.stderr.write(`autoencoder bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
