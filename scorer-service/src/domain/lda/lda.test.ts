import { CorpusBuilder } from './corpus';
import { heldOutLikelihood, splitHeldOut } from './heldOut';
import { ldaModelFromJson, ldaModelToJson } from './model';
import { plantedCorpus } from './testCorpus';
import { trainLda } from './train';

describe('CorpusBuilder', () => {
  it('keeps one entry per distinct (document, word) pair however often it repeats', () => {
    const builder = new CorpusBuilder();
    for (let i = 0; i < 10_000; i++) builder.add('10.0.0.1', 'a');
    builder.add('10.0.0.2', 'a');
    builder.add('10.0.0.1', 'b', 3);
    expect(builder.pairCount).toBe(3);
    expect(builder.tokenCount).toBe(10_004);
    const corpus = builder.build();
    expect(corpus.documents).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(corpus.vocabulary).toEqual(['a', 'b']);
    expect(Array.from(corpus.docStart)).toEqual([0, 2, 3]);
    expect(Array.from(corpus.wordIds)).toEqual([0, 1, 0]);
    expect(Array.from(corpus.counts)).toEqual([10_000, 3, 1]);
  });

  it('builds the same corpus, and trains the same model, whatever order the window was read in', () => {
    const events: Array<[string, string]> = [];
    for (let ip = 0; ip < 30; ip++) {
      for (let e = 0; e < 20; e++) events.push([`10.0.${ip % 7}.${ip}`, `w${(ip * 31 + e * 7) % 23}_${e % 3}`]);
    }
    const inOrder = new CorpusBuilder();
    for (const [ip, word] of events) inOrder.add(ip, word);
    const shuffled = new CorpusBuilder();
    // A fixed permutation (multiplication by a unit mod the length): a different first-seen order of IPs and words.
    for (let i = 0; i < events.length; i++) shuffled.add(...events[(i * 7919) % events.length]);
    const a = inOrder.build();
    const b = shuffled.build();
    expect(b.documents).toEqual(a.documents);
    expect(b.vocabulary).toEqual(a.vocabulary);
    expect(Array.from(b.docStart)).toEqual(Array.from(a.docStart));
    expect(Array.from(b.wordIds)).toEqual(Array.from(a.wordIds));
    expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
    expect(a.documents).toEqual([...a.documents].sort());
    const modelA = trainLda(a, { topics: 4, iterations: 5, seed: 3 });
    const modelB = trainLda(b, { topics: 4, iterations: 5, seed: 3 });
    expect(Array.from(modelB.docTopics)).toEqual(Array.from(modelA.docTopics));
    expect(Array.from(modelB.wordTopics)).toEqual(Array.from(modelA.wordTopics));
  });

  it('adds DUPFACTOR copies of a feedback word', () => {
    const builder = new CorpusBuilder();
    builder.add('10.0.0.1', 'rare');
    builder.addFeedback('10.0.0.1', 'rare', 1000);
    expect(builder.build().counts[0]).toBe(1001);
    expect(() => builder.addFeedback('10.0.0.1', 'rare', 0)).toThrow('DUPFACTOR must be an integer >= 1');
  });

  it('counts how many documents use each word, before feedback is added', () => {
    const builder = new CorpusBuilder();
    builder.add('10.0.0.1', 'a', 5);
    builder.add('10.0.0.2', 'a');
    builder.add('10.0.0.2', 'b', 3);
    const frequencies = builder.documentFrequencies();
    expect(frequencies.words).toEqual(['a', 'b']);
    expect(Array.from(frequencies.documentFrequency)).toEqual([2, 1]);
    expect(frequencies.documents).toBe(2);
  });

  it('rejects a count that is not a positive number', () => {
    const builder = new CorpusBuilder();
    expect(() => builder.add('a', 'w', Number.NaN)).toThrow('a count must be a finite number > 0');
    expect(() => builder.add('a', 'w', -2)).toThrow(RangeError);
  });

  it('survives growing its table far past the first capacity', () => {
    const builder = new CorpusBuilder();
    for (let d = 0; d < 300; d++) for (let w = 0; w < 100; w++) builder.add(`d${d}`, `w${w}`, d + w + 1);
    const corpus = builder.build();
    expect(corpus.wordIds.length).toBe(30_000);
    // Every document holds every word, so a document's pairs are the whole vocabulary in word-id order.
    const d299 = corpus.documents.indexOf('d299');
    const w99 = corpus.vocabulary.indexOf('w99');
    expect(corpus.counts[corpus.docStart[d299] + w99]).toBe(299 + 99 + 1);
  });
});

function cosine(x: number[], y: number[]): number {
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
  }
  return dot / Math.sqrt(xx * yy);
}

