/**
 * The bag-of-words corpus: one document per IP (per window), each a sparse list of (word, count) pairs.
 *
 * Events are streamed into a `CorpusBuilder`, which keeps only one count per distinct (document, word) pair in
 * an open-addressing table over typed arrays, so memory follows the number of distinct pairs, not the number
 * of events: a busy IP sending the same word a million times costs one entry.
 */

export interface Corpus {
  /** Document keys (IPs); a document's id is its index. */
  readonly documents: readonly string[];
  /** Words; a word's id is its index. */
  readonly vocabulary: readonly string[];
  /** CSR offsets: the pairs of document d are at [docStart[d], docStart[d + 1]). Length documents + 1. */
  readonly docStart: Int32Array;
  /** Word id of each pair, ascending within a document. */
  readonly wordIds: Int32Array;
  /** Count of each pair (a float so feedback duplication factors cannot overflow it). */
  readonly counts: Float64Array;
  /** Sum of all counts. */
  readonly tokens: number;
}

const EMPTY = -1;

/** (document id, word id) -> count, open addressing with linear probing. */
class PairCountTable {
  private capacity: number;
  private docs: Int32Array;
  private words: Int32Array;
  private values: Float64Array;
  size = 0;

  constructor(initialCapacity = 1 << 12) {
    this.capacity = initialCapacity;
    this.docs = new Int32Array(initialCapacity).fill(EMPTY);
    this.words = new Int32Array(initialCapacity);
    this.values = new Float64Array(initialCapacity);
  }

