import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureMatrix, FlowAutoencoder, ModelCompatibilityError, flowFeaturesOf, trainFlowAutoencoder } from '../../domain/autoencoder';
import { benignFlows, outlierFlows } from '../../domain/autoencoder/syntheticFlows';
import { useTfBackend } from './backend';
import { MODEL_JSON_FILE_NAME, loadAutoencoder, saveAutoencoder } from './modelFiles';

function matrixOf(seed: number): FeatureMatrix {
  const matrix = new FeatureMatrix();
  for (const flow of [...benignFlows(300, seed), ...outlierFlows('syn-scan', 5, seed)]) {
    const result = flowFeaturesOf(flow);
    if (!result.ok) throw new Error(result.reason);
    matrix.push(result.row);
  }
  return matrix;
}

describe('autoencoder model files', () => {
  let dir: string;
  let detector: FlowAutoencoder;

  beforeAll(async () => {
    expect(['tensorflow', 'wasm', 'cpu']).toContain(await useTfBackend('auto'));
    dir = await mkdtemp(join(tmpdir(), 'spothreat-ae-'));
    detector = await trainFlowAutoencoder(matrixOf(1), { epochs: 2, seed: 3 });
    await saveAutoencoder(detector, dir);
  });

  afterAll(async () => {
    detector.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes model.json and weights.bin as tfjs-node lays them out, metadata included', async () => {
    const json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE_NAME), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: expect.any(Array) }]);
    expect(json.userDefinedMetadata.spothreat).toMatchObject({
      format: 'spothreat-flow-autoencoder',
      featureSchemaVersion: 1,
      threshold: detector.threshold,
      scaler: { enabled: detector.scaler.state.enabled },
    });
    const weights = await readFile(join(dir, 'weights.bin'));
    expect(weights.byteLength).toBe(4 * (18 * 12 + 12 + 12 * 18 + 18));
  });

  it('loads back a model that scores exactly as the saved one', async () => {
    const loaded = await loadAutoencoder(dir);
    try {
      const rows = matrixOf(2);
      expect(Array.from(await loaded.score(rows))).toEqual(Array.from(await detector.score(rows)));
      expect(loaded.threshold).toBe(detector.threshold);
      expect(loaded.scaler.state).toEqual(detector.scaler.state);
      expect(loaded.info).toEqual(detector.info);
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a model trained on another feature schema version, saying what to do', async () => {
    const other = await mkdtemp(join(tmpdir(), 'spothreat-ae-'));
    try {
      const json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE_NAME), 'utf8'));
      json.userDefinedMetadata.spothreat.featureSchemaVersion = 2;
      await writeFile(join(other, MODEL_JSON_FILE_NAME), JSON.stringify(json));
      await writeFile(join(other, 'weights.bin'), await readFile(join(dir, 'weights.bin')));
      const attempt = loadAutoencoder(other);
      await expect(attempt).rejects.toThrow(ModelCompatibilityError);
      await expect(loadAutoencoder(other)).rejects.toThrow(
        'the model was trained on flow feature schema version 2, this build computes version 1: retrain the model with this build',
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a weights file that does not match model.json', async () => {
    const other = await mkdtemp(join(tmpdir(), 'spothreat-ae-'));
    try {
      await writeFile(join(other, MODEL_JSON_FILE_NAME), await readFile(join(dir, MODEL_JSON_FILE_NAME)));
      await writeFile(join(other, 'weights.bin'), Buffer.alloc(12));
      await expect(loadAutoencoder(other)).rejects.toThrow('weights.bin has 12 bytes, model.json describes 1848');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a tfjs model that is not a Spothreat autoencoder', async () => {
    const other = await mkdtemp(join(tmpdir(), 'spothreat-ae-'));
    try {
      const json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE_NAME), 'utf8'));
      delete json.userDefinedMetadata;
      await writeFile(join(other, MODEL_JSON_FILE_NAME), JSON.stringify(json));
      await writeFile(join(other, 'weights.bin'), await readFile(join(dir, 'weights.bin')));
      await expect(loadAutoencoder(other)).rejects.toThrow('model.json has no spothreat-flow-autoencoder metadata');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
