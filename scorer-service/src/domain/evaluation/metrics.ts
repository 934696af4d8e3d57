/**
 * How good a ranking of events is against ground-truth labels. Scores are "higher = more suspicious" (negate
 * an LDA probability before passing it); `flagged` is the model's own decision at its operating threshold.
 *
 * Conventions (chosen to match scikit-learn where it has one):
 * - precision of an empty flagged set, recall without positives and F1 of two zeros are 0;
 * - PR-AUC is average precision, sum over distinct score values of (recall step) x (precision there), i.e.
 *   `sklearn.metrics.average_precision_score`, with no interpolation;
 * - ROC-AUC is the Mann-Whitney statistic with tied scores counted half;
 * - both AUCs are NaN (JSON null) when the labels hold only one class;
 * - precision@k looks at the k highest scores (all rows when there are fewer than k). When the k-th place falls
 *   inside a run of tied scores, the run contributes its share of positives pro rata, the expected precision
 *   over every order of the tie, so no model gains from the order in which rows happened to arrive.
 */

export interface RankingMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  pr_auc: number;
  roc_auc: number;
  precision_at_10: number;
  precision_at_100: number;
  precision_at_1000: number;
  rows: number;
  positives: number;
}

/** The metric keys, in the order `spothreat eval --json` prints them. */
export const RANKING_METRIC_KEYS: readonly (keyof RankingMetrics)[] = [
  'precision',
  'recall',
  'f1',
  'accuracy',
  'pr_auc',
  'roc_auc',
  'precision_at_10',
  'precision_at_100',
  'precision_at_1000',
  'rows',
  'positives',
];

export interface LabelledScores {
  /** Higher = more suspicious. */
  scores: ArrayLike<number>;
  /** True (or 1) for an attack. */
  positive: ArrayLike<boolean | number>;
  /** True (or 1) where the model flags the row at its operating threshold. */
  flagged: ArrayLike<boolean | number>;
}

export interface Confusion {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

function checkLengths(input: LabelledScores): number {
  const n = input.scores.length;
  if (input.positive.length !== n || input.flagged.length !== n) {
    throw new RangeError(`scores, labels and flags differ in length: ${n}, ${input.positive.length}, ${input.flagged.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(input.scores[i])) throw new RangeError(`score ${i} is NaN: a ranking cannot place it`);
  }
  return n;
}

export function confusion(positive: ArrayLike<boolean | number>, flagged: ArrayLike<boolean | number>): Confusion {
  const c: Confusion = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < positive.length; i++) {
    if (flagged[i]) {
      if (positive[i]) c.truePositives++;
      else c.falsePositives++;
    } else if (positive[i]) c.falseNegatives++;
    else c.trueNegatives++;
  }
  return c;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Row indices by descending score; ties keep input order (callers treat ties as groups anyway). */
export function rankOrder(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Calls `visit(groupStart, groupEnd, positivesInGroup)` for each run of equal scores, highest first. */
function forEachTieGroup(order: Int32Array, scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, visit: (start: number, end: number, positives: number) => boolean | void): void {
  let start = 0;
  while (start < order.length) {
    const value = scores[order[start]];
    let end = start;
    let positives = 0;
    while (end < order.length && scores[order[end]] === value) {
      if (positive[order[end]]) positives++;
      end++;
    }
    if (visit(start, end, positives) === false) return;
    start = end;
  }
}

export function averagePrecision(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, order = rankOrder(scores)): number {
  let total = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) total++;
  if (total === 0 || total === positive.length) return NaN;
  let truePositives = 0;
  let sum = 0;
  forEachTieGroup(order, scores, positive, (_start, end, positives) => {
    if (positives === 0) return;
    truePositives += positives;
    sum += (positives / total) * (truePositives / end);
  });
  return sum;
}

export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, order = rankOrder(scores)): number {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // Walking from the highest score: each positive outranks every negative below it; ties count half.
  let negativesAbove = 0;
  let pairs = 0;
  forEachTieGroup(order, scores, positive, (start, end, groupPositives) => {
    const groupNegatives = end - start - groupPositives;
    pairs += groupPositives * (negatives - negativesAbove - groupNegatives) + 0.5 * groupPositives * groupNegatives;
    negativesAbove += groupNegatives;
  });
  return pairs / (positives * negatives);
}

export function precisionAtK(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, k: number, order = rankOrder(scores)): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  const limit = Math.min(k, scores.length);
  if (limit === 0) return 0;
  let hits = 0;
  forEachTieGroup(order, scores, positive, (start, end, positives) => {
    if (end <= limit) {
      hits += positives;
      return end < limit;
    }
    hits += (positives * (limit - start)) / (end - start);
    return false;
  });
  return hits / limit;
}

export function rankingMetrics(input: LabelledScores): RankingMetrics {
  const rows = checkLengths(input);
  const { scores, positive, flagged } = input;
  const c = confusion(positive, flagged);
  const precision = ratio(c.truePositives, c.truePositives + c.falsePositives);
  const recall = ratio(c.truePositives, c.truePositives + c.falseNegatives);
  const order = rankOrder(scores);
  return {
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    accuracy: ratio(c.truePositives + c.trueNegatives, rows),
    pr_auc: averagePrecision(scores, positive, order),
    roc_auc: rocAuc(scores, positive, order),
    precision_at_10: precisionAtK(scores, positive, 10, order),
    precision_at_100: precisionAtK(scores, positive, 100, order),
    precision_at_1000: precisionAtK(scores, positive, 1000, order),
    rows,
    positives: c.truePositives + c.falseNegatives,
  };
}
