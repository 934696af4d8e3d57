import { randomUUID } from 'node:crypto';
import type { DataType } from '../domain/events';
import { CorpusBuilder, heldOutLikelihood, trainLda, type LdaModel, type LdaParams } from '../domain/lda';
import { LdaExplainer, LdaScorer, ServiceUseMeans, SuspiciousSelector, WordConcentration } from '../domain/scoring';
import type { Evidence } from '../domain/heuristics';
import { UserAgentCounts, type DnsRecord, type DomainClassifier, type FlowRecord, type ProxyRecord, type WordVariant } from '../domain/words';
import type { Enricher } from '../enrichment/enricher';
import type { Window } from '../adapters/opensearch/queries';
import type { WindowPart } from '../adapters/opensearch/pitReader';
import { ReasonCounter, wordsOfEvent, type DocumentWord, type WordContext } from './eventWords';
import { buildSuspiciousDocument, suspiciousId, type Rating, type SuspiciousDocument } from './suspiciousDocument';
import { explainScore } from './explanation';
import {
  DEFAULT_FUSION_SETTINGS,
  explainFused,
  FusedWindow,
  ldaSides,
  referenceValues,
  serviceUseMeans,
  trainWindowAutoencoder,
  WindowHeuristics,
  WindowObservation,
  type AutoencoderRun,
  type FusedResult,
  type FusionSettings,
} from './fusedScoring';
import { decodeAutoencoder, encodeAutoencoder } from './modelCodec';
import { OrderFreeSelector } from './slices';
import { decodeWindowState, encodeWindowState, windowStateName, WindowStateVersionError, type ReferenceValues, type WindowFrequencies } from './windowState';
import { useTfBackend } from '../adapters/tf/backend';

/**
 * The application service that runs one scoring window, Spot's ml_ops + OA in one pass over OpenSearch:
 *
 *   pass 0 (proxy only)  user-agent frequencies of the window, a feature of the proxy word
 *   pass 1 (training)    per-IP word counts into a compact corpus, plus benign feedback x DUPFACTOR; train LDA;
 *                        the attack heuristics and the samples of the fused ranking are fed in the same pass, then
 *                        the window's autoencoder trains; both models and the window's fusion state (heuristic
 *                        verdicts, reference values, document frequencies) are registered as one version.
 *                        A registered model scores with its own autoencoder, and with its stored window state when
 *                        it was trained on this very window (same event count); otherwise a pass of its own
 *                        observes the window first (no autoencoder training unless the model has none)
 *   pass 2               every event's words scored against the model, fused with its concentration, heuristic
 *                        strength and autoencoder error (fusedScoring.ts); a bounded heap keeps the MAXRESULTS
 *                        highest fused scores (or, with the `lda` ranking, Spot's MAXRESULTS lowest LDA scores)
 *   then                 explain, enrich, write with deterministic ids, mark the run complete, drop the old run
 *
 * Memory: the corpus grows with distinct (IP, word) pairs, the heap with MAXRESULTS; neither with the number of
 * events, so a window of any length fits. The ports below are implemented by the OpenSearch adapters; the
 * composition root wires them.
 */

export type { RawHit } from '../adapters/opensearch/pitReader';
import type { RawHit } from '../adapters/opensearch/pitReader';

export interface EventSource {
  /** Streams the window's events (ECS shape) page by page, or one part of them; `total` is for progress. */
  open(dataType: DataType, window: Window, signal?: AbortSignal, part?: WindowPart): Promise<{ total: number; pages: AsyncIterable<RawHit[]> }>;
}

/** A benign-rated (3) event as the retraining needs it: its words in the documents they belong to. */
export interface BenignExample {
  words: DocumentWord[];
}

export interface FeedbackSource {
  benignExamples(dataType: DataType): Promise<BenignExample[]>;
  /** Ratings already given to any of these suspicious ids (kept when a window is re-scored). */
  ratingsFor(ids: readonly string[]): Promise<Map<string, Rating>>;
}

export interface ModelRecord {
  id: string;
  dataType: DataType;
  version: number;
  algorithm: string;
  params: Record<string, unknown>;
  trainingWindow: Window;
  trainedAt: string;
  trigger: string;
  events: number;
  documents: number;
  vocabulary: number;
  feedbackRows: number;
  evaluation?: Record<string, number>;
}

export type NewModel = Omit<ModelRecord, 'id' | 'version'>;

export interface ModelStore {
  /** Registers the LDA with named artifacts (the autoencoder, the training window's fusion state) as one version. */
  register(meta: NewModel, model: LdaModel, artifacts?: ReadonlyMap<string, Buffer>): Promise<ModelRecord>;
  /** A named artifact of a version; undefined when it has none by that name. */
  artifact(record: ModelRecord, name: string): Promise<Buffer | undefined>;
  /** Stores a named artifact beside an existing version (a window's fusion state for scale-out parts). */
  saveArtifact(record: ModelRecord, name: string, bytes: Buffer): Promise<void>;
  latest(dataType: DataType): Promise<ModelRecord | undefined>;
  version(dataType: DataType, version: number): Promise<ModelRecord | undefined>;
  load(record: ModelRecord): Promise<LdaModel>;
}

export interface RunRecord {
  id: string;
  dataType: DataType;
  window: Window;
  modelVersion: number;
  trigger: string;
  startedAt: string;
  events: number;
  scored: number;
  suspicious: number;
  unscorable: number;
  unscorableReasons: Record<string, number>;
}

export interface SuspiciousSink {
  /** Writes the documents; throws (listing failures) unless every one was stored. */
  write(docs: { id: string; doc: SuspiciousDocument }[]): Promise<void>;
  /** Makes the run the window's current one: from now on its documents are what the API shows. */
  completeRun(run: RunRecord): Promise<void>;
  /** Deletes the window's documents written by any other run; returns how many. */
  removeOtherRuns(dataType: DataType, window: Window, runId: string): Promise<number>;
}

