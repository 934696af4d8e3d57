import { CorpusBuilder } from './corpus';
import { heldOutLikelihood, splitHeldOut } from './heldOut';
import { ldaModelFromJson, ldaModelToJson, topicColumns, type LdaModel } from './model';
import { plantedCorpus } from './testCorpus';
import { SeededRandom } from './random';
import { CHAIN_SEED_STRIDE, CHAIN_TOKEN_BUDGET, chainsFor, trainLda } from './train';

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
    [{ chains: 0 }, /chains must be an integer >= 1/],
  ])('rejects the parameters %p with a reason', (params, reason) => {
    expect(() => trainLda(planted.corpus, params)).toThrow(reason);
  });
});

/** P(word | document) under a model, by keys. */
function probabilityOf(model: LdaModel, document: string, word: string): number {
  const C = topicColumns(model.params);
  const d = model.documents.indexOf(document);
  const w = model.vocabulary.indexOf(word);
  let sum = 0;
  for (let c = 0; c < C; c++) sum += model.docTopics[d * C + c] * model.wordTopics[w * C + c];
  return sum;
}

/** A window of small documents, as a sampled day gives: 120 IPs of one to three events over 30 words. */
function smallDocuments(): ReturnType<CorpusBuilder['build']> {
  const random = new SeededRandom(11);
  const builder = new CorpusBuilder();
  for (let d = 0; d < 120; d++) {
    const events = 1 + random.nextInt(3);
    for (let e = 0; e < events; e++) builder.add(`192.0.2.${d}`, `w${random.nextInt(30)}`);
  }
  return builder.build();
}

