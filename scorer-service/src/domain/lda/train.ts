import type { Corpus } from './corpus';
import type { LdaModel, LdaParams } from './model';
import { SPOT_LDA_PARAMS } from './model';
import { SeededRandom } from './random';

/**
 * LDA by batch MAP-EM over (document, word) pairs, the estimator of Spark MLlib's EMLDAOptimizer that Spot ran.
 *
 * Why EM over pairs rather than collapsed Gibbs over tokens: Gibbs keeps a topic per token, so its memory and
 * time follow the raw event count (a chatty IP repeats one word millions of times, and DUPFACTOR feedback adds
 * a thousand copies per rated event). EM needs no per-token state: each distinct pair gets a responsibility
 * vector over the topics computed from the previous iteration's counts and weighted by the pair's count, exactly
 * as if every copy had been visited. Memory is the corpus itself (linear in distinct pairs) plus the
 * document-topic and word-topic count tables; time per iteration is pairs x K. It is deterministic for a seed
 * (the only randomness is the choice of starting topics, see `seededTopics`) and reproduces Spot's parameters with their meaning, which is why
 * both priors must be > 1: the MAP estimate uses count + prior - 1.
 *
 * One iteration, with a = alpha - 1, b = beta - 1, W words:
 *   phi_kw   = (n_wk + b) / (n_k + W b)
 *   gamma    ∝ (n_dk + a) phi_kw                     for each pair (d, w), over k
 *   n_dk', n_wk', n_k' = sums of count x gamma
 *
 * Several chains: EM only climbs to the optimum nearest its start, and on a window of small documents (a sample,
 * a quiet network: one or two events per IP) which optimum it reaches, and so P(word | IP), is the start's draw.
 * With `chains` R > 1, R runs from independent starts are averaged: P(w | d) = (1/R) sum_r P_r(w | d), which
 * estimates the same probability with the start's share of the variance divided by R. The average is stored as
 * one model of R x K topic columns (`topicColumns`). Extra chains cost R times the training and scoring time, so
 * a window gets them only while R x tokens stays within `CHAIN_TOKEN_BUDGET` (`chainsFor`): the windows that
 * need them are the small ones, and a large window trains and scores as one chain.
 */

export interface IterationReport {
  /** 1-based iteration number, within its chain. */
  iteration: number;
  /** 1-based chain number, and how many chains this training runs. */
  chain: number;
  chains: number;
  /** Log-likelihood of the training tokens under the model the iteration started from. */
  logLikelihood: number;
  /** exp(-logLikelihood / tokens). */
  perplexity: number;
}

export interface TrainOptions extends Partial<LdaParams> {
  onIteration?: (report: IterationReport) => void;
}

export function resolveLdaParams(options: Partial<LdaParams> = {}): LdaParams {
  const params: LdaParams = {
    topics: options.topics ?? SPOT_LDA_PARAMS.topics,
    alpha: options.alpha ?? SPOT_LDA_PARAMS.alpha,
    beta: options.beta ?? SPOT_LDA_PARAMS.beta,
    iterations: options.iterations ?? SPOT_LDA_PARAMS.iterations,
    seed: options.seed ?? SPOT_LDA_PARAMS.seed,
    chains: options.chains ?? SPOT_LDA_PARAMS.chains,
  };
  const problems: string[] = [];
  if (!Number.isInteger(params.topics) || params.topics < 1) problems.push(`topics must be an integer >= 1, got ${params.topics}`);
  if (!(params.alpha > 1) || !Number.isFinite(params.alpha)) {
    problems.push(`alpha must be a finite number > 1 (the EM estimator uses alpha - 1), got ${params.alpha}`);
  }
  if (!(params.beta > 1) || !Number.isFinite(params.beta)) {
    problems.push(`beta must be a finite number > 1 (the EM estimator uses beta - 1), got ${params.beta}`);
  }
  if (!Number.isInteger(params.iterations) || params.iterations < 1) problems.push(`iterations must be an integer >= 1, got ${params.iterations}`);
  if (!Number.isSafeInteger(params.seed)) problems.push(`seed must be an integer, got ${params.seed}`);
  if (!Number.isInteger(params.chains) || params.chains < 1) problems.push(`chains must be an integer >= 1, got ${params.chains}`);
  if (problems.length > 0) throw new RangeError(`invalid LDA parameters: ${problems.join('; ')}`);
  return params;
}

/** Chains x tokens a window's training may reach: more chains only while the work stays that of a 1M-token window. */
export const CHAIN_TOKEN_BUDGET = 1_000_000;

/** How many chains a corpus of `tokens` gets: at most `maxChains`, fewer as the corpus grows, never fewer than one. */
export function chainsFor(tokens: number, maxChains: number): number {
  return Math.max(1, Math.min(maxChains, Math.floor(CHAIN_TOKEN_BUDGET / Math.max(tokens, 1))));
}

/** Chain r starts from seed + r x this prime, so the chains of seed s never repeat a chain of another small seed. */
export const CHAIN_SEED_STRIDE = 7919;