  add(doc: number, word: number, count: number): void {
    const mask = this.capacity - 1;
    let slot = slotOf(doc, word) & mask;
    for (;;) {
      const d = this.docs[slot];
      if (d === EMPTY) {
        this.docs[slot] = doc;
        this.words[slot] = word;
        this.values[slot] = count;
        if (++this.size * 10 > this.capacity * 7) this.grow();
        return;
      }
      if (d === doc && this.words[slot] === word) {
        this.values[slot] += count;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  forEach(visit: (doc: number, word: number, count: number) => void): void {
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.docs[slot] !== EMPTY) visit(this.docs[slot], this.words[slot], this.values[slot]);
    }
  }

  private grow(): void {
    const { docs, words, values, capacity } = this;
    this.capacity = capacity * 2;
    this.docs = new Int32Array(this.capacity).fill(EMPTY);
    this.words = new Int32Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.size = 0;
    for (let slot = 0; slot < capacity; slot++) {
      if (docs[slot] !== EMPTY) this.add(docs[slot], words[slot], values[slot]);
    }
  }
}

function slotOf(doc: number, word: number): number {
  let h = Math.imul(doc, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** Strings numbered in first-seen order. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly keys: string[] = [];

  idOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}

/** Keys sorted by code unit, and the sorted position of each key's first-seen id. */
function canonicalOrder(firstSeen: readonly string[]): { keys: string[]; rankOf: Int32Array } {
  const order = Array.from(firstSeen.keys()).sort((a, b) => (firstSeen[a] < firstSeen[b] ? -1 : firstSeen[a] > firstSeen[b] ? 1 : 0));
  const rankOf = new Int32Array(firstSeen.length);
  order.forEach((id, rank) => (rankOf[id] = rank));
  return { keys: order.map((id) => firstSeen[id]), rankOf };
}

/**
 * Pass 1 of a scoring window: add every event's (document, word) and, before training, the analysts' benign
 * feedback multiplied by DUPFACTOR. `build()` then freezes the counts into a `Corpus`.
 */
export class CorpusBuilder {
  private readonly documentKeys = new Interner();
  private readonly words = new Interner();
  private readonly pairs = new PairCountTable();
  private tokens = 0;

  /** Id of a document key, interning it on first sight. */
  documentId(key: string): number {
    return this.documentKeys.idOf(key);
  }

  /** Id of a word, interning it on first sight. */
  wordId(word: string): number {
    return this.words.idOf(word);
  }

  /** Counts `count` occurrences of `word` in the document of `key`. */
  add(key: string, word: string, count = 1): void {
    this.addIds(this.documentId(key), this.wordId(word), count);
  }

  /** Same as `add`, for callers that already hold the ids. */
  addIds(documentId: number, wordId: number, count = 1): void {
    if (!(count > 0) || count === Infinity) throw new RangeError(`a count must be a finite number > 0, got ${count}`);
    if (documentId < 0 || documentId >= this.documentKeys.keys.length) throw new RangeError(`unknown document id ${documentId}`);
    if (wordId < 0 || wordId >= this.words.keys.length) throw new RangeError(`unknown word id ${wordId}`);
    this.pairs.add(documentId, wordId, count);
    this.tokens += count;
  }

  /**
   * Adds an analyst-accepted (severity 3) event's word `dupFactor` times, Spot's feedback: the word becomes common
   * for that IP, so look-alike events score high in the next model instead of being flagged again.
   */
  addFeedback(key: string, word: string, dupFactor: number): void {
    if (!Number.isInteger(dupFactor) || dupFactor < 1) throw new RangeError(`DUPFACTOR must be an integer >= 1, got ${dupFactor}`);
    this.add(key, word, dupFactor);
  }

  /**
   * How many documents use each word (ids as `wordId` gives them) and how many documents there are, as counted
   * so far: ask before adding feedback to get the window's own figures.
   */
  documentFrequencies(): { words: string[]; documentFrequency: Float64Array; documents: number } {
    const documentFrequency = new Float64Array(this.words.keys.length);
    this.pairs.forEach((_doc, word) => documentFrequency[word]++);
    return { words: this.words.keys.slice(), documentFrequency, documents: this.documentKeys.keys.length };
  }

  get pairCount(): number {
    return this.pairs.size;
  }

  get tokenCount(): number {
    return this.tokens;
  }

  /**
   * Freezes the counts: documents and words in code-unit order of their keys (not the order they were first seen)
   * and pairs sorted by word id within each document. A window read in another order (a re-ingested index, other
   * shards, other PIT slices) then gives the same corpus, so the same model for a seed.
   */
  build(): Corpus {
    const documents = canonicalOrder(this.documentKeys.keys);
    const vocabulary = canonicalOrder(this.words.keys);
    const documentCount = documents.keys.length;
    const wordCount = vocabulary.keys.length;
    const nnz = this.pairs.size;
    // Two-key radix sort: bucket by word, then stably by document.
    const byWordStart = new Int32Array(wordCount + 1);
    this.pairs.forEach((_doc, word) => byWordStart[vocabulary.rankOf[word] + 1]++);
    for (let w = 0; w < wordCount; w++) byWordStart[w + 1] += byWordStart[w];
    const tmpDocs = new Int32Array(nnz);
    const tmpWords = new Int32Array(nnz);
    const tmpCounts = new Float64Array(nnz);
    this.pairs.forEach((doc, word, count) => {
      const rankedWord = vocabulary.rankOf[word];
      const at = byWordStart[rankedWord]++;
      tmpDocs[at] = documents.rankOf[doc];
      tmpWords[at] = rankedWord;
      tmpCounts[at] = count;
    });

    const docStart = new Int32Array(documentCount + 1);
    for (let i = 0; i < nnz; i++) docStart[tmpDocs[i] + 1]++;
    for (let d = 0; d < documentCount; d++) docStart[d + 1] += docStart[d];
    const next = docStart.slice(0, documentCount);
    const wordIds = new Int32Array(nnz);
    const counts = new Float64Array(nnz);
    for (let i = 0; i < nnz; i++) {
      const at = next[tmpDocs[i]]++;
      wordIds[at] = tmpWords[i];
      counts[at] = tmpCounts[i];
    }
    return {
      documents: documents.keys,
      vocabulary: vocabulary.keys,
      docStart,
      wordIds,
      counts,
      tokens: this.tokens,
    };
  }
}
