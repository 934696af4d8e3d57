import { MinMaxScaler } from './scaler';
import { percentile, quantiles } from './threshold';

describe('min/max scaling to [-1, 1]', () => {
  // Three rows of three features: a varying one, a constant one and one the model does not use.
  const rows = Float64Array.from([0, 5, 100, 10, 5, 200, 5, 5, 300]);
  const scaler = MinMaxScaler.fit(rows, 3, 3, 0b011);

  it('maps the training minimum to -1, the maximum to 1 and the middle to 0', () => {
    expect(Array.from(scaler.transform(Float64Array.from([0, 5, 1, 10, 5, 1, 5, 5, 1]), 3))).toEqual([-1, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('clips values outside the training range', () => {
    expect(Array.from(scaler.transform(Float64Array.from([-50, 5, 0, 1e9, 5, 0]), 2))).toEqual([-1, 0, 0, 1, 0, 0]);
  });

  it('feeds a constant or unused feature as 0 and does not count it as used', () => {
    expect([scaler.uses(0), scaler.uses(1), scaler.uses(2)]).toEqual([true, false, false]);
  });

  it('turns a scaled value back into the feature units', () => {
    expect(scaler.inverse(0, 0.5)).toBeCloseTo(7.5, 12);
  });

  it('refuses a range whose maximum is below its minimum', () => {
    expect(() => new MinMaxScaler({ min: [2], max: [1], enabled: 1 })).toThrow('scaler range of feature 0 is invalid: [2, 1]');
  });
});

describe('percentile', () => {
  it('interpolates linearly between closest ranks, like NumPy', () => {
    // numpy.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == 9.55
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 95)).toBeCloseTo(9.55, 12);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([7], 95)).toBe(7);
  });

  it('rejects NaN values and out-of-range percentiles', () => {
    expect(() => percentile([1, NaN], 50)).toThrow('percentile input has NaN at index 1');
    expect(() => percentile([1], 101)).toThrow('percentile must be within 0..100, got 101');
    expect(() => percentile([], 50)).toThrow('percentile of no values');
  });
});

describe('quantiles', () => {
  it('spans the minimum to the maximum in even percentile steps', () => {
    expect(Array.from(quantiles([4, 0, 2, 1, 3], 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(quantiles([0, 10], 3))).toEqual([0, 5, 10]);
  });
});
