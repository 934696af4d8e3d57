/**
 * A fixed-size sample of a window's events that does not depend on the order they arrive in: the events whose
 * key hashes lowest ("bottom-k" sampling). A window read by several PIT slices, or twice, yields the same sample,
 * so a re-scored window gets the same references and the same models. Memory is the sample size, whatever the
 * window's.
 */

/** 32-bit FNV-1a of a string, then a murmur3 finaliser so that similar keys spread over the range. */
export function hashKey(key: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class BottomKSample<T> {
  /** Max-heap on (hash, key): the root is the first to leave when a lower one arrives. */
  private readonly hashes: number[] = [];
  private readonly keys: string[] = [];
  private readonly items: T[] = [];
  private offered = 0;

  constructor(
    readonly capacity: number,
    private readonly seed = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a sample needs a capacity >= 1, got ${capacity}`);
  }

  /**
   * Offers an event under its identity; `make` builds the kept item only when it is kept, and is handed the item it
   * replaces (undefined while the sample is filling) so a caller can reuse that item's storage. `make` returning
   * undefined keeps nothing: the event had nothing to sample.
   */
  offer(key: string, make: (replaced: T | undefined) => T | undefined): void {
    this.offered++;
    const hash = hashKey(key, this.seed);
    const size = this.hashes.length;
    if (size < this.capacity) {
      const item = make(undefined);
      if (item === undefined) return;
      this.hashes.push(hash);
      this.keys.push(key);
      this.items.push(item);
      this.siftUp(size);
      return;
    }
    if (!this.before(hash, key, this.hashes[0], this.keys[0])) return;
    const item = make(this.items[0]);
    if (item === undefined) return;
    this.hashes[0] = hash;
    this.keys[0] = key;
    this.items[0] = item;
    this.siftDown(0);
  }

  get size(): number {
    return this.hashes.length;
  }

  /** Events offered so far (the sample's share of the window is size / offeredCount). */
  get offeredCount(): number {
    return this.offered;
  }

  /** The sample in hash order: the same order whatever order the events came in. */
  values(): T[] {
    const order = this.hashes.map((_h, i) => i);
    order.sort((a, b) => (this.before(this.hashes[a], this.keys[a], this.hashes[b], this.keys[b]) ? -1 : 1));
    return order.map((i) => this.items[i]);
  }

  /** Whether (hash, key) sorts before (otherHash, otherKey): by hash, then by key so that collisions are ordered too. */
  private before(hash: number, key: string, otherHash: number, otherKey: string): boolean {
    return hash < otherHash || (hash === otherHash && key < otherKey);
  }

  private swap(i: number, j: number): void {
    [this.hashes[i], this.hashes[j]] = [this.hashes[j], this.hashes[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.hashes[parent], this.keys[parent], this.hashes[i], this.keys[i])) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const size = this.hashes.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < size && this.before(this.hashes[largest], this.keys[largest], this.hashes[left], this.keys[left])) largest = left;
      if (right < size && this.before(this.hashes[largest], this.keys[largest], this.hashes[right], this.keys[right])) largest = right;
      if (largest === i) return;
      this.swap(i, largest);
      i = largest;
    }
  }
}
