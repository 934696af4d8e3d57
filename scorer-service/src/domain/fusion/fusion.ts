/**
 * One ranking out of several detectors' scores. The detectors speak different units (an LDA probability, an
 * autoencoder's squared error, an isolation depth), so scores are first turned into something comparable:
 *
 * - `fisher` (default): each score becomes an upper-tail p-value, the share of a reference population scoring
 *   at least as suspiciously. The autoencoder's reference is its benign validation errors (so its p-value is
 *   calibrated on known-good traffic); the LDA's is the window itself (it is transductive, as in Spot). The
 *   p-values are combined with Fisher's method, X = -2 sum ln p_i, and the fused p-value is the chi-square
 *   upper tail of X with 2m degrees of freedom. An event very unlikely under either model ranks high, and one
 *   that is mildly odd to both outranks one that is mildly odd to only one.
 * - `rank-average`: the mean of each detector's percentile rank in the window (Borda count).
 * - `reciprocal-rank`: sum of 1 / (60 + rank), which rewards being near the top of any one list (RRF, Cormack
 *   et al. 2009).
 * - `max-rank`: the highest percentile rank of any detector; ties broken by the mean.
 *
 * Every fused score is "higher = more suspicious"; `fusedRanks` turns it into 1 = most suspicious.
 */

export type FusionMethod = 'fisher' | 'rank-average' | 'reciprocal-rank' | 'max-rank';
export const FUSION_METHODS: readonly FusionMethod[] = ['fisher', 'rank-average', 'reciprocal-rank', 'max-rank'];

export interface FusionComponent {
  /** Higher = more suspicious. */
  scores: ArrayLike<number>;
  /**
   * Scores of a reference population that is mostly or wholly normal (higher = more suspicious), against which
   * p-values are computed. Without one, the p-value of a score is its upper-tail share of `scores` themselves.
   */
  reference?: ArrayLike<number>;
}

export interface Fused {
  /** Higher = more suspicious. */
  scores: Float64Array;
  /** The fused p-value per event (`fisher` only); the operating threshold compares it with alpha. */
  pValues?: Float64Array;
}

/** Reciprocal-rank fusion's damping constant (Cormack, Clarke and Buettcher use 60). */
const RRF_K = 60;

