import type { DataType } from '../domain/events';
import {
  FeatureMatrix,
  commonFeatures,
  featureNamesIn,
  missingFeaturesReason,
  percentile,
  trainFlowAutoencoder,
  type AutoencoderTrainingOptions,
  type FlowAutoencoder,
} from '../domain/autoencoder';
import { rankingMetrics, type RankingMetrics } from '../domain/evaluation/metrics';
import {
  BottomKSample,
  DEFAULT_FUSED_COMPONENTS,
  FUSION_METHODS,
  referenceUnit,
  WindowFusion,
  isOrdinaryForAutoencoder,
  scoreEnsemble,
  type FusedComponent,
  type FusionMethod,
  type PValueCombination,
} from '../domain/fusion';
import { DnsHeuristics, FlowHeuristics, ProxyHeuristics, type DnsHeuristicInput, type FlowHeuristicInput, type HeuristicHit } from '../domain/heuristics';
import { IsolationForest, type IsolationForestOptions } from '../domain/isolationForest';
import { heldOutLikelihood, splitHeldOut, trainLda, type Corpus, type HeldOutReport, type LdaParams } from '../domain/lda';
import { LdaScorer, ServiceUses, WordConcentration, type SideWord } from '../domain/scoring';
import type { DomainClassifier, WordVariant } from '../domain/words';
import { ReasonCounter } from '../scoring/eventWords';
import { LABEL_CODES, WordTable, collectRows, corpusOf, type CollectedRows } from './collect';
import type { LabelClass, RowLabels } from './labels';

/**
 * `spothreat eval` in-process: decode labelled files, build LDA words and autoencoder features, train, score,
 * and measure the ranking against the labels. No service is involved, so the numbers depend only on the files
 * and the options.
 *
 * Training data per detector:
 * - LDA trains on the evaluated files themselves, all rows (Spot's protocol: the day's own traffic, unsupervised).
 * - The autoencoder and the isolation forest train on the benign rows of `--train` files (the paper's protocol:
 *   benign traffic of another day). Without `--train` they train on every row of the evaluated files, labels
 *   unseen: fully unsupervised, with the attacks contaminating the training set.
 * Rows whose label is ignored (or absent) are scored and take part in unsupervised training, but not in metrics.
 */

export type EvalModel = 'lda' | 'autoencoder' | 'ensemble' | 'isolation-forest' | 'concentration' | 'heuristics' | 'fused';
export const EVAL_MODELS: readonly EvalModel[] = ['lda', 'autoencoder', 'ensemble', 'isolation-forest', 'concentration', 'heuristics', 'fused'];

/** What the fused ranking's window references count (see `WindowFusion`). */
export type ReferenceUnit = 'conversation' | 'event';
export const REFERENCE_UNITS: readonly ReferenceUnit[] = ['conversation', 'event'];

/** Size of the window sample the fused ranking's p-values are taken against (the scorer service's default). */
export const DEFAULT_REFERENCE_SAMPLE = 20_000;

export interface LdaEvalOptions {
  topics?: number;
  iterations?: number;
  seed?: number;
  /** Most chains averaged (fewer on large files, as in the service: `chainsFor`); 1 when unset. */
  chains?: number;
  /** Document-topic and topic-word priors (Spot's when unset). */
  alpha?: number;
  beta?: number;
  /** Operating threshold: an event with P(word | IP) <= tol is flagged. */
  tol: number;
  variant: WordVariant;
  domains: DomainClassifier;
}

