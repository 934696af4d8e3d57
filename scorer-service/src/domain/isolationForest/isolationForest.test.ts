import { SeededRandom } from '../lda/random';
import { IsolationForest, averagePathLength } from './isolationForest';

/** A tight 3-D cluster of `n` rows followed by `outliers` rows far from it. */
function cloud(n: number, outliers: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  const values = new Float64Array((n + outliers) * 3);
  for (let r = 0; r < n; r++) for (let f = 0; f < 3; f++) values[r * 3 + f] = random.next();
  for (let r = n; r < n + outliers; r++) for (let f = 0; f < 3; f++) values[r * 3 + f] = 5 + 5 * random.next();
  return values;
}

describe('the isolation forest', () => {
  it('uses the average unsuccessful-search path length of a BST as the normaliser', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // 2 (ln 255 + 0.5772...) - 2 x 255 / 256
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
  });

  it('scores far-away rows above every row of the cluster', () => {
    const values = cloud(1000, 10, 1);
    const forest = IsolationForest.fit(values, 1010, 3, { seed: 2 });
    const scores = forest.score(values, 1010);
    const inlierMax = Math.max(...scores.subarray(0, 1000));
    const outlierMin = Math.min(...scores.subarray(1000));
    expect(outlierMin).toBeGreaterThan(inlierMax);
    expect(outlierMin).toBeGreaterThan(0.6);
    for (const s of scores) expect(s > 0 && s <= 1).toBe(true);
  });

  it('is reproducible for a seed and differs for another', () => {
    const values = cloud(300, 3, 4);
    const a = IsolationForest.fit(values, 303, 3, { seed: 9, trees: 20 }).score(values, 303);
    const b = IsolationForest.fit(values, 303, 3, { seed: 9, trees: 20 }).score(values, 303);
    const c = IsolationForest.fit(values, 303, 3, { seed: 10, trees: 20 }).score(values, 303);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('round-trips through JSON with identical scores', () => {
    const values = cloud(200, 2, 5);
    const forest = IsolationForest.fit(values, 202, 3, { trees: 10, sampleSize: 64 });
    const copy = IsolationForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(Array.from(copy.score(values, 202))).toEqual(Array.from(forest.score(values, 202)));
    expect(copy.treeCount).toBe(10);
  });

  it('keeps rows that agree on every feature together instead of splitting forever', () => {
    const values = new Float64Array(50 * 2).fill(3);
    const scores = IsolationForest.fit(values, 50, 2, { trees: 5 }).score(values, 50);
    expect(new Set(scores).size).toBe(1);
  });

  it('refuses non-finite values, saying where', () => {
    const values = Float64Array.from([1, 2, 3, NaN]);
    expect(() => IsolationForest.fit(values, 2, 2)).toThrow('value 1 of row 1 is not finite (NaN)');
  });

  it('refuses a serialised forest of another format version', () => {
    const json = IsolationForest.fit(cloud(10, 0, 1), 10, 3, { trees: 1 }).toJSON();
    expect(() => IsolationForest.fromJSON({ ...json, version: 2 as 1 })).toThrow('isolation forest version 2 is not the version this build reads (1)');
  });
});