function sortedAscending(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/** Index of the first entry of the ascending `sorted` that is >= x (its length when none is). */
function firstAtLeast(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries of the ascending `sorted` that are >= x. */
function countAtLeast(sorted: Float64Array, x: number): number {
  return sorted.length - firstAtLeast(sorted, x);
}

/** Share of the reference beyond which its tail is modelled rather than counted. */
const TAIL_SHARE = 0.05;

/**
 * Upper-tail p-values. Against a reference: (1 + #reference >= s) / (1 + |reference|), the conformal p-value,
 * in the body of the reference distribution; in its top 5 % an exponential tail fitted to the reference's
 * excesses over its 95th percentile (peaks over threshold), p = 0.05 exp(-(s - u) / mean excess). Counting alone
 * would give every score beyond the largest reference value the same p-value, and the ranking of exactly the
 * most suspicious events would then be decided by the other detectors alone. Without a reference:
 * (#scores >= s) / n, which counts the event itself.
 */
export function upperTailPValues(scores: ArrayLike<number>, reference?: ArrayLike<number>): Float64Array {
  return upperTailLogPValues(scores, reference).map(Math.exp);
}

/**
 * A reference population prepared once, against which single scores get upper-tail p-values: what a stream of
 * events needs (each event's p-value without re-sorting the reference). See `upperTailPValues` for the model.
 *
 * With `weights`, the p-value is (1 + W(>= s)) / (1 + W): W(>= s) the summed weight of the reference values at
 * or above s, W the total, and the scored event counts as one unit of weight. Weights of 1 / (events of the same
 * conversation) make the reference count conversations instead of events (see `conversationWeights`).
 */
export class UpperTailReference {
  private readonly sorted: Float64Array;
  private readonly u: number;
  private readonly meanExcess: number;
  private readonly logPAtU: number;
  /**
   * ln p for each position of the first reference value >= the score (0..m): counted, (1 + c) / (1 + m), or
   * weighted, so a p-value costs a binary search and no logarithm.
   */
  private readonly logPAt: Float64Array;

  /**
   * @param tail model the top 5 % with an exponential tail (continuous scores); without it every p-value is
   *   counted, which suits scores with few distinct values, where a tail fitted to ties means nothing.
   * @param weights one positive weight per reference value (counted p-values only).
   */
  constructor(reference: ArrayLike<number>, readonly tail = true, weights?: ArrayLike<number>) {
    if (reference.length === 0) throw new RangeError('an empty reference population gives no p-values');
    const m = reference.length;
    for (let i = 0; i < m; i++) {
      if (Number.isNaN(reference[i])) throw new RangeError(`reference value ${i} is NaN`);
    }
    if (weights !== undefined) {
      if (tail) throw new RangeError('a weighted reference gives counted p-values only (tail = false)');
      if (weights.length !== m) throw new RangeError(`${weights.length} weights for ${m} reference values`);
      for (let i = 0; i < m; i++) {
        if (!(weights[i] > 0) || !Number.isFinite(weights[i])) throw new RangeError(`reference weight ${i} is ${weights[i]}, not a positive number`);
      }
    }
    // Ties ordered by weight, so the sums below and the p-values do not depend on the reference's order.
    const order = Array.from({ length: m }, (_v, i) => i).sort((a, b) => reference[a] - reference[b] || (weights === undefined ? 0 : weights[a] - weights[b]));
    this.sorted = Float64Array.from(order, (i) => reference[i]);
    const tailStart = Math.min(m - 1, Math.floor((1 - TAIL_SHARE) * m));
    this.u = this.sorted[tailStart];
    let excess = 0;
    for (let i = tailStart; i < m; i++) excess += this.sorted[i] - this.u;
    this.meanExcess = excess / (m - tailStart);
    this.logPAtU = Math.log((1 + countAtLeast(this.sorted, this.u)) / (1 + m));
    this.logPAt = new Float64Array(m + 1);
    if (weights === undefined) {
      for (let k = 0; k <= m; k++) this.logPAt[k] = Math.log((1 + m - k) / (1 + m));
    } else {
      // Weight at or above each position, summed from the top so equal values share one figure.
      const above = new Float64Array(m + 1);
      for (let k = m - 1; k >= 0; k--) above[k] = above[k + 1] + weights[order[k]];
      for (let k = 0; k <= m; k++) this.logPAt[k] = Math.min(0, Math.log((1 + above[k]) / (1 + above[0])));
    }
  }

  get size(): number {
    return this.sorted.length;
  }

  /** ln p of one score (higher score = more suspicious = smaller p). */
  logP(score: number): number {
    if (this.tail && score > this.u && this.meanExcess > 0) return this.logPAtU - (score - this.u) / this.meanExcess;
    return this.logPAt[firstAtLeast(this.sorted, score)];
  }
}

/**
 * 1 / (events of the same conversation) for each reference event, so that a reference counts conversations: a
 * conversation of 10,000 events (a flood, a scan of one host, a C2 channel, a busy backup) weighs as much as one
 * of a single event. Keys are whatever identifies a conversation (see `conversationKey`).
 */
export function conversationWeights(keys: ArrayLike<string | number>): Float64Array {
  const counts = new Map<string | number, number>();
  for (let i = 0; i < keys.length; i++) counts.set(keys[i], (counts.get(keys[i]) ?? 0) + 1);
  return Float64Array.from({ length: keys.length }, (_v, i) => 1 / counts.get(keys[i])!);
}

/**
 * The conversation of an event from the documents (IPs) of its sides: the unordered pair of a flow's two IPs, so
 * both directions of a connection are one conversation; the client alone for a DNS lookup or a proxy request.
 */
export function conversationKey(documents: readonly string[]): string {
  if (documents.length === 1) return documents[0];
  return [...documents].sort().join('|');
}

/**
 * The unit a reference event counts in: the attack heuristics' finding it is part of (a port scan of 1,000 hosts,
 * a brute force, a beaconing pair, a tunnel: one finding, whatever number of conversations it spans), else its
 * conversation. Counted by conversation alone, one horizontal scan made its hundreds of probed hosts hundreds of
 * tagged conversations, and a heuristic's hit looked common in the window. Of several findings the first in name
 * order is taken, so the unit does not depend on the order the heuristics report them.
 */
export function referenceUnit(documents: readonly string[], findings: readonly { heuristic: string; subject: string }[] = []): string {
  if (findings.length === 0) return `c ${conversationKey(documents)}`;
  let first = `${findings[0].heuristic} ${findings[0].subject}`;
  for (let i = 1; i < findings.length; i++) {
    const name = `${findings[i].heuristic} ${findings[i].subject}`;
    if (name < first) first = name;
  }
  return `f ${first}`;
}

/**
 * Natural logarithms of `upperTailPValues`, computed without leaving log space: far in the tail a p-value
 * underflows to 0 and every such event would tie at -log 0 = Infinity.
 */
export function upperTailLogPValues(scores: ArrayLike<number>, reference?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  if (reference !== undefined) {
    const prepared = new UpperTailReference(reference);
    for (let i = 0; i < scores.length; i++) out[i] = prepared.logP(scores[i]);
  } else {
    const sorted = sortedAscending(scores);
    for (let i = 0; i < scores.length; i++) out[i] = Math.log(countAtLeast(sorted, scores[i]) / sorted.length);
  }
  return out;
}

/**
 * ln of the chi-square upper tail with an even number of degrees of freedom, in log space throughout, so that
 * the fused evidence of events far in the tail keeps its order instead of underflowing to ln 0.
 */
export function logChiSquareUpperTailEvenDf(x: number, degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 2 || degreesOfFreedom % 2 !== 0) {
    throw new RangeError(`degrees of freedom must be an even integer >= 2, got ${degreesOfFreedom}`);
  }
  if (x <= 0) return 0;
  if (x === Infinity) return -Infinity;
  const half = x / 2;
  const m = degreesOfFreedom / 2;
  // e^(-x/2) sum_{j<m} (x/2)^j / j!: directly while the sum is finite (always, for the few components and the
  // bounded evidence a window fusion has), which is what runs once per event.
  let term = 1;
  let direct = 1;
  for (let j = 1; j < m; j++) {
    term *= half / j;
    direct += term;
  }
  if (Number.isFinite(direct)) return Math.min(0, Math.log(direct) - half);
  // Otherwise ln sum_j exp(t_j) with t_j = j ln(x/2) - ln j! - x/2, by log-sum-exp around the largest term.
  const logHalf = Math.log(half);
  let top = -Infinity;
  let logFactorial = 0;
  for (let j = 0; j < m; j++) {
    if (j > 0) logFactorial += Math.log(j);
    const t = j * logHalf - logFactorial - half;
    if (t > top) top = t;
  }
  let sum = 0;
  logFactorial = 0;
  for (let j = 0; j < m; j++) {
    if (j > 0) logFactorial += Math.log(j);
    sum += Math.exp(j * logHalf - logFactorial - half - top);
  }
  return Math.min(0, top + Math.log(sum));
}

/** How per-detector p-values of one event become one: Fisher's product, or the smallest with Sidak's correction. */
export type PValueCombination = 'fisher' | 'min-p';
export const P_VALUE_COMBINATIONS: readonly PValueCombination[] = ['fisher', 'min-p'];

/**
 * ln of the combined p-value of one event from the ln p-values of the detectors that scored it (absent ones are
 * left out, so events scored by different numbers of detectors stay comparable on the p scale):
 * - `fisher`: X = -2 sum ln p_i, upper tail of chi-square with 2m degrees of freedom. Evidence adds up: an event
 *   mildly odd to several detectors outranks one mildly odd to one.
 * - `min-p`: the strongest single piece of evidence, corrected for having looked m times (Sidak,
 *   1 - (1 - p_min)^m). An uninformative detector cannot dilute a strong one, but agreement earns nothing.
 */
export function combineLogPValues(logPs: readonly number[], method: PValueCombination = 'fisher'): number {
  let sum = 0;
  let smallest = 0;
  for (const logP of logPs) {
    sum += logP;
    if (logP < smallest) smallest = logP;
  }
  return combineSummary(logPs.length, sum, smallest, method);
}

/**
 * `combineLogPValues` from what it needs of the ln p-values: how many, their sum (Fisher) and the smallest (min-p),
 * so a caller scoring a whole window can combine without building an array per event.
 */
export function combineSummary(count: number, sum: number, smallest: number, method: PValueCombination = 'fisher'): number {
  if (count === 0) return 0;
  if (method === 'fisher') return logChiSquareUpperTailEvenDf(-2 * sum, 2 * count);
  if (method === 'min-p') {
    // ln(1 - (1 - p)^m) = ln(-expm1(m ln(1 - p))), with ln(1 - p) = log1p(-p) exact for tiny p.
    const logOneMinusP = Math.log1p(-Math.exp(smallest));
    const combined = Math.log(-Math.expm1(count * logOneMinusP));
    // When p is so small that 1 - p rounds to 1, the correction is m p.
    return Number.isFinite(combined) ? Math.min(0, combined) : Math.min(0, Math.log(count) + smallest);
  }
  throw new RangeError(`unknown p-value combination "${String(method)}"; choose one of ${P_VALUE_COMBINATIONS.join(', ')}`);
}

/** Upper tail of the chi-square distribution with an even number 2m of degrees of freedom (closed form). */
export function chiSquareUpperTailEvenDf(x: number, degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 2 || degreesOfFreedom % 2 !== 0) {
    throw new RangeError(`degrees of freedom must be an even integer >= 2, got ${degreesOfFreedom}`);
  }
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  // e^(-x/2) sum_j (x/2)^j / j!, each term formed in log space so a large x cannot overflow to Infinity x 0.
  const half = x / 2;
  const logHalf = Math.log(half);
  let logFactorial = 0;
  let sum = 0;
  for (let j = 0; j < degreesOfFreedom / 2; j++) {
    if (j > 0) logFactorial += Math.log(j);
    sum += Math.exp(j * logHalf - logFactorial - half);
  }
  return Math.min(1, sum);
}

