import { topicColumns, type LdaModel } from '../lda/model';

/**
 * Scores events against a trained model: score = P(word | document) = sum_k theta_dk phi_kw, the probability
 * the IP's own profile gives the event's word. Lower is rarer. A word or an IP the model never saw scores 0,
 * the most suspicious value, as in Spot: nothing in the IP's profile explains it.
 */
export class LdaScorer {
  /** Topic columns of the model (its topics x its chains). */
  readonly topics: number;
  private readonly docIndex = new Map<string, number>();
  private readonly wordIndex = new Map<string, number>();
  private readonly theta: Float64Array;
  private readonly phi: Float64Array;

  constructor(readonly model: LdaModel) {
    this.topics = topicColumns(model.params);
    this.theta = model.docTopics;
    this.phi = model.wordTopics;
    model.documents.forEach((doc, i) => this.docIndex.set(doc, i));
    model.vocabulary.forEach((word, i) => this.wordIndex.set(word, i));
  }

  /** Id of a document key, -1 when the model has not seen it. */
  documentId(key: string): number {
    return this.docIndex.get(key) ?? -1;
  }

  /** Id of a word, -1 when the model has not seen it. */
  wordId(word: string): number {
    return this.wordIndex.get(word) ?? -1;
  }

  /** P(word | document) by ids; 0 when either is unknown (-1). */
  probability(documentId: number, wordId: number): number {
    if (documentId < 0 || wordId < 0) return 0;
    const K = this.topics;
    const theta = this.theta;
    const phi = this.phi;
    const docBase = documentId * K;
    const wordBase = wordId * K;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += theta[docBase + k] * phi[wordBase + k];
    return sum;
  }

  /** Score of one word in one IP's document (DNS and proxy events). */
  scoreWord(documentKey: string, word: string): number {
    return this.probability(this.documentId(documentKey), this.wordId(word));
  }

  /**
   * Score of a flow: the lower of its source-side and destination-side scores, so a flow is as suspicious as it
   * is unusual for either end.
   */
  scoreFlow(srcIp: string, srcWord: string, dstIp: string, dstWord: string): number {
    const src = this.scoreWord(srcIp, srcWord);
    if (src === 0) return 0;
    const dst = this.scoreWord(dstIp, dstWord);
    return dst < src ? dst : src;
  }
}
