import { mergeParts, OrderFreeSelector } from './slices';
import type { Candidate, PartResult, RankedEvent } from './windowScorer';

function candidate(rawId: string): Candidate {
  return { rawIndex: 'raw-flow', rawId, event: {}, words: [{ document: '10.0.0.1', word: 'w' }], side: 0, floored: false, record: {} as Candidate['record'] };
}

function ranked(rawId: string, score: number): RankedEvent {
  return { score, rawIndex: 'raw-flow', rawId, event: {}, words: [], side: 0, floored: false, hits: [] };
}

function part(list: RankedEvent[]): PartResult {
  return { events: 10, unscorable: 1, unscorableReasons: { 'source.ip is missing': 1 }, underTolerance: list.length, explainedByFeedback: 0, ranked: list };
}

describe('order-free selection of a part', () => {
  it('keeps the same events whatever order they arrive in, ties decided by raw id', () => {
    const offers: [number, string][] = [
      [0.5, 'e'],
      [0.1, 'c'],
      [0.1, 'a'],
      [0.9, 'f'],
      [0.1, 'b'],
      [0.3, 'd'],
    ];
    const kept = (order: [number, string][]) => {
      const selector = new OrderFreeSelector({ tol: 0.8, maxResults: 3 });
      for (const [score, id] of order) selector.offer(score, candidate(id));
      return selector.results().map(({ item }) => item.rawId);
    };
    expect(kept(offers)).toEqual(['a', 'b', 'c']);
    expect(kept([...offers].reverse())).toEqual(['a', 'b', 'c']);
    const selector = new OrderFreeSelector({ tol: 0.8, maxResults: 3 });
    for (const [score, id] of offers) selector.offer(score, candidate(id));
    expect(selector.underToleranceCount).toBe(5);
  });

  it('builds an offered item only when it enters the list', () => {
    const selector = new OrderFreeSelector<Candidate>({ tol: Infinity, maxResults: 2 });
    const built: string[] = [];
    for (const [score, id] of [[-3, 'a'], [-1, 'b'], [-2, 'c'], [0, 'd'], [-5, 'e']] as [number, string][]) {
      selector.offerBuilt(score, { rawIndex: 'raw-flow', rawId: id }, () => {
        built.push(id);
        return candidate(id);
      });
    }
    expect(built).toEqual(['a', 'b', 'c', 'e']);
    expect(selector.results().map(({ item }) => item.rawId)).toEqual(['e', 'a']);
    expect(selector.underToleranceCount).toBe(5);
  });

  it('ranks the parts of a fused window by fused score, highest first, when merging', () => {
    const fused = (rawId: string, score: number): RankedEvent => ({ ...ranked(rawId, 0.5), fused: { score, pValue: 10 ** -score, by: 'fisher', components: {} } });
    const merged = mergeParts([part([fused('a', 2), fused('c', 7)]), part([fused('b', 4)])], 2);
    expect(merged.ranked.map((event) => event.rawId)).toEqual(['c', 'b']);
  });

  it('merges the parts into the global top list and sums their counts, whatever the order of the parts', () => {
    const one = part([ranked('a', 0.2), ranked('c', 0.4)]);
    const two = part([ranked('b', 0.2), ranked('d', 0.3)]);
    const merged = mergeParts([one, two], 3);
    expect(merged.ranked.map((event) => event.rawId)).toEqual(['a', 'b', 'd']);
    expect(mergeParts([two, one], 3).ranked).toEqual(merged.ranked);
    expect(merged.counts.map((count) => count.events)).toEqual([10, 10]);
  });
});
