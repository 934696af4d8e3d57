/**
 * The q-th percentile (0..100) of `values`, linear interpolation between closest ranks (NumPy's default), so a
 * threshold computed here matches the paper's Python tooling on the same errors.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be within 0..100, got ${q}`);
  const n = values.length;
  if (n === 0) throw new RangeError('percentile of no values');
  const sorted = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(sorted[i])) throw new RangeError(`percentile input has NaN at index ${i}`);
  }
  sorted.sort();
  const position = (q / 100) * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