/** Percentile rank in (0, 1] of each score within `scores` (higher score -> higher rank), ties averaged. */
export function percentileRanks(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // 1-based ranks start+1..end, averaged over the tie.
    const average = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = average / n;
    start = end;
  }
  return ranks;
}

function checkComponents(components: readonly FusionComponent[]): number {
  if (components.length === 0) throw new RangeError('fusion needs at least one component');
  const n = components[0].scores.length;
  for (const [c, component] of components.entries()) {
    if (component.scores.length !== n) throw new RangeError(`component ${c} has ${component.scores.length} scores, component 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(component.scores[i])) throw new RangeError(`component ${c} score ${i} is NaN`);
    }
  }
  return n;
}

export function fuse(components: readonly FusionComponent[], method: FusionMethod = 'fisher'): Fused {
  const n = checkComponents(components);
  const scores = new Float64Array(n);
  if (method === 'fisher') {
    for (const component of components) {
      const logP = upperTailLogPValues(component.scores, component.reference);
      for (let i = 0; i < n; i++) scores[i] += -2 * logP[i];
    }
    const pValues = new Float64Array(n);
    for (let i = 0; i < n; i++) pValues[i] = chiSquareUpperTailEvenDf(scores[i], 2 * components.length);
    return { scores, pValues };
  }
  const ranks = components.map((component) => percentileRanks(component.scores));
  if (method === 'rank-average') {
    for (const r of ranks) for (let i = 0; i < n; i++) scores[i] += r[i] / ranks.length;
  } else if (method === 'reciprocal-rank') {
    // A percentile rank q means (1 - q) n + 1 events rank at or above it (1 = top).
    for (const r of ranks) for (let i = 0; i < n; i++) scores[i] += 1 / (RRF_K + (1 - r[i]) * n + 1);
  } else if (method === 'max-rank') {
    for (let i = 0; i < n; i++) {
      let max = 0;
      let sum = 0;
      for (const r of ranks) {
        if (r[i] > max) max = r[i];
        sum += r[i];
      }
      // The mean, scaled below the smallest rank step, only breaks ties of the maximum.
      scores[i] = max + (sum / ranks.length) * (0.5 / (n + 1));
    }
  } else {
    throw new RangeError(`unknown fusion method "${String(method)}"; choose one of ${FUSION_METHODS.join(', ')}`);
  }
  return { scores };
}

/** 1-based ranks by descending fused score (1 = most suspicious); ties share the best rank of their run. */
export function fusedRanks(scores: ArrayLike<number>): Int32Array {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ranks[order[i]] = i > 0 && scores[order[i]] === scores[order[i - 1]] ? ranks[order[i - 1]] : i + 1;
  }
  return ranks;
}