export interface ScoringSettings {
  tol: number;
  maxResults: number;
  lda: LdaParams;
  dupFactor: number;
  variant: WordVariant;
  /** The fused ranking and the window's autoencoder; `DEFAULT_FUSION_SETTINGS` when absent. */
  fusion?: FusionSettings;
}

export interface WindowScorerDeps {
  events: EventSource;
  feedback: FeedbackSource;
  models: ModelStore;
  suspicious: SuspiciousSink;
  enricher: Enricher;
  domains: DomainClassifier;
  settings: ScoringSettings;
}

/** Which model scores the window: train one on it (Spot's way), the latest registered, or a given version. */
export type ModelChoice = 'train' | 'latest' | number;

export interface WindowRequest {
  dataType: DataType;
  window: Window;
  model: ModelChoice;
  /** Why the work runs: `cli`, `schedule`, `feedback`, `api`. */
  trigger: string;
  onProgress?: (percent: number, stage: string) => void;
  signal?: AbortSignal;
  /** Scale-out: the part of the window this call reads (see `scorePart`); the whole window when absent. */
  part?: WindowPart;
}

export interface TrainSummary {
  model: ModelRecord;
  events: number;
  unscorable: number;
  unscorableReasons: Record<string, number>;
  seconds: number;
}

export interface ScoreSummary {
  dataType: DataType;
  window: Window;
  runId: string;
  modelVersion: number;
  trained: boolean;
  events: number;
  scored: number;
  unscorable: number;
  unscorableReasons: Record<string, number>;
  underTolerance: number;
  /** Events that repeat a benign-rated behaviour (same words, same host on a side), not ranked again. */
  explainedByFeedback: number;
  suspicious: number;
  removedStale: number;
  seconds: { train: number; score: number; write: number; total: number };
  /** What ordered the top list: `fused` (with the fusion) or Spot's `lda`. */
  ranking?: string;
  /** The window's autoencoder (flows ranked by the fused score): `registered` with the model, or `trained` on the window. */
  autoencoder?: { source: string; trainingRows: number; validationRows: number; epochs: number; threshold: number; seconds: number };
  /** Why the run trained an autoencoder on the window although a registered model scored (it has none). */
  autoencoderNote?: string;
  /** Events in the reference sample the fused p-values were taken against. */
  referenceEvents?: number;
  /** Where the fused ranking's window state came from: the training pass, the model's stored one, or pass 1. */
  windowState?: string;
}

/**
 * A selected event as the writing step needs it, plain data only: a scale-out part hands these over through the
 * job queue to the step that merges the parts.
 */
export interface RankedEvent {
  score: number;
  rawIndex: string;
  rawId: string;
  event: Record<string, unknown>;
  words: DocumentWord[];
  /** Index into `words` of the side that gave the (lowest) score. */
  side: number;
  floored: boolean;
  hits: { heuristic: string; reason: string; subject?: string; strength?: number; evidence?: Evidence }[];
  /** Concentration of the event's word (fused ranking only). */
  concentration?: number;
  autoencoder?: { error: number; threshold: number; topFeatures: { feature: string; share: number; value: number; expected: number }[] };
  fused?: { score: number; pValue: number; by: string; components: Partial<Record<string, number>> };
}

/** What scoring one part of a window leaves for the merge: its counts and its own bounded top list. */
export interface PartResult {
  events: number;
  unscorable: number;
  unscorableReasons: Record<string, number>;
  underTolerance: number;
  explainedByFeedback: number;
  ranked: RankedEvent[];
}

/** The name of a version's autoencoder in the model registry. */
export const AUTOENCODER_ARTIFACT = 'autoencoder';

/** The fused ranking's view of a whole window, in memory (see windowState.ts for its stored form). */
interface PreparedWindow {
  heuristics: WindowHeuristics;
  reference: ReferenceValues;
  frequencies: WindowFrequencies;
  events: number;
  /** Flows: the service uses' mean concentrations (see `ServiceUses`). */
  serviceUses: ServiceUseMeans;
}

/** An event offered for selection, with the record the heuristics tag it from. */
export interface Candidate extends Omit<RankedEvent, 'score' | 'hits'> {
  record: FlowRecord | DnsRecord | ProxyRecord;
}

const elapsed = (start: number) => (Date.now() - start) / 1000;

export class WindowScorer {
  constructor(private readonly deps: WindowScorerDeps) {}

  /**
   * Trains a model on the window (with all benign feedback) and registers it as the data type's next version; with
   * the fused ranking, the version also holds the window's autoencoder and fusion state.
   */
  async train(
    request: Omit<WindowRequest, 'model'>,
  ): Promise<TrainSummary & { lda: LdaModel; autoencoder?: ReturnType<typeof autoencoderParams> & { seconds: number } }> {
    const { lda, autoencoder, prepared: _prepared, ...summary } = await this.trainWindow(request);
    autoencoder?.detector.dispose();
    return { ...summary, lda, ...(autoencoder ? { autoencoder: { ...autoencoderParams(autoencoder), seconds: autoencoder.seconds } } : {}) };
  }