export interface EvaluationRequest {
  dataType: DataType;
  format: string;
  paths: readonly string[];
  trainPaths: readonly string[];
  /** Evaluate only rows of these UTC days (YYYY-MM-DD); every row when empty. */
  days?: readonly string[];
  /** Train only on rows of these UTC days; every row when empty. */
  trainDays?: readonly string[];
  labels: RowLabels;
  /** The detectors to evaluate (each on the rows it can score). */
  models: readonly EvalModel[];
  autoencoder?: AutoencoderTrainingOptions;
  isolationForest?: IsolationForestOptions;
  lda: LdaEvalOptions;
  /** How the ensemble fuses; `allMethods` evaluates one ensemble per fusion method. */
  fusion?: { method?: FusionMethod; alpha?: number; allMethods?: boolean };
  /** The fused ranking (as the scorer service computes it): its components, their combination, the reference sample size. */
  fused?: {
    components?: readonly FusedComponent[];
    combination?: PValueCombination;
    referenceSize?: number;
    /**
     * What the window references count: conversations (default) or events, the fusion before (with the
     * autoencoder then always judged against its validation errors).
     */
    countBy?: ReferenceUnit;
    /**
     * Raise a flow's concentration to its service use's mean (`ServiceUses`, default true); false gives the
     * concentration of the event alone, as before.
     */
    serviceUses?: boolean;
  };
  /** Report a detector that cannot run on these files (LDA without IPs or ports) as skipped instead of failing. */
  skipUnavailable?: boolean;
  onPhase?: (message: string) => void;
}

export interface ModelResult {
  model: EvalModel;
  metrics: RankingMetrics;
  /** The operating threshold in words, with its value. */
  operatingThreshold: string;
  /** Labelled rows the detector could not score (see the reason counts of the report). */
  labelledRowsUnscored: number;
  /** The ensemble's fusion method. */
  fusion?: FusionMethod;
  /** The fused ranking's components and combination, e.g. `fisher(concentration,autoencoder,heuristics)`. */
  fusedBy?: string;
  /** Attacks (by name, when the labels name them) among the detector's 100 and 1,000 highest-ranked rows, with counts. */
  attacksInTop?: { k100: Record<string, number>; k1000: Record<string, number> };
}

export interface EvaluationReport {
  rowsRead: number;
  rowsOutsideDays: number;
  labels: Record<LabelClass, number>;
  decodeRejected: Record<string, number>;
  wordRejected: Record<string, number>;
  featureRejected: Record<string, number>;
  training?: {
    source: string;
    rows: number;
    featuresUsed: string[];
    /** Evaluated rows that have features but lack one the models use, by reason: neither model scores them. */
    rowsLackingFeatures: Record<string, number>;
    autoencoder?: { trainingRows: number; validationRows: number; rowsMissingFeatures: number; threshold: number; finalValidationLoss: number };
  };
  lda?: {
    documents: number;
    vocabulary: number;
    tokens: number;
    chains: number;
    /** The same LDA refitted without `HELD_OUT_FRACTION` of each IP's tokens, scored on them (document completion). */
    heldOut: HeldOutReport & { fraction: number };
  };
  results: ModelResult[];
  /** Detectors left out of a comparison, with the reason. */
  skipped: { model: EvalModel; reason: string }[];
}

const DEFAULT_ALPHA = 0.05;

function defined(scores: Float64Array): number[] {
  const rows: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) rows.push(i);
  return rows;
}

/** Metrics over the labelled rows that have a score; NaN marks a row the detector could not score. */
function measure(rows: CollectedRows, scores: Float64Array, flagged: Uint8Array, model: EvalModel, operatingThreshold: string): ModelResult {
  const s: number[] = [];
  const positive: number[] = [];
  const flags: number[] = [];
  let unscored = 0;
  for (let i = 0; i < rows.count; i++) {
    const label = rows.label[i];
    if (label !== LABEL_CODES.benign && label !== LABEL_CODES.attack) continue;
    if (Number.isNaN(scores[i])) {
      unscored++;
      continue;
    }
    s.push(scores[i]);
    positive.push(label === LABEL_CODES.attack ? 1 : 0);
    flags.push(flagged[i]);
  }
  if (s.length === 0) throw new Error(`${model}: no labelled row could be scored (see the rejection reasons)`);
  const result: ModelResult = { model, metrics: rankingMetrics({ scores: s, positive, flagged: flags }), operatingThreshold, labelledRowsUnscored: unscored };
  if (rows.attackNames.length > 0) result.attacksInTop = { k100: attacksInTop(rows, scores, 100), k1000: attacksInTop(rows, scores, 1000) };
  return result;
}

