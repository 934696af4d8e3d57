import { SeededRandom } from '../lda/random';

/**
 * Isolation Forest (Liu, Ting and Zhou, ICDM 2008), the unsupervised baseline the autoencoder and the fused rank
 * are compared with. Each tree splits a random subsample on a random feature at a random value between that
 * feature's minimum and maximum in the node, until a row stands alone or the height limit ceil(log2 psi) is
 * reached. Anomalies are isolated near the root, so a short average path means suspicious:
 *
 *   score(x) = 2 ^ (-E[h(x)] / c(psi)),   c(n) = 2 H(n - 1) - 2 (n - 1) / n
 *
 * with h(x) the depth reached plus c(leaf size) for the rows the leaf still holds together. Scores lie in (0, 1];
 * around 0.5 and below is ordinary, near 1 is an outlier. Trees are stored flat in typed arrays so a forest is
 * compact, fast to walk and serialisable as plain JSON.
 */

export interface IsolationForestOptions {
  /** Number of trees. Default 100 (the paper's). */
  trees?: number;
  /** Rows drawn, without replacement, for each tree (psi). Default 256 (the paper's). */
  sampleSize?: number;
  /** Seed of the subsamples, features and split values. Default 1. */
  seed?: number;
}

export const ISOLATION_FOREST_FORMAT = 'spothreat-isolation-forest';
export const ISOLATION_FOREST_VERSION = 1;

export interface IsolationForestJson {
  format: typeof ISOLATION_FOREST_FORMAT;
  version: typeof ISOLATION_FOREST_VERSION;
  width: number;
  sampleSize: number;
  /** Node index of each tree's root. */
  roots: number[];
  /** Split feature per node; -1 for a leaf. */
  feature: number[];
  /** Split value per node (rows with value < split go left); for a leaf, the number of sample rows in it. */
  value: number[];
  /** Children per node (-1 for a leaf); always later in the arrays than their parent. */
  left: number[];
  right: number[];
}

const EULER_GAMMA = 0.5772156649015329;