  /** `train`, keeping what a fused scoring of the same window goes on with (the caller disposes the autoencoder). */
  private async trainWindow(
    request: Omit<WindowRequest, 'model'>,
    progressSpan: [number, number] = [0, 100],
  ): Promise<TrainSummary & { lda: LdaModel; autoencoder?: AutoencoderRun; prepared?: PreparedWindow }> {
    const started = Date.now();
    const { dataType, window } = request;
    const observation = this.fusionSettings.ranking === 'fused' ? new WindowObservation(dataType, this.fusionSettings) : undefined;
    const [from, to] = progressSpan;
    const report = (fraction: number, stage: string) => request.onProgress?.(Math.round(from + (to - from) * fraction), stage);
    const { corpus, pass } = await this.readWindow(request, observation, (done) => report(0.6 * done, 'reading'), 'train on');
    const { events, reasons } = pass;
    // The window's own document frequencies, before feedback copies add documents of rated IPs.
    const frequencies = corpus.documentFrequencies();
    // Ratings given after this instant are not in the model; a queued retraining asked for before it is covered.
    const feedbackAsOf = new Date().toISOString();
    const feedback = this.deps.settings.dupFactor > 0 ? await this.deps.feedback.benignExamples(dataType) : [];
    for (const example of feedback) {
      for (const { document, word } of example.words) corpus.addFeedback(document, word, this.deps.settings.dupFactor);
    }
    report(0.6, 'training');
    const built = corpus.build();
    const lda = trainLda(built, {
      ...this.deps.settings.lda,
      onIteration: (it) => {
        const done = (it.chain - 1) * this.deps.settings.lda.iterations + it.iteration;
        report(0.6 + (0.4 * done) / (it.chains * this.deps.settings.lda.iterations), 'training');
      },
    });
    // The training tokens' likelihood under the model registered (every chain's average), not one chain's own.
    const fit = heldOutLikelihood(lda, built);
    // The window's autoencoder trains here so that its settings are registered beside the LDA's.
    const autoencoder = observation ? await trainWindowAutoencoder(observation, (epoch, epochs) => report(0.95 + (0.05 * epoch) / epochs, 'training the autoencoder')) : undefined;
    const artifacts = new Map<string, Buffer>();
    let prepared: PreparedWindow | undefined;
    if (observation) {
      prepared = await this.prepareWindow(lda, observation, frequencies, events, autoencoder);
      artifacts.set(windowStateName(window), encodeWindowState(this.windowStateOf(request, prepared)));
      if (autoencoder) artifacts.set(AUTOENCODER_ARTIFACT, await encodeAutoencoder(autoencoder.detector));
    }
    const model = await this.deps.models.register(
      {
        dataType,
        algorithm: 'lda',
        params: {
          ...this.deps.settings.lda,
          dupFactor: this.deps.settings.dupFactor,
          wordVariant: this.deps.settings.variant,
          feedbackAsOf,
          ...(observation ? { ranking: 'fused', fusion: fusionParams(observation.settings) } : {}),
          ...(autoencoder ? { autoencoder: autoencoderParams(autoencoder) } : {}),
        },
        trainingWindow: window,
        trainedAt: new Date().toISOString(),
        trigger: request.trigger,
        events,
        documents: built.documents.length,
        vocabulary: built.vocabulary.length,
        feedbackRows: feedback.length,
        evaluation: {
          trainingTokens: built.tokens,
          ...(Number.isFinite(fit.perplexity) ? { perplexity: fit.perplexity, logLikelihood: fit.logLikelihood } : {}),
          trainingSeconds: elapsed(started),
        },
      },
      lda,
      artifacts,
    );
    report(1, 'trained');
    return { model, lda, autoencoder, prepared, events, unscorable: reasons.total, unscorableReasons: reasons.toJSON(), seconds: elapsed(started) };
  }

  /**
   * The window's fusion view once pass 1 has read it: the heuristics judge it, the reference sample is scored (by
   * `autoencoder` too, the one that will score pass 2).
   */
  private async prepareWindow(lda: LdaModel, observation: WindowObservation, frequencies: WindowFrequencies, events: number, autoencoder: AutoencoderRun | undefined): Promise<PreparedWindow> {
    const scorer = new LdaScorer(lda);
    const { floors } = await this.feedbackRules(observation.dataType, scorer);
    const concentration = new WordConcentration(scorer, frequencies);
    const serviceUses = serviceUseMeans(observation, scorer, concentration, floors);
    const reference = await referenceValues(observation, scorer, concentration, floors, serviceUses, autoencoder?.detector);
    return { heuristics: observation.heuristics, reference, frequencies, events, serviceUses };
  }

  private windowStateOf(request: Pick<WindowRequest, 'dataType' | 'window'>, prepared: PreparedWindow) {
    return { dataType: request.dataType, window: request.window, events: prepared.events, heuristics: prepared.heuristics.verdicts(), reference: prepared.reference, frequencies: prepared.frequencies, serviceUses: prepared.serviceUses.entries() };
  }

  /** A version's stored state of a window, restored; undefined when the version has none for it. */
  private async storedWindow(record: ModelRecord, request: Pick<WindowRequest, 'dataType' | 'window'>): Promise<PreparedWindow | undefined> {
    const name = windowStateName(request.window);
    const stored = await this.deps.models.artifact(record, name);
    if (!stored) return undefined;
    const state = decodeWindowState(stored, `the ${name} state of ${record.dataType} model v${record.version}`);
    const heuristics = this.windowHeuristics(request.dataType);
    heuristics.adoptVerdicts(state.heuristics);
    return { heuristics, reference: state.reference, frequencies: state.frequencies, events: state.events, serviceUses: new ServiceUseMeans(state.serviceUses) };
  }

  /** The version's autoencoder (flows), loaded; undefined when it was registered without one. */
  private async registeredAutoencoder(record: ModelRecord): Promise<AutoencoderRun | undefined> {
    if (record.dataType !== 'flow') return undefined;
    const started = Date.now();
    const stored = await this.deps.models.artifact(record, AUTOENCODER_ARTIFACT);
    if (!stored) return undefined;
    // tfjs-node when installed, else WebAssembly, else plain JS (a no-op once chosen in this process).
    await useTfBackend('auto');
    const detector = await decodeAutoencoder(stored);
    const registered = (record.params.autoencoder ?? {}) as { sampledFlows?: number };
    return { detector, source: 'registered', sampled: registered.sampledFlows ?? detector.info.trainingRows + detector.info.validationRows, seconds: elapsed(started) };
  }