/**
 * Attack names among the k highest-scored labelled rows, with how many rows of each. Rows tied with the k-th are
 * all counted (a tie is one place in the ranking), so a detector cannot gain from the order rows were read in.
 */
function attacksInTop(rows: CollectedRows, scores: Float64Array, k: number): Record<string, number> {
  const labelled: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    if ((rows.label[i] === LABEL_CODES.benign || rows.label[i] === LABEL_CODES.attack) && !Number.isNaN(scores[i])) labelled.push(i);
  }
  labelled.sort((a, b) => scores[b] - scores[a] || a - b);
  const cut = labelled.length > k ? scores[labelled[k - 1]] : -Infinity;
  const found: Record<string, number> = {};
  for (const i of labelled) {
    if (scores[i] < cut) break;
    if (rows.attack[i] >= 0) {
      const name = rows.attackNames[rows.attack[i]];
      found[name] = (found[name] ?? 0) + 1;
    }
  }
  return found;
}

/** Values of the chosen rows with the features outside `enabled` zeroed (they are absent from some rows). */
function maskedRows(matrix: FeatureMatrix, rowIndices: readonly number[], enabled: number): Float64Array {
  const selected = matrix.select(rowIndices);
  for (let r = 0; r < selected.rows; r++) {
    for (let f = 0; f < selected.width; f++) if ((enabled & (1 << f)) === 0) selected.values[r * selected.width + f] = 0;
  }
  return selected.values.subarray(0, selected.rows * selected.width);
}

/** Rows of `matrix` that carry every feature of `enabled`. */
function completeRows(matrix: FeatureMatrix, enabled: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < matrix.rows; r++) if ((matrix.present[r] & enabled) === enabled) out.push(r);
  return out;
}

async function trainingMatrix(request: EvaluationRequest, evaluated: CollectedRows): Promise<{ matrix: FeatureMatrix; source: string; rejected: Record<string, number> }> {
  if (request.trainPaths.length === 0) {
    return { matrix: evaluated.features, source: 'the evaluated files, every row (unsupervised; labels unseen)', rejected: {} };
  }
  request.onPhase?.('reading the training files');
  const training = await collectRows({
    dataType: request.dataType,
    format: request.format,
    paths: request.trainPaths,
    labels: request.labels,
    features: true,
    days: request.trainDays,
    onFile: (path) => request.onPhase?.(`reading ${path}`),
  });
  const benign: number[] = [];
  for (let i = 0; i < training.count; i++) {
    if (training.label[i] === LABEL_CODES.benign && training.featureRow[i] >= 0) benign.push(training.featureRow[i]);
  }
  if (benign.length === 0) {
    throw new Error(`the training files hold no benign row with flow features (${training.count} rows read, ${training.outsideDays} outside the training days)`);
  }
  return {
    matrix: training.features.select(benign),
    source: `benign rows of ${request.trainPaths.join(', ')}${request.trainDays?.length ? ` on ${request.trainDays.join(', ')}` : ''}`,
    rejected: { ...training.decodeRejected.toJSON(), ...training.featureReasons.toJSON() },
  };
}

function scoreAutoencoderRows(rows: CollectedRows, detector: FlowAutoencoder): { indices: number[]; matrixRows: number[] } {
  const indices: number[] = [];
  const matrixRows: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    const r = rows.featureRow[i];
    if (r >= 0 && detector.cannotScore(rows.features.present[r]) === undefined) {
      indices.push(i);
      matrixRows.push(r);
    }
  }
  return { indices, matrixRows };
}

/** Share of each IP's tokens held out for the LDA's held-out perplexity. */
export const HELD_OUT_FRACTION = 0.1;