/** Average path length of an unsuccessful search in a binary search tree of n nodes: c(n). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

class NodeStore {
  feature: Int32Array;
  value: Float64Array;
  left: Int32Array;
  right: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.feature = new Int32Array(capacity);
    this.value = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
  }

  add(feature: number, value: number): number {
    if (this.size === this.feature.length) this.grow();
    const id = this.size++;
    this.feature[id] = feature;
    this.value[id] = value;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }

  private grow(): void {
    const capacity = this.feature.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.feature = grow(this.feature, (n) => new Int32Array(n));
    this.value = grow(this.value, (n) => new Float64Array(n));
    this.left = grow(this.left, (n) => new Int32Array(n));
    this.right = grow(this.right, (n) => new Int32Array(n));
  }
}

export class IsolationForest {
  private readonly leafDepthOffset: Float64Array;

  private constructor(
    readonly width: number,
    readonly sampleSize: number,
    private readonly roots: Int32Array,
    private readonly nodes: NodeStore,
  ) {
    // c(size) of every leaf, precomputed: scoring then only walks and adds.
    this.leafDepthOffset = new Float64Array(nodes.size);
    for (let i = 0; i < nodes.size; i++) if (nodes.feature[i] === -1) this.leafDepthOffset[i] = averagePathLength(nodes.value[i]);
  }

  get treeCount(): number {
    return this.roots.length;
  }

  /** Fits on `rows` rows of `width` values, row-major. */
  static fit(values: Float64Array, rows: number, width: number, options: IsolationForestOptions = {}): IsolationForest {
    const trees = options.trees ?? 100;
    const seed = options.seed ?? 1;
    if (!Number.isInteger(trees) || trees < 1) throw new RangeError(`trees must be an integer >= 1, got ${trees}`);
    const requested = options.sampleSize ?? 256;
    if (!Number.isInteger(requested) || requested < 2) throw new RangeError(`sampleSize must be an integer >= 2, got ${requested}`);
    if (rows < 2) throw new RangeError(`an isolation forest needs at least 2 rows, got ${rows}`);
    if (values.length < rows * width) throw new RangeError(`${values.length} values cannot hold ${rows} rows of ${width}`);
    for (let i = 0; i < rows * width; i++) {
      if (!Number.isFinite(values[i])) throw new RangeError(`value ${i % width} of row ${Math.floor(i / width)} is not finite (${values[i]})`);
    }
    const sampleSize = Math.min(requested, rows);
    const heightLimit = Math.ceil(Math.log2(sampleSize));
    const random = new SeededRandom(seed);
    const nodes = new NodeStore(trees * 2 * sampleSize);
    const roots = new Int32Array(trees);
    const pool = new Int32Array(rows);
    for (let i = 0; i < rows; i++) pool[i] = i;
    const sample = new Int32Array(sampleSize);
    const lo = new Float64Array(width);
    const hi = new Float64Array(width);
    const candidates = new Int32Array(width);

    const build = (start: number, end: number, depth: number): number => {
      const n = end - start;
      if (depth >= heightLimit || n <= 1) return nodes.add(-1, n);
      lo.fill(Infinity);
      hi.fill(-Infinity);
      for (let i = start; i < end; i++) {
        const base = sample[i] * width;
        for (let f = 0; f < width; f++) {
          const v = values[base + f];
          if (v < lo[f]) lo[f] = v;
          if (v > hi[f]) hi[f] = v;
        }
      }
      let candidateCount = 0;
      for (let f = 0; f < width; f++) if (hi[f] > lo[f]) candidates[candidateCount++] = f;
      // Rows that agree on every feature cannot be separated: they stay together in one leaf.
      if (candidateCount === 0) return nodes.add(-1, n);
      const feature = candidates[random.nextInt(candidateCount)];
      const split = lo[feature] + random.next() * (hi[feature] - lo[feature]);
      let middle = start;
      for (let i = start; i < end; i++) {
        if (values[sample[i] * width + feature] < split) {
          const t = sample[i];
          sample[i] = sample[middle];
          sample[middle] = t;
          middle++;
        }
      }
      const id = nodes.add(feature, split);
      const left = build(start, middle, depth + 1);
      const right = build(middle, end, depth + 1);
      nodes.left[id] = left;
      nodes.right[id] = right;
      return id;
    };

    for (let t = 0; t < trees; t++) {
      // Partial Fisher-Yates: the first sampleSize places of the pool become a uniform sample without replacement.
      for (let i = 0; i < sampleSize; i++) {
        const j = i + random.nextInt(rows - i);
        const v = pool[i];
        pool[i] = pool[j];
        pool[j] = v;
        sample[i] = pool[i];
      }
      roots[t] = build(0, sampleSize, 0);
    }
    return new IsolationForest(width, sampleSize, roots, nodes);
  }

  /** Anomaly scores in (0, 1] of `rows` rows; higher = easier to isolate = more suspicious. */
  score(values: Float64Array, rows: number): Float64Array {
    if (values.length < rows * this.width) throw new RangeError(`${values.length} values cannot hold ${rows} rows of ${this.width}`);
    const { feature, value, left, right } = this.nodes;
    const offset = this.leafDepthOffset;
    const norm = averagePathLength(this.sampleSize);
    const scores = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const base = r * this.width;
      let total = 0;
      for (let t = 0; t < this.roots.length; t++) {
        let node = this.roots[t];
        let depth = 0;
        while (feature[node] !== -1) {
          node = values[base + feature[node]] < value[node] ? left[node] : right[node];
          depth++;
        }
        total += depth + offset[node];
      }
      scores[r] = Math.pow(2, -(total / this.roots.length) / (norm === 0 ? 1 : norm));
    }
    return scores;
  }

  toJSON(): IsolationForestJson {
    const n = this.nodes.size;
    return {
      format: ISOLATION_FOREST_FORMAT,
      version: ISOLATION_FOREST_VERSION,
      width: this.width,
      sampleSize: this.sampleSize,
      roots: Array.from(this.roots),
      feature: Array.from(this.nodes.feature.subarray(0, n)),
      value: Array.from(this.nodes.value.subarray(0, n)),
      left: Array.from(this.nodes.left.subarray(0, n)),
      right: Array.from(this.nodes.right.subarray(0, n)),
    };
  }

  static fromJSON(json: IsolationForestJson): IsolationForest {
    if (json.format !== ISOLATION_FOREST_FORMAT) throw new Error(`not an isolation forest: format is ${String(json.format)}`);
    if (json.version !== ISOLATION_FOREST_VERSION) {
      throw new Error(`isolation forest version ${String(json.version)} is not the version this build reads (${ISOLATION_FOREST_VERSION})`);
    }
    const n = json.feature.length;
    if (json.value.length !== n || json.left.length !== n || json.right.length !== n) throw new Error('isolation forest node arrays differ in length');
    const nodes = new NodeStore(Math.max(1, n));
    for (let i = 0; i < n; i++) {
      const id = nodes.add(json.feature[i], json.value[i]);
      const leaf = json.feature[i] === -1;
      const inRange = (c: number) => Number.isInteger(c) && c > id && c < n;
      if (!leaf && (json.feature[i] < 0 || json.feature[i] >= json.width || !inRange(json.left[i]) || !inRange(json.right[i]))) {
        throw new Error(`isolation forest node ${i} is malformed`);
      }
      nodes.left[id] = json.left[i];
      nodes.right[id] = json.right[i];
    }
    for (const root of json.roots) if (!Number.isInteger(root) || root < 0 || root >= n) throw new Error(`isolation forest root ${root} is out of range`);
    return new IsolationForest(json.width, json.sampleSize, Int32Array.from(json.roots), nodes);
  }
}