  /**
   * Scale-out with a given version on a window it was not trained on: reads the whole window once (pass 1) and
   * stores its fusion state beside the version, for the parts. Trains nothing.
   */
  async observeWindowForParts(request: Omit<WindowRequest, 'model'> & { modelVersion: number }): Promise<{ modelVersion: number; events: number; referenceEvents: number; seconds: number }> {
    const started = Date.now();
    const { record, lda } = await this.registeredModel(request.dataType, request.modelVersion);
    const observation = new WindowObservation(request.dataType, this.fusionSettings, false);
    const { frequencies, events } = await this.observeWindow(request, observation, (done) => request.onProgress?.(Math.round(95 * done), 'reading'));
    // The parts score with the version's autoencoder: its errors of the reference events are its reference.
    const autoencoder = await this.registeredAutoencoder(record);
    let prepared: PreparedWindow;
    try {
      prepared = await this.prepareWindow(lda, observation, frequencies, events, autoencoder);
    } finally {
      autoencoder?.detector.dispose();
    }
    await this.deps.models.saveArtifact(record, windowStateName(request.window), encodeWindowState(this.windowStateOf(request, prepared)));
    request.onProgress?.(100, 'observed');
    return { modelVersion: record.version, events, referenceEvents: prepared.reference.lda.length, seconds: elapsed(started) };
  }

  /** Scores every event of the window and writes the suspicious ones; see the file comment for the passes. */
  async score(request: WindowRequest): Promise<ScoreSummary> {
    if (this.fusionSettings.ranking === 'fused') return this.scoreFused(request);
    const started = Date.now();
    const { dataType, window } = request;
    const report = (percent: number, stage: string) => request.onProgress?.(Math.round(percent), stage);
    let trained = false;
    let record: ModelRecord;
    let lda: LdaModel;
    if (request.model === 'train') {
      const result = await this.trainWindow(request, [0, 45]);
      record = result.model;
      lda = result.lda;
      trained = true;
    } else {
      ({ record, lda } = await this.registeredModel(dataType, request.model));
    }
    const trainSeconds = elapsed(started);
    const scoreStarted = Date.now();
    const base = trained ? 45 : 0;

    const scorer = new LdaScorer(lda);
    const selector = new SuspiciousSelector<Candidate>({ tol: this.deps.settings.tol, maxResults: this.deps.settings.maxResults });
    const { pass, heuristics, explainedByFeedback } = await this.scoringPass(request, scorer, (score, candidate) => selector.offer(score, candidate), (done) =>
      report(base + (90 - base) * 0.9 * done, 'scoring'),
    );
    const { events, reasons } = pass;
    const scoreSeconds = elapsed(scoreStarted);
    const ranked = selector.results().map(({ score, item }) => rankedEvent(score, item, heuristics));
    return this.finishRun(request, { modelVersion: record.version, trained, started, trainSeconds, scoreSeconds }, ranked, scorer, {
      events,
      reasons,
      underTolerance: selector.underToleranceCount,
      explainedByFeedback,
      extra: { ranking: 'lda' },
    });
  }

  /** Writes a whole-window run and sums it up. */
  private async finishRun(
    request: WindowRequest,
    run: { modelVersion: number; trained: boolean; started: number; trainSeconds: number; scoreSeconds: number },
    ranked: RankedEvent[],
    scorer: LdaScorer,
    counts: { events: number; reasons: ReasonCounter; underTolerance: number; explainedByFeedback: number; extra: Partial<ScoreSummary> },
  ): Promise<ScoreSummary> {
    const { events, reasons } = counts;
    const writeStarted = Date.now();
    const { runId, removedStale } = await this.writeRun(request, run.modelVersion, run.started, ranked, scorer, {
      events,
      unscorable: reasons.total,
      unscorableReasons: reasons.toJSON(),
    });
    return {
      dataType: request.dataType,
      window: request.window,
      runId,
      modelVersion: run.modelVersion,
      trained: run.trained,
      events,
      scored: events - reasons.total,
      unscorable: reasons.total,
      unscorableReasons: reasons.toJSON(),
      underTolerance: counts.underTolerance,
      explainedByFeedback: counts.explainedByFeedback,
      suspicious: ranked.length,
      removedStale,
      seconds: { train: run.trainSeconds, score: run.scoreSeconds, write: elapsed(writeStarted), total: elapsed(run.started) },
      ...counts.extra,
    };
  }

  private get fusionSettings(): FusionSettings {
    return this.deps.settings.fusion ?? DEFAULT_FUSION_SETTINGS;
  }

  /** The data type's attack heuristics with the network's own ranges. */
  private windowHeuristics(dataType: DataType): WindowHeuristics {
    return new WindowHeuristics(dataType, { internalRanges: this.fusionSettings.internalRanges });
  }