/** The LDA training settings of an evaluation. */
function ldaSettings(options: LdaEvalOptions): Partial<LdaParams> {
  const { topics, iterations, seed, chains, alpha, beta } = options;
  return { topics, iterations, seed, chains, alpha, beta };
}

/** How well the LDA of these settings predicts tokens it did not see: refitted on the rest of each IP's tokens. */
function ldaHeldOut(corpus: Corpus, options: LdaEvalOptions): HeldOutReport & { fraction: number } {
  const { train, heldOut } = splitHeldOut(corpus, HELD_OUT_FRACTION, options.seed);
  const model = trainLda(train, ldaSettings(options));
  return { fraction: HELD_OUT_FRACTION, ...heldOutLikelihood(model, heldOut) };
}

/**
 * P(word | IP) of every row (flows: the lower side), NaN for rows without words, from an LDA fitted on the chosen
 * rows, and each row's concentration (flows: the higher side, raised to its service use's mean with `serviceUses`,
 * as the scorer service computes it).
 */
function ldaProbabilities(rows: CollectedRows, table: WordTable, options: LdaEvalOptions, include?: (row: number) => boolean, serviceUses = false) {
  const builder = corpusOf(rows, table, include);
  const built = builder.build();
  if (built.tokens === 0) throw new Error('lda: no event has words (see the rejection reasons)');
  const model = trainLda(built, ldaSettings(options));
  const scorer = new LdaScorer(model);
  const concentrationOf = new WordConcentration(scorer, builder.documentFrequencies());
  const documentIds = Int32Array.from(table.documents, (key) => scorer.documentId(key));
  const wordIds = Int32Array.from(table.words, (word) => scorer.wordId(word));
  const probability = new Float64Array(rows.count).fill(NaN);
  const concentration = new Float64Array(rows.count).fill(NaN);
  for (let i = 0; i < rows.count; i++) {
    if (rows.sourceDocument[i] < 0) continue;
    const sourceWord = wordIds[rows.sourceWord[i]];
    const source = scorer.probability(documentIds[rows.sourceDocument[i]], sourceWord);
    let lowest = source;
    let highest = concentrationOf.ofProbability(source, sourceWord);
    if (rows.destinationDocument[i] >= 0) {
      const destinationWord = wordIds[rows.destinationWord[i]];
      const destination = scorer.probability(documentIds[rows.destinationDocument[i]], destinationWord);
      lowest = Math.min(lowest, destination);
      highest = Math.max(highest, concentrationOf.ofProbability(destination, destinationWord));
    }
    probability[i] = lowest;
    concentration[i] = highest;
  }
  if (serviceUses) liftByServiceUse(rows, table, concentration, (sides) => Math.max(...sides.map((s) => concentrationOf.of(s.document, s.word))));
  return { probability, concentration, built, chains: model.params.chains };
}

/**
 * Raises each flow's concentration to its service use's mean, in place, as the scorer service does: the uses' word
 * pairs counted over every row (pass 1), each pair's concentration from the model (`concentrationOf`).
 */
function liftByServiceUse(rows: CollectedRows, table: WordTable, concentration: Float64Array, concentrationOf: (sides: SideWord[]) => number): void {
  const flows: { row: number; sides: SideWord[] }[] = [];
  for (let i = 0; i < rows.count; i++) {
    if (rows.destinationDocument[i] < 0 || Number.isNaN(concentration[i])) continue;
    flows.push({
      row: i,
      sides: [
        { document: table.documents[rows.sourceDocument[i]], word: table.words[rows.sourceWord[i]] },
        { document: table.documents[rows.destinationDocument[i]], word: table.words[rows.destinationWord[i]] },
      ],
    });
  }
  const uses = new ServiceUses();
  for (const { sides } of flows) uses.add(sides);
  const means = uses.means(concentrationOf);
  for (const { row, sides } of flows) concentration[row] = means.lift(sides, concentration[row]);
}

