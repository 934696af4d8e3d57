import { UpperTailReference, chiSquareUpperTailEvenDf, conversationKey, conversationWeights, referenceUnit, combineLogPValues, fuse, fusedRanks, logChiSquareUpperTailEvenDf, percentileRanks, upperTailLogPValues, upperTailPValues } from './fusion';

describe('p-values', () => {
  it('against a reference: (1 + reference at or above) / (1 + reference size), never 0', () => {
    expect(Array.from(upperTailPValues([0.5, 10, 3], [1, 2, 3, 4]))).toEqual([5 / 5, 1 / 5, 3 / 5]);
  });

  it('without a reference: the share of the scores at or above, the event itself included', () => {
    expect(Array.from(upperTailPValues([1, 2, 2, 4]))).toEqual([1, 0.75, 0.75, 0.25]);
  });

  it('models the reference tail beyond its 95th percentile, so scores past every reference value keep their order', () => {
    const reference = Array.from({ length: 100 }, (_v, i) => i);
    // u = 95, mean excess over u = (0 + 1 + 2 + 3 + 4) / 5 = 2, p(u) = 6 / 101
    const logP = upperTailLogPValues([95, 99, 200, 1e6], reference);
    expect(logP[0]).toBeCloseTo(Math.log(6 / 101), 12);
    expect(logP[1]).toBeCloseTo(Math.log(6 / 101) - 2, 12);
    expect(logP[2]).toBeCloseTo(Math.log(6 / 101) - 52.5, 12);
    expect(logP[3]).toBeGreaterThan(-Infinity);
    expect(logP[3]).toBeLessThan(logP[2]);
  });

  it('chi-square upper tail with 2 and 4 degrees of freedom in closed form', () => {
    expect(chiSquareUpperTailEvenDf(2, 2)).toBeCloseTo(Math.exp(-1), 12);
    // scipy.stats.chi2.sf(9.487729, 4) = 0.05
    expect(chiSquareUpperTailEvenDf(9.487729, 4)).toBeCloseTo(0.05, 6);
    expect(chiSquareUpperTailEvenDf(0, 4)).toBe(1);
    expect(chiSquareUpperTailEvenDf(1e6, 4)).toBe(0);
    expect(chiSquareUpperTailEvenDf(Infinity, 4)).toBe(0);
  });
});

describe('fusing two detectors', () => {
  // Event 0 is extreme for A only, 1 for B only, 2 mildly odd to both, 3 and 4 ordinary.
  const a = { scores: [9, 1, 5, 1, 2] };
  const b = { scores: [0, 9, 5, 1, 2] };

  it('Fisher: an event odd to either detector ranks above the ordinary ones, odd to both above all', () => {
    const fused = fuse([a, b], 'fisher');
    // p-values A: .2 1 .4 1 .6, B: 1 .2 .4 .8 .6
    expect(Array.from(fusedRanks(fused.scores))).toEqual([2, 2, 1, 5, 4]);
    // p_A(0) = 1/5 and p_B(0) = 1: X = -2 ln(0.2)
    expect(fused.scores[0]).toBeCloseTo(-2 * Math.log(0.2), 12);
    expect(fused.pValues?.[0]).toBeCloseTo(chiSquareUpperTailEvenDf(-2 * Math.log(0.2), 4), 12);
  });

  it('Fisher: a calibrated reference makes an error beyond every benign one count for more', () => {
    const reference = [0.1, 0.2, 0.3, 0.4];
    const fused = fuse([{ scores: [0.05, 5], reference }, { scores: [1, 1] }], 'fisher');
    expect(fused.pValues?.[1]).toBeLessThan(fused.pValues?.[0] as number);
  });

  it('rank-average is the mean percentile rank, ties averaged', () => {
    expect(Array.from(percentileRanks([3, 1, 1, 2]))).toEqual([1, 0.375, 0.375, 0.75]);
    const fused = fuse([a, b], 'rank-average');
    expect(fused.scores[2]).toBeCloseTo(0.8, 12);
    expect(fused.pValues).toBeUndefined();
  });

  it('reciprocal-rank sums 1 / (60 + rank) over the detectors', () => {
    const fused = fuse([{ scores: [2, 1] }, { scores: [2, 1] }], 'reciprocal-rank');
    expect(fused.scores[0]).toBeCloseTo(2 / 61, 12);
    expect(fused.scores[1]).toBeCloseTo(2 / 62, 12);
  });

  it('max-rank takes the best rank of any detector and breaks its ties by the mean', () => {
    const fused = fuse([a, b], 'max-rank');
    const ranks = fusedRanks(fused.scores);
    // events 0 and 1 share the top percentile rank 1; the mean (1 + 0.2) / 2 vs (0.5 + 1) / 2 puts 1 first
    expect([ranks[1], ranks[0]]).toEqual([1, 2]);
  });

  it('gives tied fused scores the same rank', () => {
    expect(Array.from(fusedRanks([5, 7, 5, 1]))).toEqual([2, 1, 2, 4]);
  });

  it('refuses components of different lengths, NaN scores and unknown methods', () => {
    expect(() => fuse([{ scores: [1] }, { scores: [1, 2] }])).toThrow('component 1 has 2 scores, component 0 has 1');
    expect(() => fuse([{ scores: [NaN] }])).toThrow('component 0 score 0 is NaN');
    expect(() => fuse([a], 'median' as never)).toThrow('unknown fusion method "median"');
  });
});