  /**
   * The whole window ranked by the fused score: with `train`, pass 1 is the training pass; with a registered model,
   * its autoencoder and (for its own training window) its stored window state, else a pass 1 of its own; then pass 2
   * fuses and keeps the top list.
   */
  private async scoreFused(request: WindowRequest): Promise<ScoreSummary> {
    const started = Date.now();
    const { dataType, window } = request;
    const report = (percent: number, stage: string) => request.onProgress?.(Math.round(percent), stage);
    const settings = this.fusionSettings;
    let trained = false;
    let record: ModelRecord;
    let lda: LdaModel;
    let autoencoder: AutoencoderRun | undefined;
    let prepared: PreparedWindow;
    let windowState: string;
    let autoencoderNote: string | undefined;
    let opened: { total: number; pages: AsyncIterable<RawHit[]> } | undefined;
    let progressBase = 45;
    try {
      if (request.model === 'train') {
        const result = await this.trainWindow(request, [0, 45]);
        ({ lda, autoencoder } = result);
        if (!result.prepared) throw new Error('the fused ranking trained a window without observing it');
        prepared = result.prepared;
        record = result.model;
        trained = true;
        windowState = 'observed while training';
      } else {
        ({ record, lda } = await this.registeredModel(dataType, request.model));
        autoencoder = await this.registeredAutoencoder(record);
        // A state an older build stored (other references) is observed again, like a window the model never saw.
        let olderState = false;
        const stored = await this.storedWindow(record, request).catch((error: unknown) => {
          if (!(error instanceof WindowStateVersionError)) throw error;
          olderState = true;
          return undefined;
        });
        opened = await this.deps.events.open(dataType, window, request.signal);
        if (stored && stored.events === opened.total) {
          prepared = stored;
          windowState = `stored with model v${record.version} (its training window, ${stored.events} events)`;
          progressBase = 0;
        } else {
          windowState = stored
            ? `observed (pass 1): the window holds ${opened.total} events, model v${record.version} saw ${stored.events}`
            : `observed (pass 1)${olderState ? `: model v${record.version} holds this window's state from an older build` : ''}`;
          const observation = new WindowObservation(dataType, settings, autoencoder === undefined);
          const { frequencies, events } = await this.observeWindow(request, observation, (done) => report(35 * done, 'reading'), opened);
          opened = undefined;
          if (!autoencoder && dataType === 'flow') {
            autoencoder = await trainWindowAutoencoder(observation, (epoch, epochs) => report(35 + (10 * epoch) / epochs, 'training the autoencoder'));
            if (autoencoder) autoencoderNote = `model v${record.version} has no autoencoder (trained before it was registered with models): trained one on the window`;
          }
          prepared = await this.prepareWindow(lda, observation, frequencies, events, autoencoder);
        }
      }
    } catch (error) {
      autoencoder?.detector.dispose();
      throw error;
    }
    const trainSeconds = elapsed(started);
    const scoreStarted = Date.now();
    const scorer = new LdaScorer(lda);
    const fused = FusedWindow.over(prepared.reference, prepared.heuristics, autoencoder, settings);
    try {
      const selector = new OrderFreeSelector<FusedCandidate>({ tol: Infinity, maxResults: this.deps.settings.maxResults });
      const { pass, explainedByFeedback } = await this.fusedPass(request, scorer, prepared, fused, selector, (done) => report(progressBase + (90 - progressBase) * 0.9 * done, 'scoring'), opened);
      const ranked = await rankFused(fused, selector.results().map(({ item }) => item.result));
      const scoreSeconds = elapsed(scoreStarted);
      return await this.finishRun(request, { modelVersion: record.version, trained, started, trainSeconds, scoreSeconds }, ranked, scorer, {
        events: pass.events,
        reasons: pass.reasons,
        underTolerance: selector.underToleranceCount,
        explainedByFeedback,
        extra: {
          ranking: fusedRankingName(fused),
          ...(autoencoder ? { autoencoder: { ...autoencoderParams(autoencoder), seconds: autoencoder.seconds } } : {}),
          ...(autoencoderNote ? { autoencoderNote } : {}),
          referenceEvents: fused.referenceEvents,
          windowState,
        },
      });
    } finally {
      fused.dispose();
    }
  }

  /** Pass 2 of the fused ranking over the window or a part of it: every event fused and offered to the top list. */
  private async fusedPass(
    request: Pick<WindowRequest, 'dataType' | 'window' | 'signal' | 'part'>,
    scorer: LdaScorer,
    prepared: Pick<PreparedWindow, 'frequencies' | 'serviceUses'>,
    fused: FusedWindow,
    selector: OrderFreeSelector<FusedCandidate>,
    onPage: (fraction: number) => void,
    opened?: { total: number; pages: AsyncIterable<RawHit[]> },
  ): Promise<{ pass: WindowPass; explainedByFeedback: number }> {
    const { floors, isRatedBehaviour } = await this.feedbackRules(request.dataType, scorer);
    const concentration = new WordConcentration(scorer, prepared.frequencies);
    // Lower ranks first in the order-free top list, so the fused score is offered negated; ties go by raw index and
    // id. Only the events that enter the list get their full result built.
    const sink = (fusedScore: number, item: Candidate, result: () => FusedResult<Candidate>) =>
      selector.offerBuilt(-fusedScore, item, () => ({ rawIndex: item.rawIndex, rawId: item.rawId, result: result() }));
    let explainedByFeedback = 0;
    const context = await this.wordContext(request.dataType, request.window, request.signal);
    const pass = new WindowPass(this.deps.events, request, context);
    for await (const page of pass.pages(onPage, opened)) {
      for (const { hit, words, record: eventRecord } of page) {
        if (isRatedBehaviour(words)) {
          explainedByFeedback += 1;
          continue;
        }
        const sides = ldaSides(scorer, concentration, words, floors, prepared.serviceUses);
        const candidate: Candidate = { record: eventRecord, rawIndex: hit.index, rawId: hit.id, event: hit.source, words, side: sides.side, floored: sides.floored };
        if (fused.queue(fused.pendingOf(hit.source, eventRecord, sides, candidate))) await fused.flush(sink);
      }
    }
    await fused.flush(sink);
    return { pass, explainedByFeedback };
  }

  /** Pass 1 when a registered model scores: the heuristics and samples of the fused ranking, and the window's document frequencies. */
  private async observeWindow(
    request: Pick<WindowRequest, 'dataType' | 'window' | 'signal'>,
    observation: WindowObservation,
    onPage: (fraction: number) => void,
    opened?: { total: number; pages: AsyncIterable<RawHit[]> },
  ): Promise<{ frequencies: WindowFrequencies; events: number }> {
    const { corpus, pass } = await this.readWindow(request, observation, onPage, 'score', opened);
    return { frequencies: corpus.documentFrequencies(), events: pass.events };
  }

  /**
   * Pass 1: reads the window into an LDA corpus (one document per IP) and, when fusing, the window's observation.
   * Fails when no event of the window has words, naming what there was nothing to do (`purpose`).
   */
  private async readWindow(
    request: Pick<WindowRequest, 'dataType' | 'window' | 'signal' | 'part'>,
    observation: WindowObservation | undefined,
    onPage: (fraction: number) => void,
    purpose: 'train on' | 'score',
    opened?: { total: number; pages: AsyncIterable<RawHit[]> },
  ): Promise<{ corpus: CorpusBuilder; pass: WindowPass }> {
    const { dataType, window } = request;
    const context = await this.wordContext(dataType, window, request.signal);
    const corpus = new CorpusBuilder();
    const pass = new WindowPass(this.deps.events, request, context);
    for await (const page of pass.pages(onPage, opened)) {
      for (const { hit, words, record } of page) {
        for (const { document, word } of words) corpus.add(document, word);
        observation?.observe(sampleKeyOf(hit.id), hit.source, words, record);
      }
    }
    if (pass.events - pass.reasons.total === 0) {
      throw new Error(`no ${dataType} event in ${window.from} .. ${window.to} could be turned into words (${pass.events} read); nothing to ${purpose}`);
    }
    return { corpus, pass };
  }

