import * as tf from '@tensorflow/tfjs';
import type { FlowEvent } from '../events';
import { FeatureMatrix } from './featureMatrix';
import { FlowAutoencoder, trainFlowAutoencoder } from './detector';
import { flowFeaturesOf } from './flowFeatures';
import { benignFlows, outlierFlows } from './syntheticFlows';

function matrixOf(flows: FlowEvent[]): FeatureMatrix {
  const matrix = new FeatureMatrix();
  for (const flow of flows) {
    const result = flowFeaturesOf(flow);
    if (!result.ok) throw new Error(result.reason);
    matrix.push(result.row);
  }
  return matrix;
}

// The plain JS backend is enough for these sizes; this only silences its advice to install tfjs-node.
tf.env().set('IS_TEST', true);

describe('the flow autoencoder', () => {
  let detector: FlowAutoencoder;
  const epochs: number[] = [];

  beforeAll(async () => {
    detector = await trainFlowAutoencoder(matrixOf(benignFlows(1500, 1)), {
      epochs: 25,
      batchSize: 32,
      learningRate: 0.01,
      seed: 7,
      onEpoch: (report) => epochs.push(report.validationLoss),
    });
  });

  afterAll(() => detector.dispose());

  it('holds 20 % of the benign rows out and sets the threshold from their errors', () => {
    expect(detector.info.validationRows).toBe(300);
    expect(detector.info.trainingRows).toBe(1200);
    expect(detector.threshold).toBeGreaterThan(0);
    expect(epochs).toHaveLength(25);
    expect(epochs[24]).toBeLessThan(epochs[0]);
  });

  it('flags injected outliers and few unseen benign flows', async () => {
    const benign = await detector.score(matrixOf(benignFlows(600, 2)));
    const overThreshold = benign.filter((e) => e > detector.threshold).length / benign.length;
    expect(overThreshold).toBeLessThan(0.12);
    for (const kind of ['exfiltration', 'syn-scan', 'udp-flood'] as const) {
      const errors = await detector.score(matrixOf(outlierFlows(kind, 20, 3)));
      expect({ kind, flagged: errors.filter((e) => e > detector.threshold).length }).toEqual({ kind, flagged: 20 });
    }
  });

  it('explains an exfiltration by the features that are out of line, in their own units', async () => {
    const [explanation] = await detector.explain(matrixOf(outlierFlows('exfiltration', 1, 4)), 3);
    expect(explanation).toHaveLength(3);
    expect(explanation[0].share).toBeGreaterThanOrEqual(explanation[1].share);
    const shares = explanation.reduce((sum, part) => sum + part.share, 0);
    expect(shares).toBeGreaterThan(0.5);
    const sizeOrTime = explanation.filter((part) => /packets|bytes|duration|port/.test(part.feature));
    expect(sizeOrTime.length).toBeGreaterThan(0);
    const packets = explanation.find((part) => part.feature === 'log_source_packets');
    if (packets) expect(packets.value).toBeGreaterThan(packets.expected);
  });

  it('refuses rows that lack a feature the model was trained with, saying which', async () => {
    const portless = benignFlows(1, 5)[0];
    delete portless.destination.port;
    await expect(detector.score(matrixOf([portless]))).rejects.toThrow('row 0 lacks destination_port, which the model uses');
  });
});

describe('training the flow autoencoder', () => {
  it('is reproducible for a seed', async () => {
    const rows = matrixOf(benignFlows(200, 11));
    const a = await trainFlowAutoencoder(rows, { epochs: 3, seed: 5 });
    const b = await trainFlowAutoencoder(rows, { epochs: 3, seed: 5 });
    try {
      expect(b.threshold).toBe(a.threshold);
      expect(Array.from(await b.score(rows))).toEqual(Array.from(await a.score(rows)));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('trains without a feature no training row has, and requires it of nobody', async () => {
    const flows = benignFlows(100, 12).map((flow) => {
      delete flow.source.port;
      delete flow.destination.port;
      return flow;
    });
    const detector = await trainFlowAutoencoder(matrixOf(flows), { epochs: 1 });
    try {
      expect(detector.scaler.uses(9)).toBe(false);
      expect(detector.cannotScore(matrixOf(flows).present[0])).toBeUndefined();
    } finally {
      detector.dispose();
    }
  });

  it('rejects options outside their range with every problem listed', async () => {
    await expect(trainFlowAutoencoder(matrixOf(benignFlows(10, 1)), { epochs: 0, validationFraction: 1.5 })).rejects.toThrow(
      'invalid autoencoder options: epochs must be an integer >= 1, got 0; validationFraction must be within (0, 1), got 1.5',
    );
  });

  it('says how many rows it had when there are too few to train on', async () => {
    await expect(trainFlowAutoencoder(matrixOf(benignFlows(2, 1)))).rejects.toThrow('too few benign rows to train on: 2 usable (of 2)');
  });
});
