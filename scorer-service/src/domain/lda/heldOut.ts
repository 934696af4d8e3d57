import type { Corpus } from './corpus';
import { topicColumns, type LdaModel } from './model';
import { SeededRandom } from './random';

/**
 * Held-out evaluation. The model is per IP and scores the IPs it was trained on, so the held-out set is a share
 * of each document's own tokens ("document completion"): train on the rest, then ask how likely the model finds
 * the tokens it never saw.
 */

export interface HeldOutSplit {
  train: Corpus;
  heldOut: Corpus;
}

/**
 * Moves about `fraction` of every pair's count to the held-out corpus: floor(count x fraction), plus one more with
 * the probability of the remainder, so small counts are split fairly without visiting each token.
 */
export function splitHeldOut(corpus: Corpus, fraction: number, seed = 1): HeldOutSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`held-out fraction must be between 0 and 1, got ${fraction}`);
  const random = new SeededRandom(seed);
  const nnz = corpus.wordIds.length;
  const heldCounts = new Float64Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const target = corpus.counts[p] * fraction;
    const whole = Math.floor(target);
    heldCounts[p] = whole + (random.next() < target - whole ? 1 : 0);
  }
  const keep = (p: number, held: boolean) => (held ? heldCounts[p] : corpus.counts[p] - heldCounts[p]);
  return { train: subCorpus(corpus, (p) => keep(p, false)), heldOut: subCorpus(corpus, (p) => keep(p, true)) };
}

function subCorpus(corpus: Corpus, countOf: (pair: number) => number): Corpus {
  const D = corpus.documents.length;
  const docStart = new Int32Array(D + 1);
  for (let d = 0; d < D; d++) {
    let kept = 0;
    for (let p = corpus.docStart[d]; p < corpus.docStart[d + 1]; p++) if (countOf(p) > 0) kept++;
    docStart[d + 1] = docStart[d] + kept;
  }
  const wordIds = new Int32Array(docStart[D]);
  const counts = new Float64Array(docStart[D]);
  let at = 0;
  let tokens = 0;
  for (let p = 0; p < corpus.wordIds.length; p++) {
    const count = countOf(p);
    if (count > 0) {
      wordIds[at] = corpus.wordIds[p];
      counts[at++] = count;
      tokens += count;
    }
  }
  return { documents: corpus.documents, vocabulary: corpus.vocabulary, docStart, wordIds, counts, tokens };
}

export interface HeldOutReport {
  /** Held-out tokens the model could score (their document and word are in the model). */
  tokens: number;
  /** Sum over those tokens of ln P(word | document). */
  logLikelihood: number;
  /** exp(-logLikelihood / tokens): the model is as unsure as a uniform choice among this many words. */
  perplexity: number;
  /** Perplexity of a uniform choice over the model's vocabulary, the baseline a useful model must beat. */
  uniformPerplexity: number;
  /** Held-out tokens whose document or word the model has never seen; reported, never folded into the figures. */
  unscoredTokens: number;
}

export function heldOutLikelihood(model: LdaModel, heldOut: Corpus): HeldOutReport {
  const K = topicColumns(model.params);
  const docIndex = indexOf(model.documents);
  const wordIndex = indexOf(model.vocabulary);
  const sameDocs = heldOut.documents === model.documents;
  const sameWords = heldOut.vocabulary === model.vocabulary;
  const wordMap = sameWords ? null : heldOut.vocabulary.map((word) => wordIndex.get(word) ?? -1);
  let tokens = 0;
  let logLikelihood = 0;
  let unscoredTokens = 0;
  for (let d = 0; d < heldOut.documents.length; d++) {
    const modelDoc = sameDocs ? d : (docIndex.get(heldOut.documents[d]) ?? -1);
    for (let p = heldOut.docStart[d]; p < heldOut.docStart[d + 1]; p++) {
      const count = heldOut.counts[p];
      const modelWord = wordMap ? wordMap[heldOut.wordIds[p]] : heldOut.wordIds[p];
      if (modelDoc < 0 || modelWord < 0) {
        unscoredTokens += count;
        continue;
      }
      let probability = 0;
      for (let k = 0; k < K; k++) probability += model.docTopics[modelDoc * K + k] * model.wordTopics[modelWord * K + k];
      logLikelihood += count * Math.log(probability);
      tokens += count;
    }
  }
  return {
    tokens,
    logLikelihood,
    perplexity: tokens > 0 ? Math.exp(-logLikelihood / tokens) : NaN,
    uniformPerplexity: model.vocabulary.length,
    unscoredTokens,
  };
}

function indexOf(keys: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  keys.forEach((key, i) => index.set(key, i));
  return index;
}
