import type { RankingMetrics } from '../domain/evaluation/metrics';
import { fusedStanding, seedsFrom, spreadOverSeeds, type SeedRun } from './seeds';

function metrics(prAuc: number, atHundred: number, rocAuc = 0.5): RankingMetrics {
  return {
    precision: 0,
    recall: 0,
    f1: 0,
    accuracy: 0,
    pr_auc: prAuc,
    roc_auc: rocAuc,
    precision_at_10: 0,
    precision_at_100: atHundred,
    precision_at_1000: 0,
    rows: 246,
    positives: 22,
  };
}

function run(seed: number, fused: [number, number], autoencoder: [number, number], forest: [number, number], lda?: [number, number]): SeedRun {
  const results = [
    { name: 'autoencoder', metrics: metrics(...autoencoder) },
    { name: 'isolation-forest', metrics: metrics(...forest) },
    { name: 'concentration', metrics: metrics(0.99, 0.99) },
    { name: 'fused', metrics: metrics(...fused) },
  ];
  if (lda) results.unshift({ name: 'lda', metrics: metrics(...lda) });
  return { seed, results };
}

describe('spreadOverSeeds', () => {
  it('gives the mean, minimum and maximum of every metric per detector', () => {
    const spread = spreadOverSeeds([run(1, [0.8, 0.2], [0.3, 0.22], [0.25, 0.22]), run(2, [0.6, 0.22], [0.2, 0.2], [0.27, 0.22])]);
    const fused = spread.find((s) => s.name === 'fused')!;
    expect(fused.runs).toBe(2);
    expect(fused.mean.pr_auc).toBeCloseTo(0.7, 12);
    expect(fused.min.pr_auc).toBe(0.6);
    expect(fused.max.pr_auc).toBe(0.8);
    expect(fused.mean.precision_at_100).toBeCloseTo(0.21, 12);
    expect(fused.mean.rows).toBe(246);
    expect(spread.map((s) => s.name)).toEqual(['autoencoder', 'isolation-forest', 'concentration', 'fused']);
  });

  it('leaves out a seed whose metric is undefined instead of counting it as 0', () => {
    const [only] = spreadOverSeeds([
      { seed: 1, results: [{ name: 'lda', metrics: metrics(0.5, 0.1, NaN) }] },
      { seed: 2, results: [{ name: 'lda', metrics: metrics(0.7, 0.3, 0.9) }] },
    ]);
    expect(only.mean.roc_auc).toBe(0.9);
    expect(only.min.roc_auc).toBe(0.9);
    const [none] = spreadOverSeeds([{ seed: 1, results: [{ name: 'lda', metrics: metrics(0.5, 0.1, NaN) }] }]);
    expect(none.mean.roc_auc).toBeNaN();
  });
});

describe('fusedStanding', () => {
  const runs = [
    run(1, [0.78, 0.2], [0.27, 0.22], [0.27, 0.22]),
    run(2, [0.58, 0.22], [0.29, 0.22], [0.24, 0.22]),
    run(3, [0.8, 0.22], [0.34, 0.16], [0.22, 0.2]),
    run(4, [0.17, 0.18], [0.24, 0.21], [0.22, 0.22], [0.09, 0.06]),
  ];

  it('counts the seeds on which the fused ranking is above, level with and below the best single model', () => {
    const prAuc = fusedStanding(runs, 'pr_auc');
    expect(prAuc).toMatchObject({ above: 3, level: 0, below: 1 });
    expect(prAuc.belowOn).toEqual([{ seed: 4, fused: 0.17, best: 'autoencoder', value: 0.24 }]);
    const atHundred = fusedStanding(runs, 'precision_at_100');
    expect(atHundred).toMatchObject({ above: 1, level: 1, below: 2 });
    expect(atHundred.belowOn.map((b) => [b.seed, b.best])).toEqual([
      [1, 'autoencoder'],
      [4, 'isolation-forest'],
    ]);
  });

  it('does not count the fused ranking\'s own components as single models, and treats a difference below print precision as level', () => {
    const standing = fusedStanding([run(1, [0.5, 0.3], [0.5 - 1e-12, 0.1], [0.1, 0.1])], 'pr_auc');
    expect(standing).toMatchObject({ above: 0, level: 1, below: 0 });
  });

  it('skips a seed without the fused ranking or without any single model', () => {
    expect(fusedStanding([{ seed: 1, results: [{ name: 'autoencoder', metrics: metrics(0.5, 0.5) }] }], 'pr_auc')).toMatchObject({ above: 0, level: 0, below: 0 });
    expect(fusedStanding([{ seed: 1, results: [{ name: 'fused', metrics: metrics(0.5, 0.5) }] }], 'pr_auc')).toMatchObject({ above: 0, level: 0, below: 0 });
  });
});

describe('seedsFrom', () => {
  it('counts up from the first seed', () => {
    expect(seedsFrom(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(seedsFrom(7, 1)).toEqual([7]);
  });
});
