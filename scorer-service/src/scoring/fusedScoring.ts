import { useTfBackend } from '../adapters/tf/backend';
import { appendFlowFeatures, FeatureMatrix, FLOW_FEATURE_COUNT, flowFeaturesOf, trainFlowAutoencoder, type FeatureContribution, type FlowAutoencoder, type FlowFeatureRow } from '../domain/autoencoder';
import type { DataType, FlowEvent } from '../domain/events';
import { BottomKSample, DEFAULT_FUSED_COMPONENTS, referenceUnit, WindowFusion, type FusedComponent, type FusedEvidence, type PValueCombination } from '../domain/fusion';
import {
  DnsHeuristics,
  dnsHeuristicInput,
  FlowHeuristics,
  flowHeuristicInput,
  ProxyHeuristics,
  proxyHeuristicInput,
  type DnsHeuristicInput,
  type FlowHeuristicInput,
  type Evidence,
  type HeuristicHit,
  WindowDetector,
} from '../domain/heuristics';
import { ServiceUseMeans, ServiceUses, type LdaScorer, type WordConcentration } from '../domain/scoring';
import type { DnsRecord, FlowRecord, ProxyRecord } from '../domain/words';
import type { DocumentWord } from './eventWords';
import type { ReferenceValues } from './windowState';

/**
 * The fused ranking of a scoring window, as the scorer service runs it (the pure parts are in domain/fusion,
 * domain/scoring/concentration and domain/heuristics):
 *
 *   pass 1   every event feeds the attack heuristics, a bottom-k reference sample of the window and, for flows
 *            when the autoencoder is to be trained, a bottom-k sample of training rows (both chosen by the raw
 *            event id, so the same whatever order the window is read in)
 *   then     the autoencoder is trained on its sample (unsupervised, few epochs) unless the registered model brings
 *            one, the heuristics judge the window, and the reference sample is scored by every component (the
 *            autoencoder too, from the 18 features each reference flow keeps), giving the references of the
 *            p-values, each reference event counted in its unit (heuristic finding, else conversation); this
 *            window state (windowState.ts) is stored beside the model, so scale-out parts and a later scoring of
 *            the same window skip pass 1
 *   pass 2   every event's LDA probability, concentration, heuristic strength and (batched) autoencoder error are
 *            fused into one score; the bounded top list keeps the highest fused scores
 *
 * Memory stays bounded: the samples have fixed sizes, the heuristics keep one small state per key.
 */

export type Ranking = 'fused' | 'lda';
export const RANKINGS: readonly Ranking[] = ['fused', 'lda'];

export interface FusionSettings {
  /** `fused` ranks by the fused score; `lda` is Spot's ranking (score <= TOL, ascending). */
  ranking: Ranking;
  components: readonly FusedComponent[];
  combination: PValueCombination;
  /** Events in the window's reference sample. */
  referenceSize: number;
  /**
   * CIDR ranges of the network's own hosts, for the lateral-movement heuristic (the service passes enrichment's
   * internal ranges); the private ranges when absent.
   */
  internalRanges?: readonly string[];
  autoencoder: {
    /** Training passes per window; few by default, the window is retrained every time. */
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** Flows sampled from the window to train on. */
    sampleSize: number;
    seed: number;
  };
}

export const DEFAULT_FUSION_SETTINGS: Readonly<FusionSettings> = Object.freeze({
  ranking: 'fused',
  components: DEFAULT_FUSED_COMPONENTS,
  combination: 'fisher',
  referenceSize: 20_000,
  autoencoder: { epochs: 5, batchSize: 32, learningRate: 0.001, sampleSize: 200_000, seed: 1 },
});

type EventRecord = FlowRecord | DnsRecord | ProxyRecord;
type HeuristicInput = FlowHeuristicInput | DnsHeuristicInput;

/**
 * The attack heuristics of a window (flows: port scan, brute force, beaconing; DNS: tunnelling, DGA, long random
 * names; proxy: beaconing to a host), fed every event, then asked for the hits of an event and their strength.
 */
export class WindowHeuristics {
  private readonly flow: FlowHeuristics | undefined;
  private readonly dns: DnsHeuristics | undefined;
  private readonly proxy: ProxyHeuristics | undefined;