export function trainLda(corpus: Corpus, options: TrainOptions = {}): LdaModel {
  const requested = resolveLdaParams(options);
  const chains = chainsFor(corpus.tokens, requested.chains);
  const params: LdaParams = { ...requested, chains };
  const runs = Array.from({ length: chains }, (_, r) =>
    trainChain(corpus, params, params.seed + r * CHAIN_SEED_STRIDE, (iteration, logLikelihood, perplexity) =>
      options.onIteration?.({ iteration, chain: r + 1, chains, logLikelihood, perplexity }),
    ),
  );
  const { theta, phi } = chains === 1 ? runs[0] : sideBySide(runs, params.topics, corpus.documents.length, corpus.vocabulary.length);
  return { params, documents: corpus.documents, vocabulary: corpus.vocabulary, docTopics: theta, wordTopics: phi, trainingTokens: corpus.tokens };
}

/** The average of the chains as one model: chain r's topic k in column r K + k, its theta weighted 1 / R. */
function sideBySide(runs: Array<{ theta: Float64Array; phi: Float64Array }>, K: number, D: number, W: number): { theta: Float64Array; phi: Float64Array } {
  const R = runs.length;
  const columns = R * K;
  const theta = new Float64Array(D * columns);
  const phi = new Float64Array(W * columns);
  runs.forEach((run, r) => {
    for (let d = 0; d < D; d++) for (let k = 0; k < K; k++) theta[d * columns + r * K + k] = run.theta[d * K + k] / R;
    for (let w = 0; w < W; w++) for (let k = 0; k < K; k++) phi[w * columns + r * K + k] = run.phi[w * K + k];
  });
  return { theta, phi };
}

/** One EM run from the start `seed` draws: theta (documents x K) and phi transposed (words x K). */
function trainChain(
  corpus: Corpus,
  params: LdaParams,
  seed: number,
  onIteration: (iteration: number, logLikelihood: number, perplexity: number) => void,
): { theta: Float64Array; phi: Float64Array } {
  const K = params.topics;
  const D = corpus.documents.length;
  const W = corpus.vocabulary.length;
  const { docStart, wordIds, counts } = corpus;
  const a = params.alpha - 1;
  const b = params.beta - 1;

  const docTopicCounts = new Float64Array(D * K);
  let wordTopicCounts = new Float64Array(W * K);
  let nextWordTopicCounts = new Float64Array(W * K);
  let topicCounts = new Float64Array(K);
  let nextTopicCounts = new Float64Array(K);
  const docTokens = new Float64Array(D);
  const gamma = new Float64Array(K);
  const docAccumulator = new Float64Array(K);

  for (let d = 0; d < D; d++) {
    for (let p = docStart[d]; p < docStart[d + 1]; p++) docTokens[d] += counts[p];
    docTopicCounts.fill(docTokens[d] / K, d * K, (d + 1) * K);
  }
  const phi = seededTopics(corpus, K, new SeededRandom(seed));
  const tokens = corpus.tokens;
  for (let iteration = 1; iteration <= params.iterations; iteration++) {
    if (iteration > 1) topicWordDistribution(wordTopicCounts, topicCounts, b, W, K, phi);
    nextWordTopicCounts.fill(0);
    nextTopicCounts.fill(0);
    let logLikelihood = 0;
    const docPrior = K * a;
    for (let d = 0; d < D; d++) {
      const docBase = d * K;
      docAccumulator.fill(0);
      const docNormaliser = docTokens[d] + docPrior;
      for (let p = docStart[d]; p < docStart[d + 1]; p++) {
        const wordBase = wordIds[p] * K;
        let norm = 0;
        for (let k = 0; k < K; k++) {
          const v = (docTopicCounts[docBase + k] + a) * phi[wordBase + k];
          gamma[k] = v;
          norm += v;
        }
        const count = counts[p];
        // norm / (n_d + K a) is P(w | d) under the current model: the likelihood comes for free.
        logLikelihood += count * Math.log(norm / docNormaliser);
        const scale = count / norm;
        for (let k = 0; k < K; k++) {
          const share = gamma[k] * scale;
          docAccumulator[k] += share;
          nextWordTopicCounts[wordBase + k] += share;
        }
      }
      for (let k = 0; k < K; k++) {
        docTopicCounts[docBase + k] = docAccumulator[k];
        nextTopicCounts[k] += docAccumulator[k];
      }
    }
    [wordTopicCounts, nextWordTopicCounts] = [nextWordTopicCounts, wordTopicCounts];
    [topicCounts, nextTopicCounts] = [nextTopicCounts, topicCounts];
    onIteration(iteration, logLikelihood, tokens > 0 ? Math.exp(-logLikelihood / tokens) : NaN);
  }

  topicWordDistribution(wordTopicCounts, topicCounts, b, W, K, phi);
  const theta = docTopicCounts; // normalised in place: the counts are not needed any more
  for (let d = 0; d < D; d++) {
    const docBase = d * K;
    const normaliser = docTokens[d] + K * a;
    for (let k = 0; k < K; k++) theta[docBase + k] = (theta[docBase + k] + a) / normaliser;
  }
  return { theta, phi };
}