export async function evaluate(request: EvaluationRequest): Promise<EvaluationReport> {
  const models = new Set(request.models);
  if (models.size === 0) throw new Error('no model to evaluate');
  // The fused ranking uses the autoencoder where it can (flows); the other detectors need features whatever the type.
  const needsFeatures = models.has('autoencoder') || models.has('ensemble') || models.has('isolation-forest') || (models.has('fused') && request.dataType === 'flow');
  const needsFused = models.has('fused') || models.has('concentration') || models.has('heuristics');
  const needsWords = models.has('lda') || models.has('ensemble') || needsFused;
  const needsHeuristics = models.has('heuristics') || models.has('fused');
  const phase = (message: string) => request.onPhase?.(message);

  const table = needsWords ? new WordTable() : undefined;
  const rows = await collectRows({
    dataType: request.dataType,
    format: request.format,
    paths: request.paths,
    labels: request.labels,
    words: table,
    wordSettings: needsWords ? { variant: request.lda.variant, domains: request.lda.domains } : undefined,
    features: needsFeatures,
    heuristics: needsHeuristics,
    days: request.days,
    onFile: (path) => phase(`reading ${path}`),
  });
  if (rows.count === 0) {
    const outside = rows.outsideDays > 0 ? ` (${rows.outsideDays} fall outside ${request.days?.join(', ')})` : '';
    throw new Error(`no row to evaluate in ${request.paths.join(', ')}${outside}`);
  }
  const report: EvaluationReport = {
    rowsRead: rows.count,
    rowsOutsideDays: rows.outsideDays,
    labels: rows.labelCounts,
    decodeRejected: rows.decodeRejected.toJSON(),
    wordRejected: rows.wordReasons.toJSON(),
    featureRejected: rows.featureReasons.toJSON(),
    results: [],
    skipped: [],
  };

  const nan = () => new Float64Array(rows.count).fill(NaN);
  const aeError = nan();
  const aeFlagged = new Uint8Array(rows.count);
  let detector: FlowAutoencoder | undefined;
  if (needsFeatures) {
    const training = await trainingMatrix(request, rows);
    const enabled = commonFeatures(training.matrix);
    report.training = { source: training.source, rows: training.matrix.rows, featuresUsed: featureNamesIn(enabled), rowsLackingFeatures: {} };
    const lacking = new ReasonCounter();
    for (let i = 0; i < rows.count; i++) {
      const reason = rows.featureRow[i] < 0 ? undefined : missingFeaturesReason(rows.features.present[rows.featureRow[i]], enabled);
      if (reason !== undefined) lacking.add(reason);
    }
    report.training.rowsLackingFeatures = lacking.toJSON();

    if (models.has('autoencoder') || models.has('ensemble') || models.has('fused')) {
      phase(`training the autoencoder on ${training.matrix.rows} rows`);
      detector = await trainFlowAutoencoder(training.matrix, {
        ...request.autoencoder,
        onEpoch: (e) => {
          if (e.epoch % 10 === 0 || e.epoch === e.epochs) phase(`epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toExponential(3)}, validation ${e.validationLoss.toExponential(3)}`);
        },
      });
      report.training.featuresUsed = featureNamesIn(detector.requiredFeatures);
      report.training.autoencoder = {
        trainingRows: detector.info.trainingRows,
        validationRows: detector.info.validationRows,
        rowsMissingFeatures: detector.info.rowsMissingFeatures,
        threshold: detector.threshold,
        finalValidationLoss: detector.info.finalValidationLoss,
      };
      const { indices, matrixRows } = scoreAutoencoderRows(rows, detector);
      const errors = await detector.score(rows.features.select(matrixRows));
      indices.forEach((row, k) => {
        aeError[row] = errors[k];
        aeFlagged[row] = errors[k] > detector!.threshold ? 1 : 0;
      });
      if (models.has('autoencoder')) {
        report.results.push(
          measure(rows, aeError, aeFlagged, 'autoencoder', `reconstruction error > ${detector.threshold.toPrecision(4)} (the ${detector.info.thresholdPercentile}th percentile of ${detector.info.validationRows} benign validation errors)`),
        );
      }
    }

    if (models.has('isolation-forest')) {
      phase('fitting the isolation forest');
      const trainingRows = completeRows(training.matrix, enabled);
      const forest = IsolationForest.fit(maskedRows(training.matrix, trainingRows, enabled), trainingRows.length, training.matrix.width, request.isolationForest);
      const threshold = percentile(forest.score(maskedRows(training.matrix, trainingRows, enabled), trainingRows.length), 95);
      const evaluable = completeRows(rows.features, enabled);
      const scores = forest.score(maskedRows(rows.features, evaluable, enabled), evaluable.length);
      const byMatrixRow = new Map<number, number>();
      evaluable.forEach((r, k) => byMatrixRow.set(r, scores[k]));
      const ifScore = nan();
      const ifFlagged = new Uint8Array(rows.count);
      for (let i = 0; i < rows.count; i++) {
        const s = byMatrixRow.get(rows.featureRow[i]);
        if (s === undefined) continue;
        ifScore[i] = s;
        ifFlagged[i] = s > threshold ? 1 : 0;
      }
      report.results.push(
        measure(rows, ifScore, ifFlagged, 'isolation-forest', `isolation score > ${threshold.toPrecision(4)} (the 95th percentile of the ${trainingRows.length} training rows' scores)`),
      );
    }
  }

  // In a comparison, a detector that cannot run on these files is reported as skipped instead of failing the rest.
  const orSkip = async (skippedModels: EvalModel[], work: () => void | Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (!request.skipUnavailable) throw error;
      for (const model of skippedModels) if (models.has(model)) report.skipped.push({ model, reason: (error as Error).message });
    }
  };
  let ldaProbability = nan();
  let concentration = nan();
  let ldaAvailable = false;
  if (table) await orSkip(['lda', 'ensemble', 'concentration', 'fused'], () => {
    phase('training LDA on every row of the window');
    const lda = ldaProbabilities(rows, table, request.lda, undefined, request.fused?.serviceUses ?? true);
    ldaAvailable = true;
    ldaProbability = lda.probability;
    concentration = lda.concentration;
    const { built, chains } = lda;
    report.lda = { documents: built.documents.length, vocabulary: built.vocabulary.length, tokens: built.tokens, chains, heldOut: ldaHeldOut(built, request.lda) };
    if (models.has('lda')) {
      const scores = ldaProbability.map((p) => -p);
      const flagged = Uint8Array.from(ldaProbability, (p) => (p <= request.lda.tol ? 1 : 0));
      report.results.push(measure(rows, scores, flagged, 'lda', `P(word | IP) <= TOL ${request.lda.tol}`));
    }
  });

  if (models.has('ensemble') && detector && table && ldaAvailable) await orSkip(['ensemble'], () => {
    const threshold = detector.threshold;
    const ordinary = (row: number) => isOrdinaryForAutoencoder(aeError[row], threshold);
    phase('training LDA on the rows the autoencoder finds ordinary');
    const gated = ldaProbabilities(rows, table, request.lda, ordinary);
    const both = defined(aeError).filter((i) => !Number.isNaN(gated.probability[i]));
    if (both.length === 0) throw new Error('ensemble: no row has both an autoencoder error and an LDA score');
    const ldaReference: number[] = [];
    for (let i = 0; i < rows.count; i++) if (!Number.isNaN(gated.probability[i]) && ordinary(i)) ldaReference.push(gated.probability[i]);
    const methods = request.fusion?.allMethods ? FUSION_METHODS : [request.fusion?.method ?? 'fisher'];
    for (const method of methods) {
      phase(`fusing (${method})`);
      const fused = scoreEnsemble({
        autoencoderErrors: both.map((i) => aeError[i]),
        autoencoderReference: detector.referenceErrors,
        ldaProbabilities: both.map((i) => gated.probability[i]),
        ldaReference,
        method,
        alpha: request.fusion?.alpha ?? DEFAULT_ALPHA,
      });
      const scores = nan();
      const flagged = new Uint8Array(rows.count);
      both.forEach((row, k) => {
        scores[row] = fused.scores[k];
        flagged[row] = fused.flagged[k];
      });
      const result = measure(rows, scores, flagged, 'ensemble', `${fused.rule} (autoencoder p against its benign validation errors, LDA p against the ordinary rows)`);
      report.results.push({ ...result, fusion: method });
    }
  });
  if (ldaAvailable && models.has('concentration')) {
    report.results.push(measure(rows, concentration, new Uint8Array(rows.count), 'concentration', 'no operating threshold of its own (a ranking signal of the fused ranking)'));
  }
  let strength: Float64Array | undefined;
  let findings: Finding[][] | undefined;
  if (needsHeuristics) {
    ({ strength, findings } = heuristicStrengths(rows, request.dataType));
    const measured = strength;
    if (models.has('heuristics') && measured) {
      await orSkip(['heuristics'], () => {
        report.results.push(measure(rows, measured, Uint8Array.from(measured, (v) => (v > 0 ? 1 : 0)), 'heuristics', 'a heuristic tags the event'));
      });
    }
  }
  if (models.has('fused') && ldaAvailable) await orSkip(['fused'], () => {
    phase('fusing (the scorer service ranking)');
    // Trained on --train's benign rows, the autoencoder's validation errors are a calibrated reference; trained on
    // the evaluated rows themselves, it is judged against the window sample like the other components (counting
    // events, the fusion before, judged it against its validation errors either way).
    const calibrated = request.trainPaths.length > 0 || request.fused?.countBy === 'event';
    const autoencoderReference = detector === undefined ? undefined : calibrated ? detector.referenceErrors : 'window';
    const fused = fusedRanking(rows, table!, { lda: ldaProbability, concentration, heuristics: strength, findings, autoencoder: detector ? aeError : undefined }, autoencoderReference, request.fused);
    const alpha = request.fusion?.alpha ?? DEFAULT_ALPHA;
    const flagged = Uint8Array.from(fused.pValues, (p) => (p <= alpha ? 1 : 0));
    const result = measure(rows, fused.scores, flagged, 'fused', `fused p-value <= ${alpha} (each component against a ${fused.referenceRows}-row sample of the window)`);
    report.results.push({ ...result, fusedBy: fused.by });
  });
  detector?.dispose();
  return report;
}