  constructor(
    readonly dataType: DataType,
    options: { internalRanges?: readonly string[] } = {},
  ) {
    this.flow = dataType === 'flow' ? new FlowHeuristics({ internalRanges: options.internalRanges }) : undefined;
    this.dns = dataType === 'dns' ? new DnsHeuristics() : undefined;
    this.proxy = dataType === 'proxy' ? new ProxyHeuristics() : undefined;
  }

  /** What the heuristics read of an event. */
  inputOf(record: EventRecord): HeuristicInput {
    if (this.flow) return flowHeuristicInput(record as FlowRecord);
    if (this.dns) return dnsHeuristicInput(record as DnsRecord);
    return proxyHeuristicInput(record as ProxyRecord);
  }

  add(record: EventRecord): void {
    this.addInput(this.inputOf(record));
  }

  addInput(input: HeuristicInput): void {
    if (this.flow) this.flow.add(input as FlowHeuristicInput);
    else if (this.dns) this.dns.add(input as DnsHeuristicInput);
    else this.proxy?.add(input as FlowHeuristicInput);
  }

  tagsFor(record: EventRecord): HeuristicHit[] {
    return this.tagsForInput(this.inputOf(record));
  }

  tagsForInput(input: HeuristicInput): HeuristicHit[] {
    if (this.flow) return this.flow.tagsFor(input as FlowHeuristicInput);
    if (this.dns) return this.dns.tagsFor(input as DnsHeuristicInput);
    return this.proxy ? this.proxy.tagsFor(input as FlowHeuristicInput) : [];
  }

  strengthOf(hits: readonly HeuristicHit[]): number {
    if (hits.length === 0) return 0;
    if (this.flow) return this.flow.strengthOf(hits);
    if (this.dns) return this.dns.strengthOf(hits);
    return this.proxy ? this.proxy.strengthOf(hits) : 0;
  }

  /** The data type's window detectors by name (whatever detectors the heuristics hold). */
  private detectors(): [string, WindowDetector<never, unknown, Evidence, never>][] {
    const owner: object = this.flow ?? this.dns ?? this.proxy ?? {};
    return Object.entries(owner).filter((entry): entry is [string, WindowDetector<never, unknown, Evidence, never>] => entry[1] instanceof WindowDetector);
  }

  /** Every detector's verdicts by key, once the whole window has been fed. */
  verdicts(): Record<string, [string, HeuristicHit][]> {
    return Object.fromEntries(this.detectors().map(([name, detector]) => [name, detector.verdictEntries() as [string, HeuristicHit][]]));
  }

  /** Tags from verdicts taken over the whole window by another process (see `verdicts`). */
  adoptVerdicts(verdicts: Record<string, [string, HeuristicHit][]>): void {
    for (const [name, detector] of this.detectors()) {
      const entries = verdicts[name];
      if (!entries) throw new Error(`the window state has no verdicts of the ${name} heuristic (taken by an older build): score the window again with model "train"`);
      detector.adoptVerdicts(entries as never);
    }
  }
}

/** An event of the reference sample: what the components need to score it again once the models exist. */
interface ReferenceEvent {
  words: DocumentWord[];
  heuristic: HeuristicInput;
  /** Flows: the autoencoder's features (undefined when the flow has none), scored once the autoencoder exists. */
  features?: FlowFeatureRow;
}

/** Pass 1 of a fused window: heuristics and the two samples. */
export class WindowObservation {
  readonly heuristics: WindowHeuristics;
  readonly reference: BottomKSample<ReferenceEvent>;
  readonly training: FeatureRowSample | undefined;
  /** Flows: the word pairs of each service use, for the concentration's lift (`ServiceUses`). */
  readonly serviceUses: ServiceUses | undefined;

  /** `sampleTraining`: keep the autoencoder's training sample (not when a registered autoencoder scores). */
  constructor(
    readonly dataType: DataType,
    readonly settings: FusionSettings,
    sampleTraining = true,
  ) {
    this.heuristics = new WindowHeuristics(dataType, { internalRanges: settings.internalRanges });
    this.reference = new BottomKSample(settings.referenceSize);
    this.training = dataType === 'flow' && sampleTraining ? new FeatureRowSample(settings.autoencoder.sampleSize, 1) : undefined;
    this.serviceUses = dataType === 'flow' ? new ServiceUses() : undefined;
  }

