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

  it('refuses references of different lengths: they describe the same events', () => {
    expect(() => new WindowFusion({ ...references, conversations: ['a'] })).toThrow('references.conversations has 1 values, references.lda 200');
  });
});

describe('the fused ranking counted by conversation', () => {
  // A window of 100 conversations of 2 events each (concentration 0.01-0.1), and one conversation of 300 events
  // that is the whole of its IPs' traffic (concentration 0.5): a C2 channel, a scan of one host.
  const conversations: string[] = [];
  const concentration: number[] = [];
  for (let i = 0; i < 100; i++) {
    for (let k = 0; k < 2; k++) {
      conversations.push(`10.0.0.${i}|10.1.0.1`);
      concentration.push(0.01 + (i % 10) / 100);
    }
  }
  for (let k = 0; k < 300; k++) {
    conversations.push('10.0.0.200|203.0.113.9');
    concentration.push(0.5);
  }
  const window = { lda: concentration.map(() => 0.1), concentration, heuristics: concentration.map(() => 0) };
  const chatty = { lda: 0.1, concentration: 0.5, heuristics: 0 };

  it('a conversation that makes up most of the window is still one conversation: its evidence is that of one in 101', () => {
    const byEvent = new WindowFusion(window, { components: ['concentration'] });
    const byConversation = new WindowFusion({ ...window, conversations }, { components: ['concentration'] });
    expect(byConversation.conversationWeighted).toBe(true);
    expect(byEvent.evaluate(chatty).components.concentration).toBeCloseTo(-Math.log10(301 / 501), 10);
    expect(byConversation.evaluate(chatty).components.concentration).toBeCloseTo(-Math.log10(2 / 102), 10);
  });

  it('a component that says nothing (no heuristic hit in the window) does not reorder the others', () => {
    const alone = new WindowFusion({ ...window, conversations }, { components: ['concentration'] });
    const withSilent = new WindowFusion({ ...window, conversations }, { components: ['concentration', 'heuristics'] });
    const events = [0.005, 0.02, 0.05, 0.1, 0.3, 0.5, 0.9].map((c) => ({ lda: 0.1, concentration: c, heuristics: 0 }));
    const order = (fusion: WindowFusion) => events.map((e, i) => [fusion.score(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((x) => x[1]);
    expect(order(withSilent)).toEqual(order(alone));
    expect(withSilent.evaluate(events[6]).components.heuristics).toBeCloseTo(0, 12);
  });

  it('judges an autoencoder trained on the window against the window sample, one trained on benign traffic against its validation errors', () => {
    const validation = Array.from({ length: 101 }, (_v, i) => i / 1000);
    // The window's own errors: the chatty conversation fits the model best (error 0.01), the others 0.05-0.14.
    const autoencoderSample = concentration.map((c) => (c === 0.5 ? 0.01 : 0.05 + c));
    const window1 = new WindowFusion({ ...window, conversations, autoencoder: validation, autoencoderSample }, { components: ['autoencoder'] });
    const benign = new WindowFusion({ ...window, conversations, autoencoder: validation }, { components: ['autoencoder'] });
    expect(window1.autoencoderReference).toBe('window');
    expect(benign.autoencoderReference).toBe('validation');
    const e = { lda: 0.1, concentration: 0.1, heuristics: 0, autoencoder: 0.2 };
    // Past every validation error: 1 / 102; past every window error: one conversation in 102.
    expect(benign.evaluate(e).components.autoencoder).toBeCloseTo(Math.log10(102), 10);
    expect(window1.evaluate(e).components.autoencoder).toBeCloseTo(Math.log10(102), 10);
    // 81 of the 101 validation errors are at or above 0.02; 20 of the window's 101 conversations at or above 0.135.
    expect(benign.evaluate({ ...e, autoencoder: 0.02 }).components.autoencoder).toBeCloseTo(-Math.log10(82 / 102), 10);
    expect(window1.evaluate({ ...e, autoencoder: 0.135 }).components.autoencoder).toBeCloseTo(-Math.log10(21 / 102), 10);
  });

  it('leaves out of the autoencoder\'s window reference the events it could not score', () => {
    const autoencoderSample = concentration.map((c, i) => (i % 2 === 0 ? NaN : c));
    const fusion = new WindowFusion({ ...window, conversations, autoencoderSample }, { components: ['autoencoder'] });
    expect(fusion.usesAutoencoder).toBe(true);
    const none = new WindowFusion({ ...window, conversations, autoencoderSample: concentration.map(() => NaN) }, { components: ['autoencoder', 'concentration'] });
    expect(none.usesAutoencoder).toBe(false);
  });

  it('is deterministic: the same references in another order give the same scores', () => {
    const order = concentration.map((_v, i) => (i * 7) % concentration.length);
    const permuted = {
      lda: order.map((i) => window.lda[i]),
      concentration: order.map((i) => concentration[i]),
      heuristics: order.map((i) => window.heuristics[i]),
      conversations: order.map((i) => conversations[i]),
    };
    const a = new WindowFusion({ ...window, conversations });
    const b = new WindowFusion(permuted);
    for (const c of [0, 0.03, 0.1, 0.5, 1]) expect(b.score({ lda: 0.1, concentration: c, heuristics: 0 })).toBe(a.score({ lda: 0.1, concentration: c, heuristics: 0 }));
  });
});
