import { isOrdinaryForAutoencoder, scoreEnsemble } from './ensemble';

describe('the ensemble of the autoencoder and LDA', () => {
  const autoencoderReference = Array.from({ length: 100 }, (_v, i) => i / 100);
  const ldaReference = Array.from({ length: 100 }, (_v, i) => 0.01 + i / 100);

  it('ranks an event odd to either detector above ordinary ones and flags it at the 5 % level', () => {
    const result = scoreEnsemble({
      // event 0: huge error, usual word; 1: usual error, word unseen for its IP; 2 and 3: ordinary
      autoencoderErrors: [5, 0.3, 0.4, 0.2],
      autoencoderReference,
      ldaProbabilities: [0.5, 0, 0.6, 0.7],
      ldaReference,
    });
    expect(Array.from(result.ranks.slice(0, 2)).sort()).toEqual([1, 2]);
    expect(Array.from(result.flagged)).toEqual([1, 1, 0, 0]);
    expect(result.rule).toBe('Fisher-combined p-value <= 0.05');
    expect(result.pValues?.[0]).toBeLessThan(0.05);
  });

  it('flags the top alpha share of the window for a rank fusion', () => {
    const errors = Array.from({ length: 100 }, (_v, i) => i / 100);
    const result = scoreEnsemble({ autoencoderErrors: errors, autoencoderReference, ldaProbabilities: errors.map((e) => 1 - e), ldaReference, method: 'rank-average', alpha: 0.1 });
    expect(result.flagged.reduce((a, b) => a + b, 0)).toBe(10);
    expect(result.ranks[99]).toBe(1);
  });

  it('counts events the autoencoder cannot score (NaN) as ordinary, and those above its threshold as not', () => {
    expect(isOrdinaryForAutoencoder(NaN, 0.1)).toBe(true);
    expect(isOrdinaryForAutoencoder(0.1, 0.1)).toBe(true);
    expect(isOrdinaryForAutoencoder(0.11, 0.1)).toBe(false);
  });

  it('refuses inputs of different lengths and an alpha outside (0, 1)', () => {
    expect(() => scoreEnsemble({ autoencoderErrors: [1], autoencoderReference, ldaProbabilities: [], ldaReference })).toThrow('1 autoencoder errors but 0 LDA probabilities');
    expect(() => scoreEnsemble({ autoencoderErrors: [], autoencoderReference, ldaProbabilities: [], ldaReference, alpha: 1 })).toThrow('alpha must be within (0, 1), got 1');
  });
});