  /** Feeds one event; `key` is its identity (the raw event's id), which decides the samples. */
  observe(key: string, event: Record<string, unknown>, words: DocumentWord[], record: EventRecord): void {
    const heuristic = this.heuristics.inputOf(record);
    this.heuristics.addInput(heuristic);
    this.reference.offer(key, () => ({ words, heuristic, features: this.dataType === 'flow' ? featureRowOf(event) : undefined }));
    this.training?.offer(key, () => featureRowOf(event));
    this.serviceUses?.add(words);
  }
}

function featureRowOf(event: Record<string, unknown>): FlowFeatureRow | undefined {
  const result = flowFeaturesOf(event as unknown as FlowEvent);
  return result.ok ? result.row : undefined;
}

/**
 * The autoencoder's training sample: the flows whose key hashes lowest (a `BottomKSample` of slots, so the same
 * rows whatever order the window is read in), packed in one Float64Array instead of an object and a typed array per
 * row, and a flow's features computed only when it would be kept. A 200,000-row sample is then 200,000 x the feature
 * count x 8 bytes, and reading a window no longer leaves a feature row per flow for the collector.
 */
export class FeatureRowSample {
  private readonly rows: Float64Array;
  private readonly present: Uint32Array;
  /** Which packed slot each sampled flow occupies; a flow that leaves hands its slot to the one that replaces it. */
  private readonly slots: BottomKSample<number>;
  private slotsUsed = 0;