/** A heuristic's finding: which heuristic, about what (`HeuristicHit` without its reason and evidence). */
type Finding = Pick<HeuristicHit, 'heuristic' | 'subject'>;

/**
 * Each row's heuristic strength (0 when untagged) and the findings it is part of, from the heuristics fed every
 * row in file order.
 */
function heuristicStrengths(rows: CollectedRows, dataType: DataType): { strength: Float64Array; findings: Finding[][] } {
  const strength = new Float64Array(rows.count);
  const findings: Finding[][] = new Array<Finding[]>(rows.count);
  const record = (i: number, hits: readonly HeuristicHit[], of: (hits: readonly HeuristicHit[]) => number) => {
    strength[i] = of(hits);
    findings[i] = hits.map(({ heuristic, subject }) => ({ heuristic, subject }));
  };
  if (dataType === 'flow' || dataType === 'proxy') {
    const heuristics = dataType === 'flow' ? new FlowHeuristics() : new ProxyHeuristics();
    for (const input of rows.heuristicInput) if (input) heuristics.add(input as FlowHeuristicInput);
    rows.heuristicInput.forEach((input, i) => {
      if (input) record(i, heuristics.tagsFor(input as FlowHeuristicInput), (hits) => heuristics.strengthOf(hits as HeuristicHit[]));
      else strength[i] = NaN;
    });
  } else {
    const heuristics = new DnsHeuristics();
    for (const input of rows.heuristicInput) if (input) heuristics.add(input as DnsHeuristicInput);
    rows.heuristicInput.forEach((input, i) => {
      if (input) record(i, heuristics.tagsFor(input as DnsHeuristicInput), (hits) => heuristics.strengthOf(hits as HeuristicHit[]));
      else strength[i] = NaN;
    });
  }
  return { strength, findings };
}

