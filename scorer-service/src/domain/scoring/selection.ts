/**
 * Spot's selection of suspicious events: keep score <= TOL, sort ascending, cut to MAXRESULTS. A bounded max-heap
 * holds the MAXRESULTS lowest seen so far, so a window of any size is selected in O(MAXRESULTS) memory.
 */

export interface SelectionOptions {
  /** Keep events whose score is <= tol (Spot's TOL; spot.conf shipped 1e-6). */
  tol: number;
  /** Keep at most this many, the lowest (Spot's MAXRESULTS). */
  maxResults: number;
}

export interface Selected<T> {
  score: number;
  item: T;
}

export class SuspiciousSelector<T> {
  private readonly scores: number[] = [];
  private readonly sequence: number[] = [];
  private readonly items: T[] = [];
  private offered = 0;
  private kept = 0;

  constructor(readonly options: SelectionOptions) {
    if (Number.isNaN(options.tol)) throw new RangeError('TOL must be a number');
    if (!Number.isInteger(options.maxResults) || options.maxResults < 1) {
      throw new RangeError(`MAXRESULTS must be an integer >= 1, got ${options.maxResults}`);
    }
  }

  /** Offers an event; returns whether it is (for now) among the selected. */
  offer(score: number, item: T): boolean {
    const seq = this.offered++;
    if (Number.isNaN(score)) throw new RangeError('a score is NaN: the event was not scored');
    if (score > this.options.tol) return false;
    this.kept++;
    const size = this.scores.length;
    if (size < this.options.maxResults) {
      this.scores.push(score);
      this.sequence.push(seq);
      this.items.push(item);
      this.siftUp(size);
      return true;
    }
    // The root is the worst kept (highest score, latest on ties): a newcomer must be strictly better.
    if (score >= this.scores[0]) return false;
    this.scores[0] = score;
    this.sequence[0] = seq;
    this.items[0] = item;
    this.siftDown(0);
    return true;
  }

  /** Events offered so far. */
  get offeredCount(): number {
    return this.offered;
  }

  /** Events at or under TOL so far, before the MAXRESULTS cut. */
  get underToleranceCount(): number {
    return this.kept;
  }

  /** The selection, lowest score first; ties keep the order the events were offered in. */
  results(): Selected<T>[] {
    const order = this.scores.map((_s, i) => i);
    order.sort((x, y) => this.scores[x] - this.scores[y] || this.sequence[x] - this.sequence[y]);
    return order.map((i) => ({ score: this.scores[i], item: this.items[i] }));
  }

  private worse(i: number, j: number): boolean {
    return this.scores[i] > this.scores[j] || (this.scores[i] === this.scores[j] && this.sequence[i] > this.sequence[j]);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
    [this.sequence[i], this.sequence[j]] = [this.sequence[j], this.sequence[i]];
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const size = this.scores.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < size && this.worse(left, worst)) worst = left;
      if (right < size && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}

/** Selects from an iterable in one go. */
export function selectSuspicious<T>(scored: Iterable<Selected<T>>, options: SelectionOptions): Selected<T>[] {
  const selector = new SuspiciousSelector<T>(options);
  for (const { score, item } of scored) selector.offer(score, item);
  return selector.results();
}