  /**
   * Scale-out, one part: scores the events of `request.part` with a registered model version and keeps the part's
   * own top MAXRESULTS, chosen independently of reading order (see `slices.ts`). The fused ranking uses the window
   * state stored beside the version by the job that read the whole window. Writes nothing; `writeMerged` takes the
   * parts' lists.
   */
  async scorePart(request: Omit<WindowRequest, 'model'> & { part: WindowPart; modelVersion: number }): Promise<PartResult> {
    const { record, lda } = await this.registeredModel(request.dataType, request.modelVersion);
    const scorer = new LdaScorer(lda);
    const onPage = (done: number) => request.onProgress?.(Math.round(90 * done), 'scoring');
    const counts = (pass: WindowPass, underTolerance: number, explainedByFeedback: number) => ({
      events: pass.events,
      unscorable: pass.reasons.total,
      unscorableReasons: pass.reasons.toJSON(),
      underTolerance,
      explainedByFeedback,
    });
    if (this.fusionSettings.ranking !== 'fused') {
      const select = new OrderFreeSelector<Candidate>({ tol: this.deps.settings.tol, maxResults: this.deps.settings.maxResults });
      const heuristics = this.windowHeuristics(request.dataType);
      const { pass, explainedByFeedback } = await this.scoringPass(request, scorer, (score, candidate) => select.offer(score, candidate), onPage, heuristics);
      // Tags are read once the part is fully read (the accumulators have seen the part; Spot's ranking ignores them).
      const ranked = select.results().map(({ score, item }) => rankedEvent(score, item, heuristics));
      return { ...counts(pass, select.underToleranceCount, explainedByFeedback), ranked: ranked.map(({ record: _record, ...event }) => event) };
    }
    const prepared = await this.storedWindow(record, request);
    if (!prepared) {
      throw new Error(
        `${request.dataType} model v${record.version} holds no state of the window ${request.window.from} .. ${request.window.to}: ` +
          'a fused part needs the whole window observed first (enqueue the parts with model "train", or through JobQueues.enqueueScoreInParts, which observes it)',
      );
    }
    const autoencoder = await this.registeredAutoencoder(record);
    const fused = FusedWindow.over(prepared.reference, prepared.heuristics, autoencoder, this.fusionSettings);
    try {
      const selector = new OrderFreeSelector<FusedCandidate>({ tol: Infinity, maxResults: this.deps.settings.maxResults });
      const { pass, explainedByFeedback } = await this.fusedPass(request, scorer, prepared, fused, selector, onPage);
      const ranked = await rankFused(fused, selector.results().map(({ item }) => item.result));
      return { ...counts(pass, selector.underToleranceCount, explainedByFeedback), ranked };
    } finally {
      fused.dispose();
    }
  }

  /** Scale-out, the last step: writes the parts' merged top list as one run of the window, like `score` does. */
  async writeMerged(
    request: Omit<WindowRequest, 'model' | 'part'> & { modelVersion: number; startedAt: number },
    parts: { counts: Omit<PartResult, 'ranked'>[]; ranked: RankedEvent[] },
  ): Promise<ScoreSummary & { parts: number }> {
    const writeStarted = Date.now();
    const { lda } = await this.registeredModel(request.dataType, request.modelVersion);
    const scorer = new LdaScorer(lda);
    const sum = (pick: (count: Omit<PartResult, 'ranked'>) => number) => parts.counts.reduce((total, count) => total + pick(count), 0);
    const events = sum((c) => c.events);
    const unscorable = sum((c) => c.unscorable);
    const unscorableReasons: Record<string, number> = {};
    for (const count of parts.counts) {
      for (const [reason, n] of Object.entries(count.unscorableReasons)) unscorableReasons[reason] = (unscorableReasons[reason] ?? 0) + n;
    }
    const { runId, removedStale } = await this.writeRun({ ...request, trigger: request.trigger }, request.modelVersion, request.startedAt, parts.ranked, scorer, {
      events,
      unscorable,
      unscorableReasons,
    });
    return {
      dataType: request.dataType,
      window: request.window,
      runId,
      modelVersion: request.modelVersion,
      trained: false,
      events,
      scored: events - unscorable,
      unscorable,
      unscorableReasons,
      underTolerance: sum((c) => c.underTolerance),
      explainedByFeedback: sum((c) => c.explainedByFeedback),
      suspicious: parts.ranked.length,
      removedStale,
      parts: parts.counts.length,
      ranking: this.fusionSettings.ranking === 'fused' ? (parts.ranked.find((event) => event.fused)?.fused?.by ?? 'fused') : 'lda',
      seconds: { train: 0, score: (writeStarted - request.startedAt) / 1000, write: elapsed(writeStarted), total: elapsed(request.startedAt) },
    };
  }

  private async registeredModel(dataType: DataType, choice: 'latest' | number): Promise<{ record: ModelRecord; lda: LdaModel }> {
    const found = choice === 'latest' ? await this.deps.models.latest(dataType) : await this.deps.models.version(dataType, choice);
    if (!found) {
      throw new Error(
        choice === 'latest' ? `no ${dataType} model is registered yet; train one first (spothreat train ${dataType})` : `${dataType} model version ${choice} does not exist`,
      );
    }
    return { record: found, lda: await this.deps.models.load(found) };
  }

