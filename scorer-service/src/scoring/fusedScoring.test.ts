import * as tf from '@tensorflow/tfjs';
import { benignFlows, outlierFlows } from '../domain/autoencoder/syntheticFlows';
import type { FlowEvent } from '../domain/events';
import { CorpusBuilder, trainLda } from '../domain/lda';
import { LdaScorer, ServiceUseMeans, WordConcentration } from '../domain/scoring';
import { flowRecordFromEvent, flowWords, type FlowRecord } from '../domain/words';
import type { DocumentWord } from './eventWords';
import { BottomKSample } from '../domain/fusion';
import { FeatureMatrix, flowFeaturesOf } from '../domain/autoencoder';
import { DEFAULT_FUSION_SETTINGS, explainFused, FeatureRowSample, FusedWindow, ldaSides, referenceValues, serviceUseMeans, trainWindowAutoencoder, WindowHeuristics, WindowObservation } from './fusedScoring';
import { decodeAutoencoder, encodeAutoencoder } from './modelCodec';
import { decodeWindowState, encodeWindowState } from './windowState';

tf.env().set('IS_TEST', true);

function wordsOf(event: FlowEvent): { words: DocumentWord[]; record: FlowRecord } {
  const mapped = flowRecordFromEvent(event);
  if (!mapped.ok) throw new Error(mapped.reason);
  const words = flowWords(mapped.value.word, 'seed');
  return { words: [{ document: mapped.value.srcIp, word: words.srcWord }, { document: mapped.value.dstIp, word: words.dstWord }], record: mapped.value };
}

/** A window of office flows from 40 hosts, plus one host exfiltrating: the flows, their words and a fitted LDA. */
function window() {
  const events: FlowEvent[] = benignFlows(1200, 7).map((e, i) => ({ ...e, source: { ...e.source, ip: `10.0.0.${i % 40}` } }));
  events.push(...outlierFlows('exfiltration', 30, 7).map((e) => ({ ...e, source: { ...e.source, ip: '10.0.0.99' } })));
  const corpus = new CorpusBuilder();
  const parsed = events.map((event, i) => ({ key: `raw\u0000${i}`, event, ...wordsOf(event) }));
  for (const { words } of parsed) for (const { document, word } of words) corpus.add(document, word);
  const frequencies = corpus.documentFrequencies();
  const scorer = new LdaScorer(trainLda(corpus.build(), { topics: 4, iterations: 20, seed: 1 }));
  return { parsed, scorer, concentration: new WordConcentration(scorer, frequencies) };
}