/** phi_kw = (n_wk + b) / (n_k + W b), written word-major into `out`. */
function topicWordDistribution(wordTopicCounts: Float64Array, topicCounts: Float64Array, b: number, W: number, K: number, out: Float64Array): void {
  const inverse = new Float64Array(K);
  for (let k = 0; k < K; k++) inverse[k] = 1 / (topicCounts[k] + W * b);
  for (let w = 0; w < W; w++) {
    const base = w * K;
    for (let k = 0; k < K; k++) out[base + k] = (wordTopicCounts[base + k] + b) * inverse[k];
  }
}

/**
 * The starting topics. EM climbs to the nearest optimum, and from random responsibilities it often lands where two
 * real topics share one learned topic while another real topic is split in two. Starting each topic from a
 * different real document, chosen k-means++-style (each next one with probability growing with its distance to
 * the documents already chosen), puts the topics apart from the start. Each start is blended with the
 * corpus-wide word frequencies so no word begins at probability 0 in every topic. Cost: K sparse passes.
 */
function seededTopics(corpus: Corpus, K: number, random: SeededRandom): Float64Array {
  const D = corpus.documents.length;
  const W = corpus.vocabulary.length;
  const { docStart, wordIds, counts } = corpus;
  const phi = new Float64Array(W * K);
  const unigram = new Float64Array(W);
  for (let p = 0; p < wordIds.length; p++) unigram[wordIds[p]] += counts[p];
  const total = corpus.tokens > 0 ? corpus.tokens : 1;

  const norms = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    let sum = 0;
    for (let p = docStart[d]; p < docStart[d + 1]; p++) sum += counts[p] * counts[p];
    norms[d] = Math.sqrt(sum);
  }
  // Distance of each document to its closest chosen start: 1 - cosine similarity.
  const distance = new Float64Array(D).fill(1);
  const trial = new Float64Array(D);
  const best = new Float64Array(D);
  const dense = new Float64Array(W);
  // Greedy k-means++: of a few candidates, keep the one that brings the documents closest to a start.
  const candidatesPerTopic = 2 + Math.floor(Math.log(K));
  for (let k = 0; k < K; k++) {
    let chosen = -1;
    let chosenPotential = Infinity;
    for (let c = 0; c < candidatesPerTopic; c++) {
      const candidate = pickByWeight(distance, norms, random);
      if (candidate < 0) break;
      const potential = distancesWith(corpus, candidate, norms, distance, dense, trial);
      if (potential < chosenPotential) {
        chosenPotential = potential;
        chosen = candidate;
        best.set(trial);
      }
    }
    if (chosen >= 0) distance.set(best);
    dense.fill(0);
    if (chosen >= 0) for (let p = docStart[chosen]; p < docStart[chosen + 1]; p++) dense[wordIds[p]] = counts[p];
    const docTotal = chosen >= 0 ? dense.reduce((sum, c) => sum + c, 0) : 0;
    for (let w = 0; w < W; w++) {
      const fromDocument = docTotal > 0 ? dense[w] / docTotal : 0;
      phi[w * K + k] = (docTotal > 0 ? 0.9 * fromDocument + 0.1 * (unigram[w] / total) : unigram[w] / total) || 1 / W;
    }
  }
  return phi;
}

/** Each document's distance to its nearest start if `candidate` joined the starts, into `out`; returns the sum of squares. */
function distancesWith(
  corpus: Corpus,
  candidate: number,
  norms: Float64Array,
  distance: Float64Array,
  dense: Float64Array,
  out: Float64Array,
): number {
  const { docStart, wordIds, counts } = corpus;
  for (let p = docStart[candidate]; p < docStart[candidate + 1]; p++) dense[wordIds[p]] = counts[p];
  let potential = 0;
  for (let d = 0; d < distance.length; d++) {
    let nearest = distance[d];
    if (norms[d] > 0) {
      let dot = 0;
      for (let p = docStart[d]; p < docStart[d + 1]; p++) dot += counts[p] * dense[wordIds[p]];
      const candidateDistance = 1 - dot / (norms[d] * norms[candidate]);
      if (candidateDistance < nearest) nearest = candidateDistance;
      potential += nearest * nearest;
    }
    out[d] = nearest;
  }
  for (let p = docStart[candidate]; p < docStart[candidate + 1]; p++) dense[wordIds[p]] = 0;
  return potential;
}

/** A document drawn with probability proportional to distance squared; -1 when every document is empty. */
function pickByWeight(distance: Float64Array, norms: Float64Array, random: SeededRandom): number {
  let total = 0;
  for (let d = 0; d < distance.length; d++) if (norms[d] > 0) total += distance[d] * distance[d];
  if (total <= 0) {
    for (let d = 0; d < norms.length; d++) if (norms[d] > 0) return d;
    return -1;
  }
  let target = random.next() * total;
  let last = -1;
  for (let d = 0; d < distance.length; d++) {
    if (norms[d] === 0) continue;
    last = d;
    target -= distance[d] * distance[d];
    if (target < 0) return d;
  }
  return last;
}