describe('trainLda(corpus, params)', () => {
  const planted = plantedCorpus({ topics: 5, wordsPerTopic: 12, documents: 300, tokensPerDocument: 150, seed: 7 });

  it.each([1, 2, 3, 4, 5, 6])('recovers planted topics from seed %d: each holds > 95%% of one learned topic', (seed) => {
    const model = trainLda(planted.corpus, { topics: 5, iterations: 50, seed });
    const K = 5;
    const W = model.vocabulary.length;
    const learned = Array.from({ length: K }, (_t, k) => Array.from({ length: W }, (_w, w) => model.wordTopics[w * K + k]));
    const matchedLearned = new Set<number>();
    for (const words of planted.topicWords) {
      const indicator = model.vocabulary.map((word) => (words.includes(word) ? 1 : 0));
      const similarities = learned.map((topic) => cosine(topic, indicator));
      const best = similarities.indexOf(Math.max(...similarities));
      // Mass outside the planted words should be negligible.
      const mass = words.reduce((sum, word) => sum + learned[best][model.vocabulary.indexOf(word)], 0);
      expect(mass).toBeGreaterThan(0.95);
      matchedLearned.add(best);
    }
    expect(matchedLearned.size).toBe(5);
  });

  it('gives the same model for the same seed and a different start for another seed', () => {
    const small = plantedCorpus({ topics: 3, wordsPerTopic: 5, documents: 40, tokensPerDocument: 30, seed: 1 }).corpus;
    const a = trainLda(small, { topics: 3, iterations: 10, seed: 42 });
    const b = trainLda(small, { topics: 3, iterations: 10, seed: 42 });
    const c = trainLda(small, { topics: 3, iterations: 10, seed: 43 });
    expect(Array.from(a.docTopics)).toEqual(Array.from(b.docTopics));
    expect(Array.from(a.wordTopics)).toEqual(Array.from(b.wordTopics));
    expect(Array.from(a.wordTopics)).not.toEqual(Array.from(c.wordTopics));
  });

  it('produces distributions: every theta row and every topic sums to 1', () => {
    const model = trainLda(planted.corpus, { topics: 4, iterations: 5 });
    for (let d = 0; d < model.documents.length; d++) {
      const row = model.docTopics.subarray(d * 4, d * 4 + 4).reduce((s, x) => s + x, 0);
      expect(row).toBeCloseTo(1, 10);
    }
    for (let k = 0; k < 4; k++) {
      let sum = 0;
      for (let w = 0; w < model.vocabulary.length; w++) sum += model.wordTopics[w * 4 + k];
      expect(sum).toBeCloseTo(1, 10);
    }
  });

  it('raises the training likelihood from iteration to iteration', () => {
    const reports: number[] = [];
    trainLda(planted.corpus, { topics: 5, iterations: 15, onIteration: (r) => reports.push(r.logLikelihood) });
    for (let i = 1; i < reports.length; i++) expect(reports[i]).toBeGreaterThanOrEqual(reports[i - 1] - 1e-6);
  });

  it('predicts held-out tokens better than a uniform model and a corpus-wide word frequency model', () => {
    const { train, heldOut } = splitHeldOut(planted.corpus, 0.2, 5);
    expect(train.tokens + heldOut.tokens).toBe(planted.corpus.tokens);
    const model = trainLda(train, { topics: 5, iterations: 60 });
    const report = heldOutLikelihood(model, heldOut);
    expect(report.unscoredTokens).toBe(0);
    expect(report.perplexity).toBeLessThan(report.uniformPerplexity);

    const wordTotals = new Float64Array(train.vocabulary.length);
    train.wordIds.forEach((w, p) => (wordTotals[w] += train.counts[p]));
    let unigramLogLikelihood = 0;
    heldOut.wordIds.forEach((w, p) => (unigramLogLikelihood += heldOut.counts[p] * Math.log((wordTotals[w] + 1) / (train.tokens + wordTotals.length))));
    const unigramPerplexity = Math.exp(-unigramLogLikelihood / heldOut.tokens);
    expect(report.perplexity).toBeLessThan(unigramPerplexity * 0.6);
  });

  it('counts held-out tokens of unknown documents or words as unscored instead of folding them in', () => {
    const model = trainLda(planted.corpus, { topics: 2, iterations: 2 });
    const other = new CorpusBuilder();
    other.add('10.0.0.0', 't0_w0', 2);
    other.add('10.0.0.0', 'never-seen', 3);
    other.add('192.0.2.1', 't0_w0', 4);
    const report = heldOutLikelihood(model, other.build());
    expect(report.tokens).toBe(2);
    expect(report.unscoredTokens).toBe(7);
  });

  it.each([
    [{ topics: 0 }, /topics must be an integer >= 1/],
    [{ alpha: 0.5 }, /alpha must be a finite number > 1/],
    [{ beta: 1 }, /beta must be a finite number > 1/],
    [{ iterations: 2.5 }, /iterations must be an integer >= 1/],
  ])('rejects the parameters %p with a reason', (params, reason) => {
    expect(() => trainLda(planted.corpus, params)).toThrow(reason);
  });
});

describe('LDA model JSON', () => {
  const corpus = plantedCorpus({ topics: 2, wordsPerTopic: 4, documents: 10, tokensPerDocument: 20, seed: 2 }).corpus;
  const model = trainLda(corpus, { topics: 2, iterations: 5 });

  it('round-trips through JSON text with a format name and version', () => {
    const json = JSON.parse(JSON.stringify(ldaModelToJson(model)));
    expect(json.format).toBe('spothreat-lda');
    expect(json.version).toBe(1);
    const back = ldaModelFromJson(json);
    expect(Array.from(back.docTopics)).toEqual(Array.from(model.docTopics));
    expect(Array.from(back.wordTopics)).toEqual(Array.from(model.wordTopics));
    expect(back.vocabulary).toEqual(model.vocabulary);
    expect(back.params).toEqual(model.params);
  });

  it('refuses another version or a malformed matrix, saying what is wrong', () => {
    const json = ldaModelToJson(model);
    expect(() => ldaModelFromJson({ ...json, version: 2 })).toThrow('version 2 is not supported');
    expect(() => ldaModelFromJson({ ...json, phi: json.phi.slice(1) })).toThrow('phi has 1 rows for 2 topics');
    expect(() => ldaModelFromJson({ ...json, theta: [[0.5, Number.NaN], ...json.theta.slice(1)] })).toThrow('theta[0] is not 2 probabilities');
  });
});