describe('the fused ranking of a window in the scorer service', () => {
  const { parsed, scorer, concentration } = window();

  /** Single-packet probes from 10.0.0.66, one a second, the i-th to `target(i)`. */
  const probes = (count: number, target: (i: number) => { ip: string; port: number }): FlowEvent[] =>
    Array.from({ length: count }, (_v, i) => ({
      ...parsed[0].event,
      '@timestamp': new Date(Date.parse('2026-01-14T10:00:00Z') + i * 1000).toISOString(),
      source: { ...parsed[0].event.source, ip: '10.0.0.66', port: 40000 },
      destination: { ...parsed[0].event.destination, ...target(i), bytes: 0, packets: 1 },
      network: { ...parsed[0].event.network, bytes: 60, packets: 1 },
    }));

  /** The window and `extra` flows through pass 1, and the window autoencoder trained on them (2 epochs). */
  const observedWith = async (extra: FlowEvent[]) => {
    const events = [...parsed, ...extra.map((event, i) => ({ key: `extra\u0000${i}`, event, ...wordsOf(event) }))];
    const settings = { ...DEFAULT_FUSION_SETTINGS, autoencoder: { ...DEFAULT_FUSION_SETTINGS.autoencoder, epochs: 2 } };
    const observation = new WindowObservation('flow', settings);
    for (const p of events) observation.observe(p.key, p.event as unknown as Record<string, unknown>, p.words, p.record);
    const trained = await trainWindowAutoencoder(observation);
    if (!trained) throw new Error('no autoencoder trained');
    return { events, settings, observation, trained };
  };

  it("keeps Spot's score of the lowest side, and no concentration for a side whose word an analyst rated benign", () => {
    const { words } = parsed[parsed.length - 1];
    const plain = ldaSides(scorer, concentration, words, new Map());
    expect(plain.score).toBe(Math.min(scorer.scoreWord(words[0].document, words[0].word), scorer.scoreWord(words[1].document, words[1].word)));
    expect(plain.concentration).toBeGreaterThan(0);
    const rated = ldaSides(scorer, concentration, words, new Map(words.map((w) => [w.word, 1])));
    expect(rated).toMatchObject({ score: 1, floored: true, concentration: 0 });
  });

  it("lifts a flow's concentration to its service use's mean in pass 2 and in the references, never lowering one", async () => {
    const observation = new WindowObservation('flow', DEFAULT_FUSION_SETTINGS, false);
    for (const p of parsed) observation.observe(p.key, p.event as unknown as Record<string, unknown>, p.words, p.record);
    const uses = serviceUseMeans(observation, scorer, concentration, new Map());
    const entries = uses.entries();
    expect(entries.length).toBeGreaterThan(0);
    let lifted = 0;
    for (const p of parsed) {
      const alone = ldaSides(scorer, concentration, p.words, new Map()).concentration;
      const withUses = ldaSides(scorer, concentration, p.words, new Map(), uses).concentration;
      expect(withUses).toBeGreaterThanOrEqual(alone);
      if (withUses > alone) lifted += 1;
    }
    expect(lifted).toBeGreaterThan(0);
    // A rated-benign word counts no concentration in its use's mean either.
    const everyWord = new Map(parsed.flatMap((p) => p.words.map((w): [string, number] => [w.word, 1])));
    expect(serviceUseMeans(observation, scorer, concentration, everyWord).entries().every(([, mean]) => mean === 0)).toBe(true);
    // The references carry the lifted values.
    const reference = await referenceValues(observation, scorer, concentration, new Map(), uses);
    observation.reference.values().forEach((event, i) => {
      expect(reference.concentration[i]).toBe(ldaSides(scorer, concentration, event.words, new Map(), uses).concentration);
    });
    // DNS and proxy windows keep no uses.
    expect(new WindowObservation('dns', DEFAULT_FUSION_SETTINGS, false).serviceUses).toBeUndefined();
  });

  it('samples the same reference events and training rows whatever order the window is read in', () => {
    const settings = { ...DEFAULT_FUSION_SETTINGS, referenceSize: 100, autoencoder: { ...DEFAULT_FUSION_SETTINGS.autoencoder, sampleSize: 200 } };
    const forward = new WindowObservation('flow', settings);
    const backward = new WindowObservation('flow', settings);
    for (const p of parsed) forward.observe(p.key, p.event as unknown as Record<string, unknown>, p.words, p.record);
    for (const p of [...parsed].reverse()) backward.observe(p.key, p.event as unknown as Record<string, unknown>, p.words, p.record);
    expect(forward.reference.values()).toEqual(backward.reference.values());
    expect(forward.training?.values()).toEqual(backward.training?.values());
    expect(forward.reference.size).toBe(100);
    expect(new WindowObservation('dns', settings).training).toBeUndefined();
  });

  it('packs the training sample: the same rows in the same order as a bottom-k sample of row objects', () => {
    const objects = new BottomKSample<ReturnType<typeof rowOf>>(300, 1);
    const packed = new FeatureRowSample(300, 1);
    const rowOf = (event: FlowEvent) => {
      const result = flowFeaturesOf(event);
      if (!result.ok) throw new Error(result.reason);
      return result.row;
    };
    for (const p of parsed) objects.offer(p.key, () => rowOf(p.event));
    for (const p of [...parsed].reverse()) packed.offer(p.key, () => rowOf(p.event));
    expect(packed.size).toBe(300);
    expect(packed.values()).toEqual(objects.values());
    // A flow without features never enters, and `make` runs only for a flow the sample keeps.
    let made = 0;
    packed.offer('raw\u0000never-kept-if-high', () => {
      made += 1;
      return undefined;
    });
    expect(packed.size).toBe(300);
    expect(made).toBeLessThanOrEqual(1);
  });

  it('trains the window autoencoder, scores pass 2 in batches and ranks the exfiltration above the office traffic', async () => {
    const settings = { ...DEFAULT_FUSION_SETTINGS, autoencoder: { ...DEFAULT_FUSION_SETTINGS.autoencoder, epochs: 3 } };
    const observation = new WindowObservation('flow', settings);
    for (const p of parsed) observation.observe(p.key, p.event as unknown as Record<string, unknown>, p.words, p.record);
    const autoencoder = await trainWindowAutoencoder(observation);
    expect(autoencoder?.sampled).toBe(parsed.length);
    const fused = FusedWindow.over(await referenceValues(observation, scorer, concentration, new Map(), serviceUseMeans(observation, scorer, concentration, new Map()), autoencoder?.detector), observation.heuristics, autoencoder, settings);
    try {
      const results = [];
      for (const [i, p] of parsed.entries()) {
        results.push(...(await fused.push(fused.pendingOf(p.event as unknown as Record<string, unknown>, p.record, ldaSides(scorer, concentration, p.words, new Map()), i))));
      }
      results.push(...(await fused.flush<number>()));
      expect(results).toHaveLength(parsed.length);
      expect(results.every((r) => r.autoencoderError !== undefined)).toBe(true);
      const top = [...results].sort((a, b) => b.fusedScore - a.fusedScore).slice(0, 30);
      expect(top.filter((r) => r.item >= 1200).length).toBeGreaterThan(20);
      const details = fused.details(top[0]);
      expect(details.score).toBeCloseTo(top[0].fusedScore, 12);
      expect(Object.keys(details.components).sort()).toEqual(['autoencoder', 'concentration', 'heuristics']);
      const [explained] = await fused.explain([top[0].features]);
      expect(explained?.length).toBe(3);
    } finally {
      fused.dispose();
    }
  });

  it("counts the references by unit (a heuristic's finding, else the conversation) and judges the autoencoder against the sample's errors", async () => {
    // 60 probes from one host to 60 ports of another: one port-scan finding however many flows the sample holds.
    const { settings, observation, trained } = await observedWith(probes(60, (i) => ({ ip: '10.0.1.5', port: 1 + i * 3 })));
    try {
      const reference = await referenceValues(observation, scorer, concentration, new Map(), new ServiceUseMeans([]), trained.detector);
      const sampled = observation.reference.values();
      expect(reference.conversations).toHaveLength(sampled.length);
      const scanUnits = new Set<string>();
      sampled.forEach((event, i) => {
        const hits = observation.heuristics.tagsForInput(event.heuristic);
        if (hits.some((hit) => hit.heuristic === 'port-scan')) scanUnits.add(reference.conversations[i]);
        else expect(reference.conversations[i]).toBe(`c ${event.words.map((w) => w.document).sort().join('|')}`);
      });
      expect([...scanUnits]).toEqual(['f port-scan 10.0.0.66']);
      // Each reference flow's error is the one pass 2 computes for it.
      const direct = await trained.detector.score(FeatureMatrix.of(sampled.map((event) => event.features!)));
      expect(reference.autoencoder).toEqual(Array.from(direct));

      const fused = FusedWindow.over(reference, observation.heuristics, trained, settings);
      expect(fused.fusion.conversationWeighted).toBe(true);
      expect(fused.fusion.autoencoderReference).toBe('window');
      const { autoencoder: _errors, ...withoutErrors } = reference;
      expect(() => FusedWindow.over(withoutErrors, observation.heuristics, trained, settings)).toThrow(/no autoencoder errors/);
    } finally {
      trained.detector.dispose();
    }
  });

  it("passes the network's own ranges to the lateral-movement heuristic", () => {
    const session = (srcIp: string, dstIp: string, dport: number, minute: number) => ({
      srcIp, dstIp, sport: 50000, dport, proto: 'TCP', timestamp: Date.UTC(2025, 2, 11, 14, minute), bytes: 250_000, packets: 200,
    });
    const spread = (heuristics: WindowHeuristics) => {
      for (let i = 0; i < 6; i++) {
        for (const port of [445, 135, 5985]) heuristics.addInput(session('198.51.100.7', `198.51.100.${20 + i}`, port, i));
      }
      return heuristics.tagsForInput(session('198.51.100.7', '198.51.100.21', 445, 1)).map((hit) => hit.heuristic);
    };
    expect(spread(new WindowHeuristics('flow'))).not.toContain('lateral-movement');
    const own = new WindowObservation('flow', { ...DEFAULT_FUSION_SETTINGS, internalRanges: ['198.51.100.0/24'] }, false);
    expect(spread(own.heuristics)).toContain('lateral-movement');
  });

  it('hands the window state to a process that reads only a part: same tags, same references, same autoencoder errors', async () => {
    // A port scan from one source spread over the window: a part sees a few of its flows, the whole window all.
    const { events, settings, observation, trained } = await observedWith(probes(300, (i) => ({ ip: `10.0.1.${i % 20}`, port: 1 + i })));
    const uses = serviceUseMeans(observation, scorer, concentration, new Map());
    const reference = await referenceValues(observation, scorer, concentration, new Map(), uses, trained.detector);
    const verdicts = observation.heuristics.verdicts();
    expect(Object.values(verdicts).flat().length).toBeGreaterThan(0);
    const stored = decodeWindowState(
      encodeWindowState({ dataType: 'flow', window: { from: 'a', to: 'b' }, events: events.length, heuristics: verdicts, reference, frequencies: { words: ['w'], documentFrequency: [1], documents: 1 }, serviceUses: uses.entries() }),
      'test state',
    );
    expect(stored.reference).toEqual(reference);
    expect(stored.serviceUses).toEqual(uses.entries());
    const storedUses = new ServiceUseMeans(stored.serviceUses);
    const restored = new WindowHeuristics('flow');
    restored.adoptVerdicts(stored.heuristics);
    const tags = (heuristics: WindowHeuristics) => events.map((p) => heuristics.tagsFor(p.record).map((hit) => `${hit.heuristic} ${hit.subject} ${hit.reason}`));
    expect(tags(restored)).toEqual(tags(observation.heuristics));
    expect(tags(restored).filter((t) => t.some((tag) => tag.startsWith('port-scan 10.0.0.66'))).length).toBeGreaterThanOrEqual(300);

    const loaded = await decodeAutoencoder(await encodeAutoencoder(trained.detector));
    try {
      const whole = FusedWindow.over(reference, observation.heuristics, trained, settings);
      const part = FusedWindow.over(stored.reference, restored, { ...trained, detector: loaded, source: 'registered' }, settings);
      const scores = async (fused: FusedWindow, means: ServiceUseMeans) => {
        for (const [i, p] of events.entries()) await fused.push(fused.pendingOf(p.event as unknown as Record<string, unknown>, p.record, ldaSides(scorer, concentration, p.words, new Map(), means), i));
        return (await fused.flush<number>()).map((r) => [r.fusedScore, r.autoencoderError, r.lda.concentration]);
      };
      expect(await scores(part, storedUses)).toEqual(await scores(whole, uses));
    } finally {
      trained.detector.dispose();
      loaded.dispose();
    }
  });

  it('refuses a stored window state of another format, naming it', () => {
    const { gzipSync } = jest.requireActual<typeof import('node:zlib')>('node:zlib');
    expect(() => decodeWindowState(gzipSync(Buffer.from('{"format":"other","version":1}')), 'the state of flow model v3')).toThrow(
      /the state of flow model v3 is other v1; this build reads spothreat-window-state v3/,
    );
  });

  it('explains the fused verdict with each component and the autoencoder features that carried the error', () => {
    const text = explainFused(
      { score: 5.2, pValue: 6.3e-6, components: { concentration: 3.1, autoencoder: 2.9, heuristics: 0 } },
      { error: 0.4, threshold: 0.01, topFeatures: [{ feature: 'log_source_bytes', share: 0.7, value: 15_000_000, expected: 2300 }] },
    );
    expect(text).toBe(
      'Fused evidence 5.2 (p = 6.3e-6; -log10 p by component: concentration 3.1, autoencoder 2.9, heuristics 0.0). ' +
        'Autoencoder error 0.400, above its threshold 0.0100: log_source_bytes 15000000 where 2300 was expected (70 %).',
    );
  });
});
