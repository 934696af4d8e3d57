import { RANKING_METRIC_KEYS, type RankingMetrics } from '../domain/evaluation/metrics';

/**
 * The same evaluation repeated with several seeds, summarised. The labelled sets are small (a few hundred to a
 * few thousand rows), and the seed drives LDA's starting topics, the autoencoder's initial weights and the
 * forest's trees, so one seed's figures can sit on either side of another detector's by a few rows. A claim such
 * as "the fused ranking is above every single model" is only worth its spread over seeds.
 */

/** One seed's results: each detector's name (as `eval` prints it) and its metrics. */
export interface SeedRun {
  seed: number;
  results: readonly { name: string; metrics: RankingMetrics }[];
}

export interface MetricSpread {
  name: string;
  /** Mean over the seeds that gave a number (NaN metrics, e.g. an AUC without positives, are left out). */
  mean: RankingMetrics;
  min: RankingMetrics;
  max: RankingMetrics;
  /** Seeds on which the detector ran. */
  runs: number;
}

/** Each detector's mean, minimum and maximum of every metric over the runs, in first-seen order. */
export function spreadOverSeeds(runs: readonly SeedRun[]): MetricSpread[] {
  const byName = new Map<string, RankingMetrics[]>();
  for (const run of runs) {
    for (const { name, metrics } of run.results) {
      const list = byName.get(name) ?? [];
      list.push(metrics);
      byName.set(name, list);
    }
  }
  return [...byName].map(([name, list]) => {
    const mean = {} as RankingMetrics;
    const min = {} as RankingMetrics;
    const max = {} as RankingMetrics;
    for (const key of RANKING_METRIC_KEYS) {
      const values = list.map((m) => m[key]).filter((v) => !Number.isNaN(v));
      mean[key] = values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
      min[key] = values.length === 0 ? NaN : Math.min(...values);
      max[key] = values.length === 0 ? NaN : Math.max(...values);
    }
    return { name, mean, min, max, runs: list.length };
  });
}

/** The metrics the fused ranking's target names (PR-AUC and precision@100), on which its standing is counted. */
export const STANDING_METRICS = ['pr_auc', 'precision_at_100'] as const satisfies readonly (keyof RankingMetrics)[];

/** The detectors the fused ranking must beat: Spot's LDA, the paper's autoencoder, the forest baseline. */
export const SINGLE_MODELS: readonly string[] = ['lda', 'autoencoder', 'isolation-forest'];

export interface Standing {
  /** Seeds on which the fused ranking is above the best single model that ran. */
  above: number;
  /** Seeds on which it equals the best (e.g. both at the precision@100 ceiling). */
  level: number;
  below: number;
  /** The seeds it was below on, with the best single model there and its value. */
  belowOn: { seed: number; fused: number; best: string; value: number }[];
}

/**
 * Per seed, the fused ranking's metric against the best of the single models that scored those rows; seeds where
 * the fused ranking or every single model lacks the metric are not counted. Values are compared as printed
 * (rounded to 4 decimals), so a difference in the 16th digit is level, not above.
 */
export function fusedStanding(runs: readonly SeedRun[], metric: keyof RankingMetrics, fusedName = 'fused', singles = SINGLE_MODELS): Standing {
  const standing: Standing = { above: 0, level: 0, below: 0, belowOn: [] };
  const rounded = (v: number) => Math.round(v * 1e4) / 1e4;
  for (const run of runs) {
    const fused = run.results.find((r) => r.name === fusedName)?.metrics[metric];
    if (fused === undefined || Number.isNaN(fused)) continue;
    let best: { name: string; value: number } | undefined;
    for (const r of run.results) {
      const value = r.metrics[metric];
      if (!singles.includes(r.name) || Number.isNaN(value)) continue;
      if (best === undefined || value > best.value) best = { name: r.name, value };
    }
    if (best === undefined) continue;
    const difference = rounded(fused) - rounded(best.value);
    if (difference > 0) standing.above += 1;
    else if (difference === 0) standing.level += 1;
    else {
      standing.below += 1;
      standing.belowOn.push({ seed: run.seed, fused, best: best.name, value: best.value });
    }
  }
  return standing;
}

/** Seeds `first`, `first + 1`, ... (`count` of them). */
export function seedsFrom(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}
