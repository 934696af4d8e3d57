import { averagePrecision, confusion, precisionAtK, rankingMetrics, rocAuc } from './metrics';

describe('ranking metrics on hand-computed cases', () => {
  // Ranked: + - + - -
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
  const positive = [1, 0, 1, 0, 0];
  const flagged = [1, 1, 0, 0, 0];

  it('counts the confusion matrix at the operating threshold', () => {
    expect(confusion(positive, flagged)).toEqual({ truePositives: 1, falsePositives: 1, trueNegatives: 2, falseNegatives: 1 });
  });

  it('gives precision, recall, F1, accuracy, both AUCs and precision@k', () => {
    expect(rankingMetrics({ scores, positive, flagged })).toEqual({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      accuracy: 0.6,
      // AP = 0.5 x 1/1 + 0.5 x 2/3
      pr_auc: expect.closeTo(5 / 6, 12),
      // 3 of 3 negatives below the first positive, 2 of 3 below the second
      roc_auc: expect.closeTo(5 / 6, 12),
      // fewer rows than k: all 5 rows, 2 positives
      precision_at_10: 0.4,
      precision_at_100: 0.4,
      precision_at_1000: 0.4,
      rows: 5,
      positives: 2,
    });
  });

  it('treats tied scores as one threshold, as scikit-learn does', () => {
    const tied = [1, 1, 1, 0];
    const labels = [1, 0, 0, 1];
    // thresholds 1 (P = 1/3, R = 1/2) and 0 (P = 1/2, R = 1)
    expect(averagePrecision(tied, labels)).toBeCloseTo(0.5 / 3 + 0.25, 12);
    // the positive at 1 ties with both negatives (2 x 0.5), the positive at 0 beats none: 1 of 4 pairs
    expect(rocAuc(tied, labels)).toBeCloseTo(0.25, 12);
  });

  it('gives a tie straddling the k-th place its pro-rata share of positives', () => {
    // top 2 of a 3-way tie holding one positive: 1 x 2/3 expected hits
    expect(precisionAtK([1, 1, 1, 0], [1, 0, 0, 1], 2)).toBeCloseTo(1 / 3, 12);
    expect(precisionAtK([3, 2, 1, 0], [1, 0, 0, 1], 1)).toBe(1);
  });

  it('counts precision@100 over exactly 100 rows when there are more', () => {
    const n = 1000;
    const s = Array.from({ length: n }, (_v, i) => n - i);
    const p = Array.from({ length: n }, (_v, i) => (i < 50 || i >= 900 ? 1 : 0));
    const m = rankingMetrics({ scores: s, positive: p, flagged: new Array(n).fill(0) });
    expect(m.precision_at_10).toBe(1);
    expect(m.precision_at_100).toBe(0.5);
    expect(m.precision_at_1000).toBe(0.15);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
  });

  it('reports both AUCs as NaN when only one class is present', () => {
    const m = rankingMetrics({ scores: [3, 2, 1], positive: [0, 0, 0], flagged: [1, 0, 0] });
    expect(m.pr_auc).toBeNaN();
    expect(m.roc_auc).toBeNaN();
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('gives a perfect ranking AUCs of 1 and a reversed one ROC-AUC 0', () => {
    expect(rocAuc([4, 3, 2, 1], [1, 1, 0, 0])).toBe(1);
    expect(averagePrecision([4, 3, 2, 1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
  });

  it('refuses NaN scores and inputs of different lengths', () => {
    expect(() => rankingMetrics({ scores: [1, NaN], positive: [1, 0], flagged: [0, 0] })).toThrow('score 1 is NaN');
    expect(() => rankingMetrics({ scores: [1], positive: [1, 0], flagged: [0] })).toThrow('scores, labels and flags differ in length: 1, 2, 1');
  });
});