describe('a prepared reference for one score at a time', () => {
  it('gives the same p-values as the batch function, tail included', () => {
    const reference = Array.from({ length: 100 }, (_v, i) => i);
    const prepared = new UpperTailReference(reference);
    const batch = upperTailLogPValues([3, 95, 99, 200], reference);
    expect([3, 95, 99, 200].map((s) => prepared.logP(s))).toEqual(Array.from(batch));
  });

  it('only counts when the scores take few values: a tail fitted to ties would invent evidence', () => {
    const reference = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2];
    const prepared = new UpperTailReference(reference, false);
    expect(prepared.logP(0)).toBeCloseTo(Math.log(11 / 11), 12);
    expect(prepared.logP(2)).toBeCloseTo(Math.log(2 / 11), 12);
    expect(prepared.logP(50)).toBeCloseTo(Math.log(1 / 11), 12);
  });

  it('refuses an empty reference and NaN in it', () => {
    expect(() => new UpperTailReference([])).toThrow('an empty reference population gives no p-values');
    expect(() => new UpperTailReference([1, NaN])).toThrow('reference value');
  });
});

describe('combining the p-values of one event', () => {
  it('the log chi-square tail matches the closed form, and keeps order where the closed form underflows', () => {
    expect(logChiSquareUpperTailEvenDf(9.487729, 4)).toBeCloseTo(Math.log(0.05), 6);
    expect(logChiSquareUpperTailEvenDf(0, 6)).toBe(0);
    expect(chiSquareUpperTailEvenDf(2000, 4)).toBe(0);
    expect(logChiSquareUpperTailEvenDf(2000, 4)).toBeLessThan(logChiSquareUpperTailEvenDf(1900, 4));
    expect(Number.isFinite(logChiSquareUpperTailEvenDf(2000, 4))).toBe(true);
  });

  it('Fisher adds evidence up: two p-values of 0.01 beat one of 0.01 with one of 1', () => {
    const both = combineLogPValues([Math.log(0.01), Math.log(0.01)], 'fisher');
    const one = combineLogPValues([Math.log(0.01), 0], 'fisher');
    expect(both).toBeLessThan(one);
    expect(combineLogPValues([Math.log(0.01)], 'fisher')).toBeCloseTo(Math.log(0.01), 10);
  });

  it('min-p keeps the strongest evidence, corrected for the number of detectors (Sidak)', () => {
    expect(Math.exp(combineLogPValues([Math.log(0.01), Math.log(0.5)], 'min-p'))).toBeCloseTo(1 - 0.99 ** 2, 12);
    // Far in the tail the correction is m p.
    expect(combineLogPValues([-800, 0, 0], 'min-p')).toBeCloseTo(Math.log(3) - 800, 9);
    expect(combineLogPValues([], 'fisher')).toBe(0);
  });

  it('refuses an unknown combination', () => {
    expect(() => combineLogPValues([0], 'average' as never)).toThrow('unknown p-value combination "average"');
  });
});

