/**
 * Min/max scaling to [-1, 1], fitted on training rows only. Values outside the training range are clipped: a
 * flow ten times larger than anything seen in training is already as far out as the network's tanh can
 * represent, and letting it grow unbounded would let a single feature drown the others in the error.
 */
export interface MinMaxScalerState {
  min: number[];
  max: number[];
  /** Bit i set: feature i is used; an unused feature is fed as 0 and left out of the error. */
  enabled: number;
}

export class MinMaxScaler {
  private readonly offset: Float64Array;
  private readonly factor: Float64Array;

  constructor(readonly state: Readonly<MinMaxScalerState>) {
    const width = state.min.length;
    if (state.max.length !== width) throw new RangeError(`scaler has ${width} minima but ${state.max.length} maxima`);
    this.offset = new Float64Array(width);
    this.factor = new Float64Array(width);
    for (let f = 0; f < width; f++) {
      const lo = state.min[f];
      const hi = state.max[f];
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
        throw new RangeError(`scaler range of feature ${f} is invalid: [${lo}, ${hi}]`);
      }
      // A feature that never varied in training carries no information: it maps to 0 (factor 0).
      const enabled = (state.enabled & (1 << f)) !== 0 && hi > lo;
      this.factor[f] = enabled ? 2 / (hi - lo) : 0;
      this.offset[f] = lo;
    }
  }

  get width(): number {
    return this.state.min.length;
  }

  /** Fits on `rows` x width values (row-major), using only the enabled features. */
  static fit(values: Float64Array, rows: number, width: number, enabled: number): MinMaxScaler {
    if (rows < 1) throw new RangeError('cannot fit a scaler on zero rows');
    const min = new Array<number>(width).fill(0);
    const max = new Array<number>(width).fill(0);
    for (let f = 0; f < width; f++) {
      if ((enabled & (1 << f)) === 0) continue;
      let lo = Infinity;
      let hi = -Infinity;
      for (let r = 0; r < rows; r++) {
        const v = values[r * width + f];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      min[f] = lo;
      max[f] = hi;
    }
    return new MinMaxScaler({ min, max, enabled });
  }

  /** Scales `rows` rows of `values` into `out` (Float32, what the model takes), starting at row `outRow`. */
  transformInto(values: Float64Array, rows: number, out: Float32Array, outRow = 0): void {
    const width = this.width;
    const { offset, factor } = this;
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      const outBase = (outRow + r) * width;
      for (let f = 0; f < width; f++) {
        const k = factor[f];
        if (k === 0) {
          out[outBase + f] = 0;
          continue;
        }
        const scaled = (values[base + f] - offset[f]) * k - 1;
        out[outBase + f] = scaled < -1 ? -1 : scaled > 1 ? 1 : scaled;
      }
    }
  }

  transform(values: Float64Array, rows: number): Float32Array {
    const out = new Float32Array(rows * this.width);
    this.transformInto(values, rows, out);
    return out;
  }

  /** A scaled value of feature `f` back in the feature's units (before scaling). */
  inverse(f: number, scaled: number): number {
    const k = this.factor[f];
    if (k === 0) return this.offset[f];
    return (scaled + 1) / k + this.offset[f];
  }

  /** Whether feature `f` takes part in the model's input and error. */
  uses(f: number): boolean {
    return this.factor[f] !== 0;
  }
}