  /** Pass 2: every event's words scored against the model, the heuristics fed, each score offered. */
  private async scoringPass(
    request: Pick<WindowRequest, 'dataType' | 'window' | 'signal' | 'part'>,
    scorer: LdaScorer,
    offer: (score: number, candidate: Candidate) => void,
    onPage: (fraction: number) => void,
    heuristics = this.windowHeuristics(request.dataType),
  ): Promise<{ pass: WindowPass; heuristics: WindowHeuristics; explainedByFeedback: number }> {
    const { dataType, window } = request;
    const { floors, isRatedBehaviour } = await this.feedbackRules(dataType, scorer);
    let explainedByFeedback = 0;
    const context = await this.wordContext(dataType, window, request.signal);
    const pass = new WindowPass(this.deps.events, request, context);
    for await (const page of pass.pages(onPage)) {
      for (const { hit, words, record } of page) {
        heuristics.add(record);
        if (isRatedBehaviour(words)) {
          explainedByFeedback += 1;
          continue;
        }
        // Spot's score alone: the lowest side after the benign-feedback floors, as the fused ranking reads it.
        const { score, side, floored } = ldaSides(scorer, undefined, words, floors);
        offer(score, { record, rawIndex: hit.index, rawId: hit.id, event: hit.source, words, side, floored });
      }
    }
    return { pass, heuristics, explainedByFeedback };
  }

  /** Explains, enriches and writes the ranked events as a new run of the window, then makes it the current one. */
  private async writeRun(
    request: Pick<WindowRequest, 'dataType' | 'window' | 'trigger' | 'onProgress'>,
    modelVersion: number,
    started: number,
    ranked: RankedEvent[],
    scorer: LdaScorer,
    counts: { events: number; unscorable: number; unscorableReasons: Record<string, number> },
  ): Promise<{ runId: string; removedStale: number }> {
    const { dataType, window } = request;
    const report = (percent: number, stage: string) => request.onProgress?.(Math.round(percent), stage);
    const runId = randomUUID();
    report(90, 'enriching');
    const enrichments = await this.deps.enricher.enrich(
      dataType,
      ranked.map((item) => item.event),
    );
    const explainer = new LdaExplainer(scorer);
    const scoredAt = new Date().toISOString();
    const ids = ranked.map((item) => suspiciousId(dataType, window, item.rawIndex, item.rawId));
    const ratings = await this.deps.feedback.ratingsFor(ids);
    const docs = ranked.map((item, i) => {
      const chosen = item.words[item.side];
      return {
        id: ids[i],
        doc: buildSuspiciousDocument({
          dataType,
          window,
          runId,
          scoredAt,
          model: { name: 'lda', version: modelVersion },
          rank: i + 1,
          score: item.score,
          words: item.words.map((w) => w.word),
          explanation: [
            ...(item.fused ? [explainFused(item.fused, item.autoencoder)] : []),
            explainScore(explainer.explain(chosen.document, chosen.word), item.floored),
            ...item.hits.map((hit) => hit.reason),
          ].join(' '),
          heuristics: [...new Set(item.hits.map((hit) => hit.heuristic))],
          heuristicHits: item.hits.map((hit) => ({
            heuristic: hit.heuristic,
            subject: hit.subject ?? '',
            reason: hit.reason,
            strength: hit.strength ?? 1,
            evidence: hit.evidence ?? {},
          })),
          concentration: item.concentration,
          autoencoder: item.autoencoder
            ? { error: item.autoencoder.error, threshold: item.autoencoder.threshold, top_features: item.autoencoder.topFeatures }
            : undefined,
          fused: item.fused
            ? { score: item.fused.score, rank: i + 1, p_value: item.fused.pValue, by: item.fused.by, components: item.fused.components }
            : undefined,
          rawIndex: item.rawIndex,
          rawId: item.rawId,
          event: item.event,
          enrichment: enrichments[i],
          rating: ratings.get(ids[i]),
        }),
      };
    });
    report(93, 'writing');
    await this.deps.suspicious.write(docs);
    await this.deps.suspicious.completeRun({
      id: runId,
      dataType,
      window,
      modelVersion,
      trigger: request.trigger,
      startedAt: new Date(started).toISOString(),
      events: counts.events,
      scored: counts.events - counts.unscorable,
      suspicious: docs.length,
      unscorable: counts.unscorable,
      unscorableReasons: counts.unscorableReasons,
    });
    const removedStale = await this.deps.suspicious.removeOtherRuns(dataType, window, runId);
    report(100, 'done');
    return { runId, removedStale };
  }

  /**
   * What benign ratings do beyond DUPFACTOR. DUPFACTOR makes a rated word common for the rated IPs, but in a small
   * window the raised probability can still rank inside MAXRESULTS, and the same behaviour from another IP would
   * still score low. So:
   * - the rated behaviour itself (the same words, with at least one side in the same IP's document, e.g. the same
   *   server answering other clients alike) is explained by the analyst and not ranked again; it is counted;
   * - any event carrying a benign-rated word scores no lower than the rated event itself now scores for it.
   */
  private async feedbackRules(dataType: DataType, scorer: LdaScorer) {
    const floors = new Map<string, number>();
    const ratedPairs = new Set<string>();
    const ratedTuples = new Set<string>();
    if (this.deps.settings.dupFactor > 0) {
      for (const example of await this.deps.feedback.benignExamples(dataType)) {
        ratedTuples.add(example.words.map((w) => w.word).join('\u0001'));
        for (const { document, word } of example.words) {
          ratedPairs.add(`${document}\u0000${word}`);
          const score = scorer.scoreWord(document, word);
          if (score > (floors.get(word) ?? 0)) floors.set(word, score);
        }
      }
    }
    const isRatedBehaviour = (words: DocumentWord[]): boolean =>
      ratedTuples.size > 0 &&
      ratedTuples.has(words.map((w) => w.word).join('\u0001')) &&
      words.some(({ document, word }) => ratedPairs.has(`${document}\u0000${word}`));
    return { floors, isRatedBehaviour };
  }

