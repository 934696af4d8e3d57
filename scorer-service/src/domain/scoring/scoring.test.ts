import type { LdaModel } from '../lda/model';
import { LdaExplainer } from './explain';
import { LdaScorer } from './scorer';
import { selectSuspicious, SuspiciousSelector } from './selection';

// Two topics over three words; two IPs with opposite mixes. Small enough to check by hand.
const model: LdaModel = {
  params: { topics: 2, alpha: 1.02, beta: 1.001, iterations: 1, seed: 1, chains: 1 },
  documents: ['10.0.0.1', '10.0.0.2'],
  vocabulary: ['web', 'dns', 'ssh'],
  docTopics: new Float64Array([0.9, 0.1, 0.2, 0.8]),
  // phi transposed: web = (0.7, 0.1), dns = (0.3, 0.1), ssh = (0.0, 0.8)
  wordTopics: new Float64Array([0.7, 0.1, 0.3, 0.1, 0.0, 0.8]),
  trainingTokens: 100,
};

describe('LdaScorer', () => {
  const scorer = new LdaScorer(model);

  it('scores a word as sum over topics of theta times phi', () => {
    expect(scorer.scoreWord('10.0.0.1', 'web')).toBeCloseTo(0.9 * 0.7 + 0.1 * 0.1, 12);
    expect(scorer.scoreWord('10.0.0.2', 'ssh')).toBeCloseTo(0.8 * 0.8, 12);
  });

  it('gives an unseen word a score of 0', () => {
    expect(scorer.scoreWord('10.0.0.1', 'telnet')).toBe(0);
  });

  it('gives an unseen IP a score of 0', () => {
    expect(scorer.scoreWord('192.0.2.9', 'web')).toBe(0);
  });

  it("scores a flow with the lower of its two sides' scores", () => {
    const src = scorer.scoreWord('10.0.0.1', 'ssh');
    const dst = scorer.scoreWord('10.0.0.2', 'ssh');
    expect(src).toBeLessThan(dst);
    expect(scorer.scoreFlow('10.0.0.1', 'ssh', '10.0.0.2', 'ssh')).toBe(src);
    expect(scorer.scoreFlow('10.0.0.2', 'ssh', '10.0.0.1', 'ssh')).toBe(src);
    expect(scorer.scoreFlow('10.0.0.1', 'web', '10.0.0.2', 'unseen')).toBe(0);
  });
});

describe('SuspiciousSelector', () => {
  it('keeps scores <= TOL, lowest first, cut to MAXRESULTS', () => {
    const scores = [0.5, 0.001, 0, 0.2, 0.0005, 0.01, 0.3];
    const selected = selectSuspicious(
      scores.map((score, i) => ({ score, item: i })),
      { tol: 0.25, maxResults: 3 },
    );
    expect(selected).toEqual([
      { score: 0, item: 2 },
      { score: 0.0005, item: 4 },
      { score: 0.001, item: 1 },
    ]);
  });

  it('keeps the earlier event when scores tie at the cut', () => {
    const selected = selectSuspicious(
      [0.1, 0.1, 0.1, 0.05].map((score, i) => ({ score, item: i })),
      { tol: 1, maxResults: 2 },
    );
    expect(selected.map((s) => s.item)).toEqual([3, 0]);
  });

  it('matches a full sort on many random scores while holding only MAXRESULTS', () => {
    const selector = new SuspiciousSelector<number>({ tol: 0.5, maxResults: 100 });
    const scores: number[] = [];
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      scores.push((x % 100_000) / 100_000);
      selector.offer(scores[i], i);
    }
    const expected = scores
      .map((score, item) => ({ score, item }))
      .filter((s) => s.score <= 0.5)
      .sort((a, b) => a.score - b.score || a.item - b.item)
      .slice(0, 100);
    expect(selector.results()).toEqual(expected);
    expect(selector.offeredCount).toBe(20_000);
    expect(selector.underToleranceCount).toBe(scores.filter((s) => s <= 0.5).length);
  });

  it('refuses a NaN score instead of ranking an unscored event', () => {
    const selector = new SuspiciousSelector<string>({ tol: 1, maxResults: 10 });
    expect(() => selector.offer(Number.NaN, 'x')).toThrow('a score is NaN');
  });

  it('refuses a MAXRESULTS that is not a positive integer', () => {
    expect(() => new SuspiciousSelector({ tol: 1, maxResults: 0 })).toThrow('MAXRESULTS must be an integer >= 1');
  });
});

describe('LdaExplainer', () => {
  const explainer = new LdaExplainer(new LdaScorer(model), 2);

  it("puts the event's word and probability next to the IP's most likely words", () => {
    const explanation = explainer.explain('10.0.0.1', 'ssh');
    expect(explanation.word).toBe('ssh');
    expect(explanation.probability).toBeCloseTo(0.08, 12);
    expect(explanation.unseenWord).toBe(false);
    expect(explanation.usualWords.map((u) => u.word)).toEqual(['web', 'dns']);
    expect(explanation.usualWords[0].probability).toBeCloseTo(0.64, 12);
  });

  it('explains a flow by the side that gave it its score', () => {
    const explanation = explainer.explainFlow('10.0.0.2', 'ssh', '10.0.0.1', 'ssh');
    expect(explanation).toMatchObject({ side: 'destination', document: '10.0.0.1', word: 'ssh' });
    expect(explainer.explainFlow('10.0.0.1', 'web', '10.0.0.2', 'dns').side).toBe('destination');
    expect(explainer.explainFlow('10.0.0.1', 'nope', '10.0.0.2', 'dns').side).toBe('source');
  });

  it('says when the word or the IP was never seen', () => {
    expect(explainer.explain('10.0.0.2', 'telnet')).toMatchObject({ probability: 0, unseenWord: true, unseenDocument: false });
    expect(explainer.explain('192.0.2.1', 'web')).toMatchObject({ probability: 0, unseenDocument: true, usualWords: [] });
  });
});
