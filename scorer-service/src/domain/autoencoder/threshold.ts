function sortedCopy(values: ArrayLike<number>): Float64Array {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < sorted.length; i++) {
    if (Number.isNaN(sorted[i])) throw new RangeError(`percentile input has NaN at index ${i}`);
  }
  return sorted.sort();
}

/** Linear interpolation between closest ranks (NumPy's default) on already sorted values. */
function percentileOfSorted(sorted: Float64Array, q: number): number {
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/**
 * The q-th percentile (0..100) of `values`, linear interpolation between closest ranks (NumPy's default), so a
 * threshold computed here matches the paper's Python tooling on the same errors.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be within 0..100, got ${q}`);
  return percentileOfSorted(sortedCopy(values), q);
}

/** `count` (>= 2) evenly spaced percentiles of `values`, from the minimum (0) to the maximum (100). */
export function quantiles(values: ArrayLike<number>, count: number): Float32Array {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`quantile count must be an integer >= 2, got ${count}`);
  const sorted = sortedCopy(values);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = percentileOfSorted(sorted, (100 * i) / (count - 1));
  return out;
}
