/** A trained topic model: what scoring needs, and its versioned JSON form for the model registry. */

export interface LdaParams {
  /** Number of topics K. */
  topics: number;
  /** Symmetric document-topic prior; > 1 as Spark's EM requires (Spot: 1.02). */
  alpha: number;
  /** Symmetric topic-word prior; > 1 (Spot: 1.001). */
  beta: number;
  /** EM iterations (Spot: 20). */
  iterations: number;
  /** Seed of the random start. */
  seed: number;
  /**
   * Independent EM runs averaged into one model (Spot: 1). As a training option, the most a window may get (see
   * `chainsFor`); in a trained model, how many it got.
   */
  chains: number;
}

export const SPOT_LDA_PARAMS: Readonly<LdaParams> = Object.freeze({ topics: 20, alpha: 1.02, beta: 1.001, iterations: 20, seed: 1, chains: 1 });

/**
 * Columns of a model's theta and phi: each chain's K topics side by side. The average of R chains,
 * sum_r (1/R) sum_k theta^r_dk phi^r_kw, is itself a sum over R x K topics whose theta carries the 1/R, so a
 * model of several chains scores, stores and reports held-out likelihood exactly like a model of R x K topics.
 */
export function topicColumns(params: Pick<LdaParams, 'topics' | 'chains'>): number {
  return params.topics * params.chains;
}

/** A stored model's parameters: one stored before chains existed has none, and is one chain. */
export function storedLdaParams(params: Omit<LdaParams, 'chains'> & { chains?: number }): LdaParams {
  return { ...params, chains: params.chains ?? 1 };
}

export interface LdaModel {
  readonly params: Readonly<LdaParams>;
  /** Document keys (IPs), index = document id. */
  readonly documents: readonly string[];
  /** Words, index = word id. */
  readonly vocabulary: readonly string[];
  /** theta: documents x topic columns (`topicColumns`), row-major; each row sums to 1. */
  readonly docTopics: Float64Array;
  /**
   * phi transposed: words x topic columns, row-major, so the probabilities a score needs for one word sit
   * together. Each column (one chain's topic) sums to 1 over the vocabulary.
   */
  readonly wordTopics: Float64Array;
  /** Tokens the model was trained on (including feedback copies). */
  readonly trainingTokens: number;
}

export const LDA_MODEL_FORMAT = 'spothreat-lda';
export const LDA_MODEL_VERSION = 1;

export interface LdaModelJson {
  format: typeof LDA_MODEL_FORMAT;
  version: typeof LDA_MODEL_VERSION;
  params: LdaParams;
  trainingTokens: number;
  documents: string[];
  vocabulary: string[];
  /** theta[d][c], c a topic column (chain r's topic k is column r K + k) */
  theta: number[][];
  /** phi[c][w] */
  phi: number[][];
}

export function ldaModelToJson(model: LdaModel): LdaModelJson {
  const K = topicColumns(model.params);
  const W = model.vocabulary.length;
  const theta = model.documents.map((_doc, d) => Array.from(model.docTopics.subarray(d * K, (d + 1) * K)));
  const phi: number[][] = [];
  for (let k = 0; k < K; k++) {
    const row = new Array<number>(W);
    for (let w = 0; w < W; w++) row[w] = model.wordTopics[w * K + k];
    phi.push(row);
  }
  return {
    format: LDA_MODEL_FORMAT,
    version: LDA_MODEL_VERSION,
    params: { ...model.params },
    trainingTokens: model.trainingTokens,
    documents: model.documents.slice(),
    vocabulary: model.vocabulary.slice(),
    theta,
    phi,
  };
}

/** Reads a stored model, failing with every problem found rather than scoring with a malformed one. */
export function ldaModelFromJson(value: unknown): LdaModel {
  const problems: string[] = [];
  const json = value as Partial<LdaModelJson> | null;
  if (typeof json !== 'object' || json === null) throw new Error('LDA model: not a JSON object');
  if (json.format !== LDA_MODEL_FORMAT) problems.push(`format is ${JSON.stringify(json.format)}, expected "${LDA_MODEL_FORMAT}"`);
  if (json.version !== LDA_MODEL_VERSION) problems.push(`version ${JSON.stringify(json.version)} is not supported (this build reads ${LDA_MODEL_VERSION})`);
  const params = json.params && storedLdaParams(json.params);
  if (!params || !Number.isInteger(params.topics) || params.topics < 1) problems.push('params.topics must be an integer >= 1');
  if (params && (!Number.isInteger(params.chains) || params.chains < 1)) problems.push('params.chains must be an integer >= 1');
  if (!Array.isArray(json.documents) || !json.documents.every((d) => typeof d === 'string')) problems.push('documents must be an array of strings');
  if (!Array.isArray(json.vocabulary) || !json.vocabulary.every((w) => typeof w === 'string')) problems.push('vocabulary must be an array of strings');
  if (!Array.isArray(json.theta)) problems.push('theta must be an array');
  if (!Array.isArray(json.phi)) problems.push('phi must be an array');
  if (problems.length > 0) throw new Error(`LDA model: ${problems.join('; ')}`);

  const K = topicColumns(params!);
  const documents = json.documents!;
  const vocabulary = json.vocabulary!;
  const docTopics = new Float64Array(documents.length * K);
  const wordTopics = new Float64Array(vocabulary.length * K);
  if (json.theta!.length !== documents.length) problems.push(`theta has ${json.theta!.length} rows for ${documents.length} documents`);
  if (json.phi!.length !== K) problems.push(`phi has ${json.phi!.length} rows for ${K} topic columns`);
  json.theta!.forEach((row, d) => {
    if (!Array.isArray(row) || row.length !== K || !row.every(isProbability)) problems.push(`theta[${d}] is not ${K} probabilities`);
    else docTopics.set(row, d * K);
  });
  json.phi!.forEach((row, k) => {
    if (!Array.isArray(row) || row.length !== vocabulary.length || !row.every(isProbability)) {
      problems.push(`phi[${k}] is not ${vocabulary.length} probabilities`);
    } else {
      for (let w = 0; w < row.length; w++) wordTopics[w * K + k] = row[w];
    }
  });
  if (problems.length > 0) throw new Error(`LDA model: ${problems.slice(0, 5).join('; ')}`);
  return {
    params: { ...params! },
    documents,
    vocabulary,
    docTopics,
    wordTopics,
    trainingTokens: typeof json.trainingTokens === 'number' ? json.trainingTokens : 0,
  };
}

function isProbability(x: unknown): boolean {
  return typeof x === 'number' && x >= 0 && x <= 1;
}