describe('a reference counted by conversation', () => {
  // One conversation of 90 events at 10 (a scan, a C2 channel), and ten conversations of one event at 1..10.
  const values = [...Array.from({ length: 90 }, () => 10), ...Array.from({ length: 10 }, (_v, i) => i + 1)];
  const keys = [...Array.from({ length: 90 }, () => 'a|b'), ...Array.from({ length: 10 }, (_v, i) => `c${i}|d`)];

  it('weights every event by 1 / (events of its conversation)', () => {
    const weights = conversationWeights(keys);
    expect(weights[0]).toBeCloseTo(1 / 90, 15);
    expect(weights[95]).toBe(1);
    expect(weights.reduce((sum, w) => sum + w, 0)).toBeCloseTo(11, 12);
  });

  it('p = (1 + conversations at or above) / (1 + conversations): a chatty conversation does not make its own value ordinary', () => {
    const byEvent = new UpperTailReference(values, false);
    const byConversation = new UpperTailReference(values, false, conversationWeights(keys));
    // At 10: 91 of 100 events, but 2 of 11 conversations.
    expect(Math.exp(byEvent.logP(10))).toBeCloseTo(92 / 101, 12);
    expect(Math.exp(byConversation.logP(10))).toBeCloseTo(3 / 12, 12);
    expect(Math.exp(byConversation.logP(5.5))).toBeCloseTo(7 / 12, 12);
    expect(Math.exp(byConversation.logP(11))).toBeCloseTo(1 / 12, 12);
    expect(byConversation.logP(0)).toBe(0);
  });

  it('with equal weights, gives the counted p-values', () => {
    const weighted = new UpperTailReference(values, false, values.map(() => 1));
    const counted = new UpperTailReference(values, false);
    for (const s of [0, 1, 5, 9.5, 10, 11]) expect(weighted.logP(s)).toBeCloseTo(counted.logP(s), 12);
  });

  it('does not depend on the order of the reference', () => {
    const order = values.map((_v, i) => (i * 37) % values.length);
    const shuffled = new UpperTailReference(order.map((i) => values[i]), false, conversationWeights(order.map((i) => keys[i])));
    const original = new UpperTailReference(values, false, conversationWeights(keys));
    for (const s of [0, 3, 10, 12]) expect(shuffled.logP(s)).toBe(original.logP(s));
  });

  it('refuses weights that are not positive, of another length, or with a tail model', () => {
    expect(() => new UpperTailReference([1, 2], false, [1, 0])).toThrow('reference weight 1 is 0');
    expect(() => new UpperTailReference([1, 2], false, [1, NaN])).toThrow('reference weight 1 is NaN');
    expect(() => new UpperTailReference([1, 2], false, [1])).toThrow('1 weights for 2 reference values');
    expect(() => new UpperTailReference([1, 2], true, [1, 1])).toThrow('counted p-values only');
  });

  it('a conversation is the unordered pair of a flow\'s IPs, or the client alone', () => {
    expect(conversationKey(['10.0.0.1', '8.8.8.8'])).toBe(conversationKey(['8.8.8.8', '10.0.0.1']));
    expect(conversationKey(['10.0.0.1', '8.8.8.8'])).not.toBe(conversationKey(['10.0.0.1', '8.8.4.4']));
    expect(conversationKey(['10.0.0.1'])).toBe('10.0.0.1');
  });

  it('counts the events of one heuristic finding as one unit, however many conversations it spans', () => {
    const scan = { heuristic: 'port-scan', subject: '10.0.0.66' };
    const units = Array.from({ length: 500 }, (_v, i) => referenceUnit(['10.0.0.66', `10.0.1.${i}`], [scan]));
    expect(new Set(units).size).toBe(1);
    expect(referenceUnit(['10.0.0.66', '10.0.1.1'])).not.toBe(units[0]);
    // A finding is not confused with a conversation whose key reads the same.
    expect(referenceUnit(['port-scan 10.0.0.66'])).not.toBe(units[0]);
    // Several findings: the same unit whatever order they are reported in.
    const brute = { heuristic: 'brute-force', subject: '10.0.0.66 -> 10.0.1.1:22/TCP' };
    expect(referenceUnit(['10.0.0.66', '10.0.1.1'], [scan, brute])).toBe(referenceUnit(['10.0.0.66', '10.0.1.1'], [brute, scan]));
    // A horizontal scan of 500 hosts is one tagged unit among the window's 10 other conversations, not 500 of 510.
    const values = [...units.map(() => 3), ...Array.from({ length: 10 }, () => 0)];
    const keys = [...units, ...Array.from({ length: 10 }, (_v, i) => referenceUnit([`10.0.2.${i}`, '10.0.0.1']))];
    expect(Math.exp(new UpperTailReference(values, false, conversationWeights(keys)).logP(3))).toBeCloseTo(2 / 12, 12);
  });
});
