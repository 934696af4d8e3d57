import type { LdaScorer } from './scorer';

/**
 * The population's view of an event's word beside the IP's own: how typical the word is of this IP (its LDA
 * probability P(word | IP)) times how rare it is across the network (ln of documents / documents using the
 * word, the inverse document frequency of text retrieval).
 *
 *   concentration(IP, word) = P(word | IP) x ln(D / df(word))
 *
 * Spot's score ranks a word low when it is rare *for the IP*, which has a blind spot: when an attack is most of an
 * IP's traffic (a scanner, a brute-forcer, an infected host checking in, a client tunnelling through DNS), the
 * attack's words are that IP's normal profile and score as harmless. Those words are typical of one or two IPs
 * and used by almost no other, and that is what this measure ranks high. Ordinary traffic scores low either way:
 * words many IPs use (web, mail, name lookups) have an IDF near 0, and a one-off word of a busy IP has a small
 * P(word | IP). A word the model has not seen gets 0 here; Spot's score already ranks it first.
 */
export class WordConcentration {
  /** ln(D / df) per model word id; words the window does not use get ln(D) (at most one document). */
  private readonly idf: Float64Array;

  /**
   * @param scorer the LDA the probabilities come from; its word ids index the result.
   * @param window document frequencies of the window being scored: its words, how many IP documents use each,
   *   and the number of documents.
   */
  constructor(
    private readonly scorer: LdaScorer,
    window: { words: readonly string[]; documentFrequency: ArrayLike<number>; documents: number },
  ) {
    if (window.words.length !== window.documentFrequency.length) {
      throw new RangeError(`${window.words.length} words but ${window.documentFrequency.length} document frequencies`);
    }
    if (!(window.documents >= 1)) throw new RangeError(`a window needs at least one document, got ${window.documents}`);
    const documents = window.documents;
    this.idf = new Float64Array(scorer.model.vocabulary.length).fill(Math.log(documents));
    for (let i = 0; i < window.words.length; i++) {
      const df = window.documentFrequency[i];
      if (!(df >= 1 && df <= documents)) throw new RangeError(`word ${JSON.stringify(window.words[i])} has document frequency ${df} of ${documents} documents`);
      const id = scorer.wordId(window.words[i]);
      if (id >= 0) this.idf[id] = Math.log(documents / df);
    }
  }

  /** The inverse document frequency of a model word id (0 for an unknown word: nothing to weigh). */
  inverseDocumentFrequency(wordId: number): number {
    return wordId < 0 ? 0 : this.idf[wordId];
  }

  /** Concentration from a probability already computed for the LDA score (the hot path pays one multiply). */
  ofProbability(probability: number, wordId: number): number {
    return wordId < 0 ? 0 : probability * this.idf[wordId];
  }

  /** Concentration of a word in an IP's document, by key. */
  of(documentKey: string, word: string): number {
    const wordId = this.scorer.wordId(word);
    return this.ofProbability(this.scorer.probability(this.scorer.documentId(documentKey), wordId), wordId);
  }
}