  constructor(
    readonly capacity: number,
    seed = 0,
    private readonly width = FLOW_FEATURE_COUNT,
  ) {
    this.slots = new BottomKSample<number>(capacity, seed);
    this.rows = new Float64Array(capacity * width);
    this.present = new Uint32Array(capacity);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Offers a flow under its identity; `make` computes its features (undefined: the flow has none) only if kept. */
  offer(key: string, make: () => FlowFeatureRow | undefined): void {
    this.slots.offer(key, (replaced) => {
      const row = make();
      if (!row) return undefined;
      if (row.values.length !== this.width) throw new RangeError(`a feature row has ${row.values.length} values, the sample ${this.width}`);
      const slot = replaced ?? this.slotsUsed++;
      this.rows.set(row.values, slot * this.width);
      this.present[slot] = row.present;
      return slot;
    });
  }

  /** The rows in (hash, key) order, as views into the packed sample. */
  values(): FlowFeatureRow[] {
    return this.slots.values().map((slot) => ({ values: this.rows.subarray(slot * this.width, (slot + 1) * this.width), present: this.present[slot] }));
  }
}

/** The side figures of an event from the LDA: Spot's score with the feedback floors, and the concentration. */
export interface LdaSides {
  /** P(word | IP), the lowest side after the benign-feedback floors (Spot's score). */
  score: number;
  /** Index into the words of the side that gave `score`. */
  side: number;
  floored: boolean;
  /**
   * The highest concentration of a side whose word no analyst rated benign, raised to the event's service use's
   * mean when given the window's (`ServiceUseMeans`).
   */
  concentration: number;
}

/**
 * Spot's score of an event's words (the lowest side, no lower than a benign-rated word's floor) and, beside it,
 * its concentration. A side whose word an analyst rated benign counts no concentration: the analyst said that
 * this behaviour is fine, and DUPFACTOR has just made the word more typical of its IP, which would otherwise
 * raise its concentration.
 */
export function ldaSides(
  scorer: LdaScorer,
  concentration: WordConcentration | undefined,
  words: readonly DocumentWord[],
  floors: ReadonlyMap<string, number>,
  serviceUses?: ServiceUseMeans,
): LdaSides {
  let score = Infinity;
  let side = 0;
  let floored = false;
  let highest = 0;
  for (let i = 0; i < words.length; i++) {
    const { document, word } = words[i];
    const wordId = scorer.wordId(word);
    let sideScore = scorer.probability(scorer.documentId(document), wordId);
    const floor = floors.get(word);
    if (floor === undefined) {
      const c = concentration ? concentration.ofProbability(sideScore, wordId) : 0;
      if (c > highest) highest = c;
    } else if (floor > sideScore) {
      sideScore = floor;
      floored = true;
    }
    if (sideScore < score) {
      score = sideScore;
      side = i;
    }
  }
  return { score, side, floored, concentration: serviceUses ? serviceUses.lift(words, highest) : highest };
}

export interface AutoencoderRun {
  detector: FlowAutoencoder;
  /** `trained` on this window's sample, or `registered` with the model version and loaded. */
  source: 'trained' | 'registered';
  /** Flows in the training sample, of the window's flows. */
  sampled: number;
  /** Seconds to train it, or to load it. */
  seconds: number;
}

/** After pass 1: the autoencoder trained on the window's sample (flows with at least a few rows), or undefined. */
export async function trainWindowAutoencoder(observation: WindowObservation, onEpoch?: (epoch: number, epochs: number) => void): Promise<AutoencoderRun | undefined> {
  const training = observation.training;
  // The paper's split needs a few rows for the validation threshold; a window this small has nothing to learn.
  if (!training || training.size < 50) return undefined;
  const started = Date.now();
  // tfjs-node when installed, else WebAssembly, else plain JS (a no-op once chosen in this process).
  await useTfBackend('auto');
  const matrix = FeatureMatrix.of(training.values());
  const { epochs, batchSize, learningRate, seed } = observation.settings.autoencoder;
  const detector = await trainFlowAutoencoder(matrix, { epochs, batchSize, learningRate, seed, onEpoch: (e) => onEpoch?.(e.epoch, e.epochs) });
  return { detector, source: 'trained', sampled: training.size, seconds: (Date.now() - started) / 1000 };
}

/**
 * The reference sample scored by every component (the LDA with the same floors as pass 2, the concentration, the
 * heuristics once they have judged the window, and, given the autoencoder that will score pass 2, its errors),
 * with the unit each reference event counts in: the heuristic finding it is part of, else its conversation
 * (`referenceUnit`, as `spothreat eval` counts them). The autoencoder is judged against the window sample, like
 * the others: the service trains it on unlabelled traffic, so its validation errors would only say "rare among
 * the window's events", and with the references counting units they would outweigh every other component in a
 * window of few conversations (docs/evaluation.md, "The fused ranking").
 */
export async function referenceValues(
  observation: WindowObservation,
  scorer: LdaScorer,
  concentration: WordConcentration,
  floors: ReadonlyMap<string, number>,
  serviceUses: ServiceUseMeans,
  autoencoder?: FlowAutoencoder,
): Promise<ReferenceValues> {
  const values: ReferenceValues = { lda: [], concentration: [], heuristics: [], conversations: [] };
  const events = observation.reference.values();
  for (const event of events) {
    const sides = ldaSides(scorer, concentration, event.words, floors, serviceUses);
    values.lda.push(sides.score);
    values.concentration.push(sides.concentration);
    const hits = observation.heuristics.tagsForInput(event.heuristic);
    values.heuristics.push(observation.heuristics.strengthOf(hits));
    values.conversations.push(
      referenceUnit(
        event.words.map((w) => w.document),
        hits,
      ),
    );
  }
  if (autoencoder) values.autoencoder = await referenceErrors(autoencoder, events);
  return values;
}

/** The autoencoder's error of each reference event, NaN where it cannot score one (as pass 2 leaves it out). */
function referenceErrors(autoencoder: FlowAutoencoder, events: readonly ReferenceEvent[]): Promise<number[]> {
  return overFeatureRows(
    events.map((event) => event.features),
    (row) => autoencoder.cannotScore(row.present) === undefined,
    (matrix) => autoencoder.score(matrix),
    NaN,
  );
}

/**
 * Runs `compute` once, on one matrix of the rows `usable` accepts, and puts its results back at those rows'
 * positions; every other position (no row, or one not usable) gets `missing`.
 */
async function overFeatureRows<R>(
  rows: readonly (FlowFeatureRow | undefined)[],
  usable: (row: FlowFeatureRow) => boolean,
  compute: (matrix: FeatureMatrix) => Promise<ArrayLike<R>>,
  missing: R,
): Promise<R[]> {
  const out = new Array<R>(rows.length).fill(missing);
  const at: number[] = [];
  const kept: FlowFeatureRow[] = [];
  rows.forEach((row, i) => {
    if (row && usable(row)) {
      at.push(i);
      kept.push(row);
    }
  });
  if (kept.length === 0) return out;
  const computed = await compute(FeatureMatrix.of(kept));
  at.forEach((i, k) => (out[i] = computed[k]));
  return out;
}

/**
 * The mean concentration of each service use the window's pass 1 counted (flows; none for DNS and proxy), with
 * the feedback floors pass 2 applies.
 */
export function serviceUseMeans(observation: WindowObservation, scorer: LdaScorer, concentration: WordConcentration, floors: ReadonlyMap<string, number>): ServiceUseMeans {
  return observation.serviceUses?.means((words) => ldaSides(scorer, concentration, words, floors).concentration) ?? new ServiceUseMeans([]);
}

/** An event of pass 2 waiting for its batch's autoencoder errors. */
export interface PendingEvent<T> {
  lda: LdaSides;
  hits: HeuristicHit[];
  strength: number;
  /** The event's row in the batch's feature matrix; -1 when the autoencoder cannot score it. */
  featureRow: number;
  item: T;
}

export interface FusedResult<T> {
  item: T;
  lda: LdaSides;
  hits: HeuristicHit[];
  strength: number;
  /** Reconstruction error; undefined when the flow could not be scored (or for DNS and proxy). */
  autoencoderError: number | undefined;
  features: FlowFeatureRow | undefined;
  /** -log10 of the fused p-value, what the window is ranked by (`details` has the components). */
  fusedScore: number;
}

/**
 * Takes each fused event of a batch: its fused score, its item, and its full result, built only when called. Call
 * `result` before returning: once the batch is fused its feature rows are reused for the next one.
 */
export type FusedSink<T> = (fusedScore: number, item: T, result: () => FusedResult<T>) => void;

/** Rows per autoencoder batch in pass 2: one tensor call per batch instead of one per event. */
const BATCH = 4096;

/** The window's fusion, ready for pass 2. */
export class FusedWindow {
  private pending: PendingEvent<unknown>[] = [];
  /** The pending events' features, written in place and reused batch after batch. */
  private readonly batchFeatures = new FeatureMatrix(FLOW_FEATURE_COUNT, BATCH);

