import { FLOW_FEATURE_COUNT, featureNamesIn, type FlowFeatureRow } from './flowFeatures';

/**
 * Feature rows packed row-major into one growing Float64Array, with each row's presence bits beside it: what
 * training and batch scoring take, without one small typed array per flow.
 */
export class FeatureMatrix {
  values: Float64Array;
  present: Int32Array;
  rows = 0;

  constructor(readonly width = FLOW_FEATURE_COUNT, initialRows = 1024) {
    this.values = new Float64Array(initialRows * width);
    this.present = new Int32Array(initialRows);
  }

  static of(rows: readonly FlowFeatureRow[]): FeatureMatrix {
    const matrix = new FeatureMatrix(FLOW_FEATURE_COUNT, Math.max(1, rows.length));
    for (const row of rows) matrix.push(row);
    return matrix;
  }

  push(row: FlowFeatureRow): void {
    if (row.values.length !== this.width) throw new RangeError(`a row has ${row.values.length} values, the matrix ${this.width}`);
    if (this.rows === this.present.length) this.grow();
    this.values.set(row.values, this.rows * this.width);
    this.present[this.rows] = row.present;
    this.rows += 1;
  }

  /**
   * Appends a row filled in place by `fill` (given the matrix's values and the row's offset, it returns the row's
   * present mask), without a row array of its own. When `fill` throws, the matrix is left as it was.
   */
  appendWith(fill: (values: Float64Array, offset: number) => number): number {
    if (this.rows === this.present.length) this.grow();
    const offset = this.rows * this.width;
    this.values.fill(0, offset, offset + this.width);
    this.present[this.rows] = fill(this.values, offset);
    return this.rows++;
  }

  /** Drops the last row (one appended and then found unusable). */
  dropLast(): void {
    if (this.rows > 0) this.rows -= 1;
  }

  /** Forgets every row, keeping the allocated space (a batch matrix reused batch after batch). */
  clear(): void {
    this.rows = 0;
  }

  /** A copy of row `r`. */
  row(r: number): FlowFeatureRow {
    return { values: this.values.slice(r * this.width, (r + 1) * this.width), present: this.present[r] };
  }

  /** The values of rows [start, end) as a view (no copy). */
  slice(start: number, end: number): Float64Array {
    return this.values.subarray(start * this.width, end * this.width);
  }

  /** A new matrix holding the given rows, in the given order. */
  select(rowIndices: ArrayLike<number>): FeatureMatrix {
    const out = new FeatureMatrix(this.width, Math.max(1, rowIndices.length));
    const w = this.width;
    for (let i = 0; i < rowIndices.length; i++) {
      const r = rowIndices[i];
      out.values.set(this.values.subarray(r * w, (r + 1) * w), i * w);
      out.present[i] = this.present[r];
    }
    out.rows = rowIndices.length;
    return out;
  }

  private grow(): void {
    const capacity = this.present.length * 2;
    const values = new Float64Array(capacity * this.width);
    values.set(this.values);
    const present = new Int32Array(capacity);
    present.set(this.present);
    this.values = values;
    this.present = present;
  }
}

/**
 * The features a model trained on `matrix` should use: those present in at least `minShare` of the rows. A
 * source that never records a feature (ports in the cleaned CIC edition) thus trains a model without it, and
 * a feature missing from a few broken rows does not disable it for everyone.
 */
export function commonFeatures(matrix: FeatureMatrix, minShare = 0.5): number {
  let mask = 0;
  for (let f = 0; f < matrix.width; f++) {
    let count = 0;
    for (let r = 0; r < matrix.rows; r++) if (matrix.present[r] & (1 << f)) count++;
    if (matrix.rows > 0 && count >= minShare * matrix.rows) mask |= 1 << f;
  }
  return mask;
}

/** Why a row cannot be scored by a model using the features of `required`, or undefined when it can. */
export function missingFeaturesReason(present: number, required: number): string | undefined {
  const missing = required & ~present;
  if (missing === 0) return undefined;
  return `lacks ${featureNamesIn(missing).join(', ')}, which the model uses`;
}