/**
 * The fused ranking of the rows exactly as the scorer service computes it for a window (`WindowFusion`): the
 * references are a bottom-k sample of the window's rows, counted by conversation (the IP pair of a flow, the
 * client of a lookup or request); the autoencoder's is its validation errors when it was trained on other
 * (benign) rows, the sample's errors when it was trained on the window ('window').
 */
function fusedRanking(
  rows: CollectedRows,
  table: WordTable,
  evidence: { lda: Float64Array; concentration: Float64Array; heuristics?: Float64Array; findings?: Finding[][]; autoencoder?: Float64Array },
  autoencoderReference: ArrayLike<number> | 'window' | undefined,
  options: EvaluationRequest['fused'] = {},
): { scores: Float64Array; pValues: Float64Array; referenceRows: number; by: string } {
  const heuristics = evidence.heuristics ?? new Float64Array(rows.count);
  const sample = new BottomKSample<number>(options.referenceSize ?? DEFAULT_REFERENCE_SAMPLE);
  for (let i = 0; i < rows.count; i++) if (!Number.isNaN(evidence.lda[i])) sample.offer(String(i), () => i);
  const reference = sample.values();
  let components = options.components ?? DEFAULT_FUSED_COMPONENTS;
  if (evidence.heuristics === undefined) components = components.filter((c) => c !== 'heuristics');
  if (evidence.autoencoder === undefined || autoencoderReference === undefined) components = components.filter((c) => c !== 'autoencoder');
  const byConversation = (options.countBy ?? 'conversation') === 'conversation';
  const documentsOf = (i: number) =>
    rows.destinationDocument[i] >= 0 ? [table.documents[rows.sourceDocument[i]], table.documents[rows.destinationDocument[i]]] : [table.documents[rows.sourceDocument[i]]];
  const fusion = new WindowFusion(
    {
      lda: reference.map((i) => evidence.lda[i]),
      concentration: reference.map((i) => evidence.concentration[i]),
      heuristics: reference.map((i) => heuristics[i]),
      conversations: byConversation ? reference.map((i) => referenceUnit(documentsOf(i), evidence.findings?.[i])) : undefined,
      autoencoder: autoencoderReference === 'window' ? undefined : autoencoderReference,
      autoencoderSample: autoencoderReference === 'window' ? reference.map((i) => evidence.autoencoder?.[i] ?? NaN) : undefined,
    },
    { components, combination: options.combination },
  );
  const scores = new Float64Array(rows.count).fill(NaN);
  const pValues = new Float64Array(rows.count).fill(NaN);
  for (let i = 0; i < rows.count; i++) {
    if (Number.isNaN(evidence.lda[i])) continue;
    const fused = fusion.evaluate({ lda: evidence.lda[i], concentration: evidence.concentration[i], heuristics: heuristics[i], autoencoder: evidence.autoencoder?.[i] });
    scores[i] = fused.score;
    pValues[i] = fused.pValue;
  }
  const against = fusion.autoencoderReference === undefined ? '' : `; autoencoder against its ${fusion.autoencoderReference === 'window' ? 'window sample' : 'validation errors'}`;
  return { scores, pValues, referenceRows: reference.length, by: `${fusion.combination}(${fusion.components.join(',')}) by ${byConversation ? 'conversation' : 'event'}${against}` };
}