  private constructor(
    readonly fusion: WindowFusion,
    readonly heuristics: WindowHeuristics,
    readonly autoencoder: AutoencoderRun | undefined,
    readonly referenceEvents: number,
  ) {}

  /**
   * The fusion over a window's reference values (`referenceValues`): counted by unit, the autoencoder judged
   * against the sample's errors. Those errors must come from the autoencoder that scores pass 2.
   */
  static over(reference: ReferenceValues, heuristics: WindowHeuristics, autoencoder: AutoencoderRun | undefined, settings: FusionSettings): FusedWindow {
    const events = reference.lda.length;
    if (autoencoder && events > 0 && reference.autoencoder === undefined) {
      throw new Error("the window's reference sample has no autoencoder errors although an autoencoder scores it: score the window again with model \"train\"");
    }
    // A window without scorable events has nothing to rank; a neutral reference keeps the fusion defined.
    const values: ReferenceValues = events > 0 ? reference : { lda: [0], concentration: [0], heuristics: [0], conversations: ['none'] };
    const fusion = new WindowFusion(
      {
        lda: values.lda,
        concentration: values.concentration,
        heuristics: values.heuristics,
        conversations: values.conversations,
        autoencoder: autoencoder?.detector.referenceErrors,
        autoencoderSample: autoencoder ? values.autoencoder : undefined,
      },
      { components: settings.components, combination: settings.combination },
    );
    return new FusedWindow(fusion, heuristics, autoencoder, events);
  }

  /** The figures of pass 2 for one event, except the autoencoder error, which is computed per batch. */
  pendingOf<T>(event: Record<string, unknown>, record: EventRecord, lda: LdaSides, item: T): PendingEvent<T> {
    const hits = this.heuristics.tagsFor(record);
    let featureRow = -1;
    if (this.autoencoder) {
      const appended = appendFlowFeatures(event as unknown as FlowEvent, this.batchFeatures);
      if (appended.ok) {
        if (this.autoencoder.detector.cannotScore(this.batchFeatures.present[appended.row]) === undefined) featureRow = appended.row;
        else this.batchFeatures.dropLast();
      }
    }
    return { lda, hits, strength: this.heuristics.strengthOf(hits), featureRow, item };
  }

