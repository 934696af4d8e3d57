import { WindowFusion } from './windowFusion';

// A window of ordinary events: LDA probabilities around 0.1, concentrations around 0.05, no heuristic hit.
const ordinary = (i: number) => ({ lda: 0.05 + (i % 10) / 100, concentration: 0.01 + (i % 7) / 100, heuristics: 0 });
const window = Array.from({ length: 200 }, (_v, i) => ordinary(i));
const references = {
  lda: window.map((e) => e.lda),
  concentration: window.map((e) => e.concentration),
  heuristics: window.map((e) => e.heuristics),
  autoencoder: Array.from({ length: 101 }, (_v, i) => i / 1000),
};

describe('the fused ranking of a window', () => {
  const fusion = new WindowFusion(references);

  it('leaves Spot\'s LDA score out by default and combines with Fisher', () => {
    expect(fusion.components).toEqual(['concentration', 'autoencoder', 'heuristics']);
    expect(fusion.combination).toBe('fisher');
  });

  it('ranks an event that dominates one IP, is tagged by a heuristic and is odd to the autoencoder above ordinary ones', () => {
    const attack = fusion.evaluate({ lda: 0.9, concentration: 0.6, autoencoder: 0.3, heuristics: 2.5 });
    const usual = fusion.evaluate({ ...ordinary(3), autoencoder: 0.02 });
    expect(attack.score).toBeGreaterThan(usual.score);
    expect(attack.pValue).toBeLessThan(1e-4);
    expect(attack.components.heuristics).toBeCloseTo(Math.log10(201), 10);
    expect(attack.components.lda).toBeUndefined();
  });

  it('bounds each component by its reference: an absurd autoencoder error alone does not outrank two strong components', () => {
    const autoencoderOnly = fusion.evaluate({ ...ordinary(3), autoencoder: 1e9 });
    const twoComponents = fusion.evaluate({ lda: 0.9, concentration: 0.6, autoencoder: 0.02, heuristics: 2.5 });
    expect(autoencoderOnly.components.autoencoder).toBeCloseTo(Math.log10(102), 10);
    expect(twoComponents.score).toBeGreaterThan(autoencoderOnly.score);
  });

  it('leaves a component out for an event it could not score, instead of counting it as ordinary', () => {
    const scored = fusion.evaluate({ lda: 0.1, concentration: 0.6, heuristics: 0, autoencoder: NaN });
    expect(Object.keys(scored.components).sort()).toEqual(['concentration', 'heuristics']);
    const without = fusion.evaluate({ lda: 0.1, concentration: 0.6, heuristics: 0 });
    expect(without.score).toBe(scored.score);
  });

  it("fuses Spot's LDA score when asked: an IP's rare word then counts", () => {
    const withLda = new WindowFusion(references, { components: ['lda', 'concentration'] });
    const rare = withLda.evaluate({ lda: 0, concentration: 0.02, heuristics: 0 });
    const usual = withLda.evaluate({ lda: 0.1, concentration: 0.02, heuristics: 0 });
    expect(rare.score).toBeGreaterThan(usual.score);
    expect(rare.components.lda).toBeGreaterThan(0);
  });

  it('runs without an autoencoder (DNS and proxy windows)', () => {
    const dns = new WindowFusion({ ...references, autoencoder: undefined });
    expect(dns.usesAutoencoder).toBe(false);
    expect(Object.keys(dns.evaluate({ lda: 0.1, concentration: 0.5, heuristics: 1, autoencoder: 0.5 }).components)).toEqual(['concentration', 'heuristics']);
  });

  it('refuses an unknown component and an empty list', () => {
    expect(() => new WindowFusion(references, { components: ['lda', 'votes' as never] })).toThrow('unknown fusion component "votes"');
    expect(() => new WindowFusion(references, { components: [] })).toThrow('the fusion needs at least one component');
  });
});