describe('trainLda with several chains', () => {
  const small = plantedCorpus({ topics: 3, wordsPerTopic: 5, documents: 40, tokensPerDocument: 30, seed: 1 }).corpus;

  it('gives chains up to the most asked for while chains x tokens stays within the budget, and never fewer than one', () => {
    expect(chainsFor(0, 4)).toBe(4);
    expect(chainsFor(1_000, 4)).toBe(4);
    expect(chainsFor(CHAIN_TOKEN_BUDGET / 4, 4)).toBe(4);
    expect(chainsFor(CHAIN_TOKEN_BUDGET / 3, 4)).toBe(3);
    expect(chainsFor(CHAIN_TOKEN_BUDGET / 2 + 1, 4)).toBe(1);
    expect(chainsFor(5 * CHAIN_TOKEN_BUDGET, 4)).toBe(1);
    expect(chainsFor(1_000, 1)).toBe(1);
  });

  it('is the average of the single chains started from seed, seed + stride, ...: P(w | d) = (1/R) sum_r P_r(w | d)', () => {
    const averaged = trainLda(small, { topics: 3, iterations: 10, seed: 42, chains: 3 });
    expect(averaged.params.chains).toBe(3);
    expect(averaged.docTopics.length).toBe(small.documents.length * 9);
    const singles = [0, 1, 2].map((r) => trainLda(small, { topics: 3, iterations: 10, seed: 42 + r * CHAIN_SEED_STRIDE }));
    for (const document of small.documents.slice(0, 8)) {
      for (const word of small.vocabulary) {
        const mean = singles.reduce((sum, single) => sum + probabilityOf(single, document, word), 0) / 3;
        expect(probabilityOf(averaged, document, word)).toBeCloseTo(mean, 12);
      }
    }
    // The first chain is the one-chain model of the same seed: one chain reproduces Spot's single run.
    expect(probabilityOf(singles[0], small.documents[0], small.vocabulary[0])).toBe(
      probabilityOf(trainLda(small, { topics: 3, iterations: 10, seed: 42, chains: 1 }), small.documents[0], small.vocabulary[0]),
    );
  });

  it('keeps every theta row and every topic column a distribution, and is deterministic for a seed', () => {
    const a = trainLda(small, { topics: 3, iterations: 5, seed: 9, chains: 4 });
    const b = trainLda(small, { topics: 3, iterations: 5, seed: 9, chains: 4 });
    expect(Array.from(a.docTopics)).toEqual(Array.from(b.docTopics));
    expect(Array.from(a.wordTopics)).toEqual(Array.from(b.wordTopics));
    const C = topicColumns(a.params);
    expect(C).toBe(12);
    for (let d = 0; d < a.documents.length; d++) expect(a.docTopics.subarray(d * C, (d + 1) * C).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let w = 0; w < a.vocabulary.length; w++) sum += a.wordTopics[w * C + c];
      expect(sum).toBeCloseTo(1, 10);
    }
  });

  it('reports each iteration with its chain, so progress can count every chain', () => {
    const reports: Array<[number, number, number]> = [];
    trainLda(small, { topics: 3, iterations: 4, chains: 3, onIteration: (r) => reports.push([r.chain, r.chains, r.iteration]) });
    expect(reports).toHaveLength(12);
    expect(reports[0]).toEqual([1, 3, 1]);
    expect(reports[4]).toEqual([2, 3, 1]);
    expect(reports[11]).toEqual([3, 3, 4]);
  });

  it('moves P(word | IP) less with the seed on a window of one- to three-event IPs than one chain does', () => {
    const corpus = smallDocuments();
    const spread = (chains: number) => {
      const models = [1, 2, 3, 4, 5, 6].map((seed) => trainLda(corpus, { topics: 20, iterations: 20, seed, chains }));
      let total = 0;
      for (let d = 0; d < corpus.documents.length; d++) {
        for (let p = corpus.docStart[d]; p < corpus.docStart[d + 1]; p++) {
          const values = models.map((m) => probabilityOf(m, corpus.documents[d], corpus.vocabulary[corpus.wordIds[p]]));
          const mean = values.reduce((s, v) => s + v, 0) / values.length;
          total += values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
        }
      }
      return total;
    };
    // Averaging four independent starts should divide the start's variance by about four.
    expect(spread(4)).toBeLessThan(spread(1) / 2);
  });

  it('scores held-out tokens with every chain', () => {
    const { train, heldOut } = splitHeldOut(small, 0.2, 3);
    const report = heldOutLikelihood(trainLda(train, { topics: 3, iterations: 20, chains: 2 }), heldOut);
    expect(report.unscoredTokens).toBe(0);
    expect(report.perplexity).toBeLessThan(report.uniformPerplexity);
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

  it('round-trips a model of several chains, and reads a model stored before chains existed as one chain', () => {
    const averaged = trainLda(corpus, { topics: 2, iterations: 5, chains: 3 });
    const back = ldaModelFromJson(JSON.parse(JSON.stringify(ldaModelToJson(averaged))));
    expect(back.params.chains).toBe(3);
    expect(Array.from(back.docTopics)).toEqual(Array.from(averaged.docTopics));
    expect(Array.from(back.wordTopics)).toEqual(Array.from(averaged.wordTopics));
    const json = ldaModelToJson(model);
    const { chains: _dropped, ...before } = json.params;
    expect(ldaModelFromJson({ ...json, params: before }).params.chains).toBe(1);
    expect(() => ldaModelFromJson({ ...json, params: { ...json.params, chains: 0 } })).toThrow('params.chains must be an integer >= 1');
  });

  it('refuses another version or a malformed matrix, saying what is wrong', () => {
    const json = ldaModelToJson(model);
    expect(() => ldaModelFromJson({ ...json, version: 2 })).toThrow('version 2 is not supported');
    expect(() => ldaModelFromJson({ ...json, phi: json.phi.slice(1) })).toThrow('phi has 1 rows for 2 topic columns');
    expect(() => ldaModelFromJson({ ...json, theta: [[0.5, Number.NaN], ...json.theta.slice(1)] })).toThrow('theta[0] is not 2 probabilities');
  });
});