  /** Word context of a window; proxy words need the window's user-agent frequencies first (pass 0). */
  private async wordContext(dataType: DataType, window: Window, signal?: AbortSignal): Promise<WordContext> {
    const context: WordContext = { variant: this.deps.settings.variant, domains: this.deps.domains };
    if (dataType !== 'proxy') return context;
    const userAgents = new UserAgentCounts();
    const read = await this.deps.events.open(dataType, window, signal);
    for await (const page of read.pages) {
      for (const hit of page) {
        const agent = (hit.source.user_agent as { original?: unknown } | undefined)?.original;
        userAgents.add(typeof agent === 'string' ? agent : undefined);
      }
    }
    return { ...context, userAgents };
  }
}

/** An event of a window with its words. */
interface WordedEvent {
  hit: RawHit;
  words: DocumentWord[];
  record: FlowRecord | DnsRecord | ProxyRecord;
}

/**
 * One streaming pass over a window: yields the events that have words, counts those that do not (with their
 * reasons), and reports the fraction read after each page.
 */
class WindowPass {
  events = 0;
  readonly reasons = new ReasonCounter();

  constructor(
    private readonly source: EventSource,
    private readonly request: Pick<WindowRequest, 'dataType' | 'window' | 'signal' | 'part'>,
    private readonly context: WordContext,
  ) {}

  /**
   * The worded events, a page at a time: one await per page rather than per event, which on a window of millions
   * is a measurable share of the pass. `opened`: a read of the window already opened (by a caller that needed its
   * total first).
   */
  async *pages(onPage: (fraction: number) => void, opened?: { total: number; pages: AsyncIterable<RawHit[]> }): AsyncGenerator<WordedEvent[]> {
    const { dataType, window, signal, part } = this.request;
    const read = opened ?? (await this.source.open(dataType, window, signal, part));
    for await (const page of read.pages) {
      const worded: WordedEvent[] = [];
      for (const hit of page) {
        this.events += 1;
        const words = wordsOfEvent(dataType, hit.source, this.context);
        if (words.ok) worded.push({ hit, words: words.words, record: words.record });
        else this.reasons.add(words.reason);
      }
      yield worded;
      onPage(read.total > 0 ? Math.min(1, this.events / read.total) : 1);
    }
  }
}

function rankedEvent(score: number, item: Candidate, heuristics: WindowHeuristics): RankedEvent & { record: Candidate['record'] } {
  const hits = heuristics.tagsFor(item.record).map(storedHit(heuristics));
  const { rawIndex, rawId, event, words, side, floored, record } = item;
  return { score, rawIndex, rawId, event, words, side, floored, hits, record };
}

/** A heuristic hit as a ranked event carries it: plain data, with its strength. */
function storedHit(heuristics: WindowHeuristics) {
  return (hit: { heuristic: string; reason: string; subject: string; evidence: Evidence }) => ({
    heuristic: hit.heuristic,
    reason: hit.reason,
    subject: hit.subject,
    strength: heuristics.strengthOf([hit as Parameters<WindowHeuristics['strengthOf']>[0][number]]),
    evidence: hit.evidence,
  });
}

/** The fusion's settings as the model registry records them. */
function fusionParams(settings: FusionSettings): Record<string, unknown> {
  return {
    components: [...settings.components],
    combination: settings.combination,
    referenceSize: settings.referenceSize,
    // As `spothreat eval --count-by conversation` names it: references count units, the autoencoder is judged against the window sample.
    countBy: 'conversation',
    autoencoderReference: 'window',
    // As `spothreat eval` computes it by default (`--no-service-use` gives the concentration of each flow alone).
    concentration: 'service-use',
    ...(settings.internalRanges ? { internalRanges: [...settings.internalRanges] } : {}),
  };
}

/** An entry of the fused top list: the result, under the raw identity the order-free selector breaks ties by. */
interface FusedCandidate {
  rawIndex: string;
  rawId: string;
  result: FusedResult<Candidate>;
}

function fusedRankingName(fused: FusedWindow): string {
  return `${fused.fusion.combination}(${fused.fusion.components.join(',')})`;
}

/** The kept events of a fused top list, best first, as the writing step (or the merge of parts) takes them. */
async function rankFused(fused: FusedWindow, selected: FusedResult<Candidate>[]): Promise<RankedEvent[]> {
  const explanations = await fused.explain(selected.map((result) => result.features));
  const by = fusedRankingName(fused);
  const threshold = fused.autoencoder?.detector.threshold;
  return selected.map((result, i) => {
    const { rawIndex, rawId, event, words, side, floored } = result.item;
    const error = result.autoencoderError;
    const details = fused.details(result);
    return {
      score: result.lda.score,
      rawIndex,
      rawId,
      event,
      words,
      side,
      floored,
      hits: result.hits.map(storedHit(fused.heuristics)),
      concentration: result.lda.concentration,
      ...(error !== undefined && threshold !== undefined ? { autoencoder: { error, threshold, topFeatures: explanations[i] ?? [] } } : {}),
      fused: { score: details.score, pValue: details.pValue, by, components: details.components },
    };
  });
}

/** The window autoencoder's settings and figures as the model registry and the job result record them. */
function autoencoderParams(run: AutoencoderRun) {
  const info = run.detector.info;
  return {
    source: run.source,
    trainingRows: info.trainingRows,
    validationRows: info.validationRows,
    epochs: info.epochs,
    batchSize: info.batchSize,
    learningRate: info.learningRate,
    threshold: run.detector.threshold,
    finalValidationLoss: info.finalValidationLoss,
    sampledFlows: run.sampled,
  };
}

/**
 * What the window's samples (fusion reference, autoencoder training rows) are drawn by: the raw event's id alone.
 * Ingest gives every event an id derived from its content, so the same traffic draws the same samples whatever the
 * index is called (another prefix, a re-ingest, a reindex); with the index name in the key, the same day ranked
 * differently under another prefix.
 */
function sampleKeyOf(rawId: string): string {
  return rawId;
}
