import { CorpusBuilder, trainLda } from '../domain/lda';
import { TopDomainClassifier } from '../domain/words';
import { ReasonCounter, wordsOfEvent } from './eventWords';
import { decodeModel, encodeModel } from './modelCodec';
import { buildSuspiciousDocument, suspiciousId } from './suspiciousDocument';

const domains = new TopDomainClassifier({ registeredDomains: new Set(), labels: new Set() });
const flow = {
  '@timestamp': '2026-11-21T12:00:00Z',
  source: { ip: '10.0.0.1', port: 2132 },
  destination: { ip: '203.0.113.7', port: 23 },
  network: { transport: 'udp', bytes: 222, packets: 3 },
};

describe('modelCodec', () => {
  it('round-trips a trained model exactly', () => {
    const corpus = new CorpusBuilder();
    for (let i = 0; i < 50; i++) corpus.add(`10.0.0.${i % 5}`, `w${i % 7}`);
    const model = trainLda(corpus.build(), { topics: 3, iterations: 5, seed: 7 });
    const back = decodeModel(encodeModel(model));
    expect(back.documents).toEqual(model.documents);
    expect(back.vocabulary).toEqual(model.vocabulary);
    expect(Array.from(back.docTopics)).toEqual(Array.from(model.docTopics));
    expect(Array.from(back.wordTopics)).toEqual(Array.from(model.wordTopics));
  });

  it('round-trips a model of several chains, and decodes a model stored before chains existed as one chain', () => {
    const corpus = new CorpusBuilder();
    for (let i = 0; i < 50; i++) corpus.add(`10.0.0.${i % 5}`, `w${i % 7}`);
    const model = trainLda(corpus.build(), { topics: 3, iterations: 5, seed: 7, chains: 2 });
    const back = decodeModel(encodeModel(model));
    expect(back.params.chains).toBe(2);
    expect(Array.from(back.docTopics)).toEqual(Array.from(model.docTopics));
    const single = trainLda(corpus.build(), { topics: 3, iterations: 5, seed: 7 });
    const { chains: _dropped, ...before } = single.params;
    expect(decodeModel(encodeModel({ ...single, params: before as typeof single.params })).params.chains).toBe(1);
  });
});

describe('wordsOfEvent', () => {
  it('gives a flow one word in each endpoint document', () => {
    const words = wordsOfEvent('flow', flow, { variant: 'seed', domains });
    expect(words.ok && words.words.map((w) => w.document)).toEqual(['10.0.0.1', '203.0.113.7']);
  });

  it('returns the reason instead of a word when a field is missing', () => {
    const words = wordsOfEvent('flow', { ...flow, source: { port: 1 } }, { variant: 'seed', domains });
    expect(words).toEqual({ ok: false, reason: expect.stringContaining('source.ip') });
  });

  it('counts reasons without growing past its limit', () => {
    const counter = new ReasonCounter(2);
    for (const reason of ['a', 'b', 'c', 'd', 'a']) counter.add(reason);
    expect(counter.toJSON()).toEqual({ a: 2, b: 1, 'other reasons': 2 });
    expect(counter.total).toBe(5);
  });
});

describe('suspicious documents', () => {
  const window = { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' };

  it('have an id that depends only on data type, window and raw event', () => {
    expect(suspiciousId('flow', window, 'raw-flow-2026.11.21', 'abc')).toBe(suspiciousId('flow', window, 'raw-flow-2026.11.21', 'abc'));
    expect(suspiciousId('flow', window, 'raw-flow-2026.11.21', 'abc')).not.toBe(suspiciousId('dns', window, 'raw-flow-2026.11.21', 'abc'));
  });

  it('carry the event, its enrichment and the scorer fields, without undefined members', () => {
    const doc = buildSuspiciousDocument({
      dataType: 'flow',
      window,
      runId: 'run-1',
      scoredAt: '2026-11-22T00:05:00.000Z',
      model: { name: 'lda', version: 4 },
      rank: 1,
      score: 1e-6,
      words: ['23_UDP_12_8_2', '-1_23_UDP_12_8_2'],
      explanation: 'why',
      heuristics: [],
      rawIndex: 'raw',
      rawId: 'abc',
      event: flow,
      enrichment: {
        source: { ip: '10.0.0.1', internal: true, context: 'lab' },
        destination: { ip: '203.0.113.7', internal: false, geo: { countryCode: 'NL', lat: 52, lon: 5 } },
        reputation: { level: 0, hits: [] },
      },
      rating: { rating: 3, by: 'ana', at: '2026-11-22T01:00:00.000Z' },
    });
    expect(doc.source).toEqual({ ip: '10.0.0.1', port: 2132, internal: true, context: 'lab' });
    expect(doc.destination?.geo).toEqual({ country_iso_code: 'NL', location: { lat: 52, lon: 5 } });
    expect(doc.network).toEqual({ transport: 'udp', bytes: 222, packets: 3 });
    expect(doc.spothreat).toMatchObject({ rank: 1, rating: 3, rated_by: 'ana', model: { version: 4 } });
    expect(JSON.stringify(doc)).not.toContain('undefined');
  });
});
