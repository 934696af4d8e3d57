import { CorpusBuilder, trainLda } from '../lda';
import { WordConcentration } from './concentration';
import { LdaScorer } from './scorer';

/**
 * Twenty workstations browse and resolve names alike; one of them also runs a brute force (the same SSH word
 * hundreds of times), which is the bulk of its document.
 */
function window() {
  const builder = new CorpusBuilder();
  for (let h = 0; h < 20; h++) {
    const ip = `10.0.0.${h}`;
    builder.add(ip, '443_TCP_9_12_5', 40 + h);
    builder.add(ip, '53_UDP_9_7_1', 30);
    builder.add(ip, '80_TCP_9_10_4', 5);
  }
  builder.add('10.0.0.7', '22_TCP_9_11_4', 400);
  builder.add('10.0.0.3', '123_UDP_9_7_1', 1);
  const frequencies = builder.documentFrequencies();
  const scorer = new LdaScorer(trainLda(builder.build(), { topics: 3, iterations: 30, seed: 1 }));
  return { scorer, concentration: new WordConcentration(scorer, frequencies) };
}

describe('word concentration: typical of the IP, rare in the network', () => {
  const { scorer, concentration } = window();

  it("ranks the brute-forcer's own bulk word above everyone's web, DNS and one-off words", () => {
    const attack = concentration.of('10.0.0.7', '22_TCP_9_11_4');
    expect(attack).toBeGreaterThan(concentration.of('10.0.0.7', '443_TCP_9_12_5'));
    expect(attack).toBeGreaterThan(concentration.of('10.0.0.3', '123_UDP_9_7_1'));
    // Spot's own score finds the same word ordinary for that IP: the blind spot this measure covers.
    expect(scorer.scoreWord('10.0.0.7', '22_TCP_9_11_4')).toBeGreaterThan(scorer.scoreWord('10.0.0.7', '80_TCP_9_10_4'));
  });

  it('gives a word every IP uses no weight at all (IDF 0)', () => {
    expect(concentration.inverseDocumentFrequency(scorer.wordId('53_UDP_9_7_1'))).toBe(0);
    expect(concentration.of('10.0.0.1', '53_UDP_9_7_1')).toBe(0);
  });

  it('is P(word | IP) x ln(D / df)', () => {
    const p = scorer.scoreWord('10.0.0.7', '22_TCP_9_11_4');
    expect(concentration.of('10.0.0.7', '22_TCP_9_11_4')).toBeCloseTo(p * Math.log(20), 12);
  });

  it('gives 0 to a word or an IP the model has not seen (Spot already ranks those first)', () => {
    expect(concentration.of('10.0.0.7', '8080_TCP_9_1_1')).toBe(0);
    expect(concentration.of('192.0.2.9', '22_TCP_9_11_4')).toBe(0);
  });

  it('refuses window figures that do not fit together', () => {
    expect(() => new WordConcentration(scorer, { words: ['a'], documentFrequency: [1, 2], documents: 3 })).toThrow('1 words but 2 document frequencies');
    expect(() => new WordConcentration(scorer, { words: ['a'], documentFrequency: [4], documents: 3 })).toThrow('has document frequency 4 of 3 documents');
    expect(() => new WordConcentration(scorer, { words: [], documentFrequency: [], documents: 0 })).toThrow('at least one document');
  });
});
