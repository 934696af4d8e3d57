import type { PartResult, RankedEvent } from './windowScorer';

/**
 * Scale-out of one window: a train job registers the model once, N part jobs (any worker process, any host) each
 * score one part of the window with that model version and keep their own bounded top list, and a merge job takes
 * the global top MAXRESULTS of the lists and writes them as one run.
 *
 * For the written documents to be the same whatever the number of processes, every choice must be independent of
 * timing: which events a part holds depends only on the data and the part count (`WindowPart`), and the top lists
 * order events by score and then by their raw index and id, never by the order pages happened to arrive in.
 *
 * The fused ranking adds window-level state (the heuristics' verdicts, the reference sample, the document
 * frequencies): the process that reads the whole window (the train job, or an observe job for a given version)
 * stores it beside the model version (windowState.ts), and every part ranks its slice with it, so each event gets
 * the fused score a one-process run gives it. Parts offer the negated fused score (lower is more suspicious).
 */

interface Ranked {
  score: number;
  rawIndex: string;
  rawId: string;
}

/** Lower score first; equal scores by raw index, then raw id. */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  if (a.rawIndex !== b.rawIndex) return a.rawIndex < b.rawIndex ? -1 : 1;
  if (a.rawId !== b.rawId) return a.rawId < b.rawId ? -1 : 1;
  return 0;
}

/**
 * The MAXRESULTS lowest scores at or under TOL, kept in a heap whose root is the worst kept. Unlike the whole-window
 * selector, ties are decided by the raw index and id, so the kept set does not depend on arrival order.
 */
export class OrderFreeSelector<T extends { rawIndex: string; rawId: string }> {
  private readonly heap: { score: number; item: T }[] = [];
  private kept = 0;

  constructor(private readonly options: { tol: number; maxResults: number }) {
    if (!Number.isInteger(options.maxResults) || options.maxResults < 1) throw new RangeError(`MAXRESULTS must be an integer >= 1, got ${options.maxResults}`);
  }

  get underToleranceCount(): number {
    return this.kept;
  }

  offer(score: number, item: T): void {
    this.offerBuilt(score, item, () => item);
  }

  /**
   * Offers an event known by its score and raw identity; `make` builds the kept item only if the event enters the
   * list (most of a large window's events do not, and need not be built).
   */
  offerBuilt(score: number, identity: { rawIndex: string; rawId: string }, make: () => T): void {
    if (Number.isNaN(score)) throw new RangeError('a score is NaN: the event was not scored');
    if (score > this.options.tol) return;
    this.kept += 1;
    if (this.heap.length < this.options.maxResults) {
      this.heap.push({ score, item: make() });
      this.siftUp(this.heap.length - 1);
    } else if (compareRanked(flat(this.heap[0]), { score, rawIndex: identity.rawIndex, rawId: identity.rawId }) > 0) {
      this.heap[0] = { score, item: make() };
      this.siftDown(0);
    }
  }

  /** Best first. */
  results(): { score: number; item: T }[] {
    return [...this.heap].sort((a, b) => compareRanked(flat(a), flat(b)));
  }

  private worse(a: { score: number; item: T }, b: { score: number; item: T }): boolean {
    return compareRanked(flat(a), flat(b)) > 0;
  }

  private siftUp(at: number): void {
    const heap = this.heap;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.worse(heap[at], heap[parent])) return;
      [heap[at], heap[parent]] = [heap[parent], heap[at]];
      at = parent;
    }
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && this.worse(heap[left], heap[worst])) worst = left;
      if (right < heap.length && this.worse(heap[right], heap[worst])) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst], heap[at]];
      at = worst;
    }
  }
}

function flat(entry: { score: number; item: { rawIndex: string; rawId: string } }): Ranked {
  return { score: entry.score, rawIndex: entry.item.rawIndex, rawId: entry.item.rawId };
}

/** What a part ranked an event by: the negated fused score when the window is fused, else Spot's LDA score. */
export function rankScore(event: Pick<RankedEvent, 'score' | 'fused'>): number {
  return event.fused ? -event.fused.score : event.score;
}

/**
 * The window's top MAXRESULTS from the parts' lists. Each part kept its own top MAXRESULTS, so the global ones are
 * all among them; a total order over (rank score, raw index, raw id) makes the merge independent of the parts' order.
 */
export function mergeParts(parts: PartResult[], maxResults: number): { counts: Omit<PartResult, 'ranked'>[]; ranked: RankedEvent[] } {
  const all: RankedEvent[] = [];
  const counts: Omit<PartResult, 'ranked'>[] = [];
  for (const { ranked, ...count } of parts) {
    counts.push(count);
    all.push(...ranked);
  }
  all.sort((a, b) => compareRanked({ ...a, score: rankScore(a) }, { ...b, score: rankScore(b) }));
  return { counts, ranked: all.slice(0, maxResults) };
}
