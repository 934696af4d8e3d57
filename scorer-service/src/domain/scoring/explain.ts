import type { LdaScorer } from './scorer';

export interface WordProbability {
  word: string;
  probability: number;
}

/** Why the LDA found an event unlikely, in terms an analyst can check against the IP's usual traffic. */
export interface LdaExplanation {
  /** The IP whose document the word was scored in. */
  document: string;
  word: string;
  /** P(word | IP); 0 when the model has not seen the word or the IP. */
  probability: number;
  /** The word was never seen in training (by any IP). */
  unseenWord: boolean;
  /** The IP was not in the training window. */
  unseenDocument: boolean;
  /** The IP's most likely words under its own profile, most likely first. */
  usualWords: WordProbability[];
}

/**
 * Explains LDA scores. The usual words of an IP are the top of P(w | IP) over the vocabulary; they are computed
 * once per IP and kept, because the few thousand selected events share far fewer IPs.
 */
export class LdaExplainer {
  private readonly usualByDocument = new Map<number, WordProbability[]>();

  constructor(
    private readonly scorer: LdaScorer,
    private readonly topWords = 5,
    private readonly maxCachedDocuments = 10_000,
  ) {
    if (!Number.isInteger(topWords) || topWords < 1) throw new RangeError(`topWords must be an integer >= 1, got ${topWords}`);
  }

  explain(document: string, word: string): LdaExplanation {
    const documentId = this.scorer.documentId(document);
    const wordId = this.scorer.wordId(word);
    return {
      document,
      word,
      probability: this.scorer.probability(documentId, wordId),
      unseenWord: wordId < 0,
      unseenDocument: documentId < 0,
      usualWords: documentId < 0 ? [] : this.usualWords(documentId),
    };
  }

  /** Explains a flow by the side that set its score (the lower one; the source on a tie). */
  explainFlow(srcIp: string, srcWord: string, dstIp: string, dstWord: string): LdaExplanation & { side: 'source' | 'destination' } {
    const source = this.explain(srcIp, srcWord);
    if (source.probability === 0) return { ...source, side: 'source' };
    const destination = this.explain(dstIp, dstWord);
    return destination.probability < source.probability ? { ...destination, side: 'destination' } : { ...source, side: 'source' };
  }

  private usualWords(documentId: number): WordProbability[] {
    const cached = this.usualByDocument.get(documentId);
    if (cached) return cached;
    const vocabulary = this.scorer.model.vocabulary;
    const n = Math.min(this.topWords, vocabulary.length);
    // Keep the top n in a small sorted array: n is a handful, the vocabulary thousands.
    const bestIds: number[] = [];
    const bestProbabilities: number[] = [];
    for (let w = 0; w < vocabulary.length; w++) {
      const p = this.scorer.probability(documentId, w);
      if (bestIds.length === n && p <= bestProbabilities[n - 1]) continue;
      let at = bestIds.length === n ? n - 1 : bestIds.length;
      while (at > 0 && bestProbabilities[at - 1] < p) {
        bestIds[at] = bestIds[at - 1];
        bestProbabilities[at] = bestProbabilities[at - 1];
        at--;
      }
      bestIds[at] = w;
      bestProbabilities[at] = p;
    }
    const usual = bestIds.map((w, i) => ({ word: vocabulary[w], probability: bestProbabilities[i] }));
    if (this.usualByDocument.size >= this.maxCachedDocuments) this.usualByDocument.clear();
    this.usualByDocument.set(documentId, usual);
    return usual;
  }
}