  /**
   * Queues an event; fuses a batch when one is full. With a `sink`, each fused event goes to it and its full result
   * is built only if the sink asks (a top list keeps a few thousand of millions); without, the results are returned.
   */
  async push<T>(event: PendingEvent<T>, sink?: FusedSink<T>): Promise<FusedResult<T>[]> {
    return this.queue(event) ? this.flush<T>(sink) : [];
  }

  /** Queues an event without waiting; true when the batch is full and must be flushed. */
  queue<T>(event: PendingEvent<T>): boolean {
    this.pending.push(event as PendingEvent<unknown>);
    return this.pending.length >= BATCH;
  }

  /** Fuses every queued event (see `push`). */
  async flush<T>(sink?: FusedSink<T>): Promise<FusedResult<T>[]> {
    const batch = this.pending as PendingEvent<T>[];
    this.pending = [];
    const features = this.batchFeatures;
    const errors = this.autoencoder && features.rows > 0 ? await this.autoencoder.detector.score(features) : undefined;
    const out: FusedResult<T>[] = [];
    const take: FusedSink<T> = sink ?? ((_score, _item, result) => void out.push(result()));
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i];
      const autoencoderError = errors && event.featureRow >= 0 ? errors[event.featureRow] : undefined;
      const fusedScore = this.fusion.score({ lda: event.lda.score, concentration: event.lda.concentration, heuristics: event.strength, autoencoder: autoencoderError });
      take(fusedScore, event.item, () => ({
        item: event.item,
        lda: event.lda,
        hits: event.hits,
        strength: event.strength,
        autoencoderError,
        features: event.featureRow >= 0 ? features.row(event.featureRow) : undefined,
        fusedScore,
      }));
    }
    // The sink has built every result it keeps (their feature rows copied out): the batch's rows can be reused.
    features.clear();
    return out;
  }

  /** The fused p-value and each component's evidence of a kept event. */
  details(result: FusedResult<unknown>): FusedEvidence {
    return this.fusion.evaluate({ lda: result.lda.score, concentration: result.lda.concentration, heuristics: result.strength, autoencoder: result.autoencoderError });
  }

  /** The features that contributed most to each flow's error (for the few selected flows). */
  async explain(rows: readonly (FlowFeatureRow | undefined)[], top = 3): Promise<(FeatureContribution[] | undefined)[]> {
    const autoencoder = this.autoencoder;
    if (!autoencoder) return rows.map(() => undefined);
    return overFeatureRows<FeatureContribution[] | undefined>(rows, () => true, (matrix) => autoencoder.detector.explain(matrix, top), undefined);
  }

  dispose(): void {
    this.autoencoder?.detector.dispose();
  }
}

const COMPONENT_NAMES: Record<string, string> = {
  lda: "Spot's LDA score",
  concentration: 'concentration',
  autoencoder: 'autoencoder',
  heuristics: 'heuristics',
};

function formatP(p: number): string {
  return p >= 0.001 ? p.toPrecision(2) : p.toExponential(1);
}

/**
 * The fused verdict in one sentence: the fused p-value and each component's evidence (-log10 p, so 3 is one in a
 * thousand), then the autoencoder's largest error shares with the value it expected.
 */
export function explainFused(
  fused: { score: number; pValue: number; components: Partial<Record<string, number>> },
  autoencoder?: { error: number; threshold: number; topFeatures: { feature: string; share: number; value: number; expected: number }[] },
): string {
  const parts = Object.entries(fused.components)
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .sort((a, b) => b[1] - a[1])
    .map(([name, evidence]) => `${COMPONENT_NAMES[name] ?? name} ${evidence.toFixed(1)}`);
  let sentence = `Fused evidence ${fused.score.toFixed(1)} (p = ${formatP(fused.pValue)}; -log10 p by component: ${parts.join(', ')}).`;
  if (autoencoder && autoencoder.topFeatures.length > 0) {
    const features = autoencoder.topFeatures
      .map((f) => `${f.feature} ${formatValue(f.value)} where ${formatValue(f.expected)} was expected (${Math.round(100 * f.share)} %)`)
      .join(', ');
    const verdict = autoencoder.error > autoencoder.threshold ? 'above' : 'below';
    sentence += ` Autoencoder error ${autoencoder.error.toPrecision(3)}, ${verdict} its threshold ${autoencoder.threshold.toPrecision(3)}: ${features}.`;
  }
  return sentence;
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toString() : value.toPrecision(3);
}
