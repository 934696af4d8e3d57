import { combineSummary, conversationWeights, UpperTailReference, type PValueCombination } from './fusion';

/**
 * The fused ranking of a scoring window: each event's evidence from every detector turned into a p-value against
 * a reference of the window's (mostly ordinary) events, and the p-values combined into one.
 *
 * Components, each "higher = more suspicious" before its p-value is taken:
 * - `lda`: Spot's score, P(word | IP) negated (flows: the lower side). Rare for the IP = suspicious.
 * - `concentration`: P(word | IP) x ln(D / df(word)) (flows: the higher side), see `WordConcentration`. Typical of
 *   the IP but rare in the network = suspicious: the attacks that make up most of an IP's traffic.
 * - `autoencoder` (flows): reconstruction error, against the model's own validation errors.
 * - `heuristics`: the strength of the attack heuristics' hits the event is part of (0 without one).
 *
 * Every p-value is counted, (1 + #reference >= s) / (1 + |reference|), with no tail model beyond the reference:
 * a component's evidence is then bounded by what its reference can show (about -log10 of its size), so one
 * over-confident detector cannot outvote the others. That is what the measurements asked for: an autoencoder
 * trained on another capture's benign flows (docs/evaluation.md, D) gave every attack of the test capture a
 * tail p-value of 1e-20 and below, the fusion then followed it alone (PR-AUC 0.81 on capture 008); counted,
 * the concentration and heuristics keep their say (0.95). Events past the whole reference tie on that
 * component and are ordered by the others.
 *
 * Given the conversation of each reference event (`FusionReferences.conversations`, `referenceUnit`: the heuristic
 * finding it is part of, else its IP pair), the window's reference counts conversations instead of events: each
 * event weighs 1 / (events of its unit in the sample), so p = (1 + units at or above s) / (1 + units). Counted by events, the p-value says "rare among
 * the window's events", and a conversation that makes up much of the window (a scan of one host, a brute force,
 * a C2 channel, but also a busy backup) defines what is ordinary: its high concentration got p ~ 0.9 on a
 * capture that is 94 % one C2 channel, and its rare benign neighbours looked anomalous to every model trained on
 * that window. Counted by conversations, one chatty pair of hosts is one voice among the window's conversations,
 * so a behaviour is rare when few conversations show it, however many events they hold (docs/evaluation.md:
 * PR-AUC up on every set where the autoencoder trains on the window, e.g. 0.84 -> 0.96 on that capture).
 *
 * The autoencoder's reference depends on what it was trained on. Trained on known-benign traffic (another day,
 * the paper's protocol), its validation errors are a calibrated reference: its p-value says "unlike benign
 * traffic". Trained on the window itself (the scorer service, eval without --train), it is as transductive as
 * the others, and its p-values are taken, like theirs, against the errors of the window's reference events
 * (`autoencoderSample`), counted by conversation.
 *
 * The default combination leaves `lda` out: on every labelled set measured (docs/evaluation.md) its per-event
 * rarity pulled the fused ranking below the fusion of the other three, because the events rarest for their IP
 * are mostly one-off benign events while attacks repeat. Its model still feeds `concentration`, and its score
 * stays on every event as Spot's contract.
 */

export type FusedComponent = 'lda' | 'concentration' | 'autoencoder' | 'heuristics';
export const FUSED_COMPONENTS: readonly FusedComponent[] = ['lda', 'concentration', 'autoencoder', 'heuristics'];
export const DEFAULT_FUSED_COMPONENTS: readonly FusedComponent[] = ['concentration', 'autoencoder', 'heuristics'];

/** What the detectors said about one event. */
export interface EventEvidence {
  /** P(word | IP); flows: the lower of the two sides. */
  lda: number;
  /** Concentration of the event's word; flows: the higher side. */
  concentration: number;
  /** Reconstruction error; undefined or NaN when the autoencoder could not score the event (or does not run). */
  autoencoder?: number;
  /** Heuristic strength, 0 when no heuristic tagged the event. */
  heuristics: number;
}

/** The same figures for a reference sample of the window, plus the autoencoder's benign validation errors. */
export interface FusionReferences {
  lda: ArrayLike<number>;
  concentration: ArrayLike<number>;
  heuristics: ArrayLike<number>;
  /** The autoencoder's reference errors (`FlowAutoencoder.referenceErrors`); omit when it does not run. */
  autoencoder?: ArrayLike<number>;
  /**
   * The conversation of each reference event (`referenceUnit` of its IPs and heuristic findings), aligned with
   * `lda`, `concentration` and `heuristics`: the references then count conversations, not events. Without it every
   * event counts once.
   */
  conversations?: ArrayLike<string | number>;
  /**
   * The autoencoder's errors of the same reference events (NaN where it cannot score one). Give it when the
   * autoencoder was trained on the window itself: its p-values are then taken against the window, like the other
   * components', instead of against `autoencoder`. Omit it when it was trained on known-benign traffic.
   */
  autoencoderSample?: ArrayLike<number>;
}

export interface WindowFusionOptions {
  components?: readonly FusedComponent[];
  combination?: PValueCombination;
}

export interface FusedEvidence {
  /** -log10 of the fused p-value: 3 = one in a thousand under the references. Higher = more suspicious. */
  score: number;
  /** The fused p-value. */
  pValue: number;
  /** -log10 p of each component that took part; absent components (not fused, or not scored) are missing. */
  components: Partial<Record<FusedComponent, number>>;
}

const LN10 = Math.log(10);

export class WindowFusion {
  readonly components: readonly FusedComponent[];
  readonly combination: PValueCombination;
  private readonly references: Partial<Record<FusedComponent, UpperTailReference>> = {};

  constructor(references: FusionReferences, options: WindowFusionOptions = {}) {
    this.components = options.components ?? DEFAULT_FUSED_COMPONENTS;
    this.combination = options.combination ?? 'fisher';
    if (this.components.length === 0) throw new RangeError('the fusion needs at least one component');
    for (const name of this.components) {
      if (!FUSED_COMPONENTS.includes(name)) throw new RangeError(`unknown fusion component "${String(name)}"; choose from ${FUSED_COMPONENTS.join(', ')}`);
    }
    const conversations = references.conversations;
    const sampleSize = references.lda.length;
    for (const [name, values] of [['concentration', references.concentration], ['heuristics', references.heuristics], ['conversations', conversations], ['autoencoderSample', references.autoencoderSample]] as const) {
      if (values !== undefined && values.length !== sampleSize) throw new RangeError(`references.${name} has ${values.length} values, references.lda ${sampleSize}: they describe the same events`);
    }
    this.conversationWeighted = conversations !== undefined;
    const use = (name: FusedComponent) => this.components.includes(name);
    if (use('lda')) this.references.lda = windowReference(negated(references.lda), conversations);
    if (use('concentration')) this.references.concentration = windowReference(references.concentration, conversations);
    if (use('heuristics')) this.references.heuristics = windowReference(references.heuristics, conversations);
    if (use('autoencoder') && references.autoencoderSample !== undefined) {
      this.references.autoencoder = windowReference(references.autoencoderSample, conversations);
      if (this.references.autoencoder !== undefined) this.autoencoderReference = 'window';
    } else if (use('autoencoder') && references.autoencoder !== undefined && references.autoencoder.length > 0) {
      this.references.autoencoder = new UpperTailReference(references.autoencoder, false);
      this.autoencoderReference = 'validation';
    }
  }

  /** Whether the references count conversations (`FusionReferences.conversations` was given) rather than events. */
  readonly conversationWeighted: boolean;
  /** What the autoencoder's p-values are taken against: its validation errors, the window sample, or nothing (it does not take part). */
  readonly autoencoderReference: 'validation' | 'window' | undefined = undefined;

  /** Whether the autoencoder takes part (it is asked for and has a reference). */
  get usesAutoencoder(): boolean {
    return this.references.autoencoder !== undefined;
  }

  /** The fused score alone (-log10 of the fused p-value): what ranking a window needs, without allocating. */
  score(evidence: EventEvidence): number {
    const { lda, concentration, autoencoder, heuristics } = this.references;
    // Unrolled over the four components: this runs once per event of the window.
    let count = 0;
    let sum = 0;
    let smallest = 0;
    let logP: number;
    if (lda !== undefined && !Number.isNaN(evidence.lda)) {
      logP = lda.logP(-evidence.lda);
      count++;
      sum += logP;
      if (logP < smallest) smallest = logP;
    }
    if (concentration !== undefined && !Number.isNaN(evidence.concentration)) {
      logP = concentration.logP(evidence.concentration);
      count++;
      sum += logP;
      if (logP < smallest) smallest = logP;
    }
    if (autoencoder !== undefined && evidence.autoencoder !== undefined && !Number.isNaN(evidence.autoencoder)) {
      logP = autoencoder.logP(evidence.autoencoder);
      count++;
      sum += logP;
      if (logP < smallest) smallest = logP;
    }
    if (heuristics !== undefined && !Number.isNaN(evidence.heuristics)) {
      logP = heuristics.logP(evidence.heuristics);
      count++;
      sum += logP;
      if (logP < smallest) smallest = logP;
    }
    return -combineSummary(count, sum, smallest, this.combination) / LN10;
  }

  /** The fused score with its p-value and each component's evidence, for the events that are kept. */
  evaluate(evidence: EventEvidence): FusedEvidence {
    const components: Partial<Record<FusedComponent, number>> = {};
    const add = (name: FusedComponent, value: number | undefined) => {
      const reference = this.references[name];
      if (reference === undefined || value === undefined || Number.isNaN(value)) return;
      components[name] = -reference.logP(value) / LN10;
    };
    add('lda', -evidence.lda);
    add('concentration', evidence.concentration);
    add('autoencoder', evidence.autoencoder);
    add('heuristics', evidence.heuristics);
    const score = this.score(evidence);
    return { score, pValue: Math.pow(10, -score), components };
  }
}

/**
 * Counted p-values against the window sample's values of one component, leaving out the events it could not
 * score (NaN); weighted by conversation, among the events it scored, when the conversations are known.
 * Undefined when it scored none.
 */
function windowReference(values: ArrayLike<number>, conversations: ArrayLike<string | number> | undefined): UpperTailReference | undefined {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) kept.push(i);
  if (kept.length === 0) return undefined;
  const scored = Float64Array.from(kept, (i) => values[i]);
  if (conversations === undefined) return new UpperTailReference(scored, false);
  return new UpperTailReference(scored, false, conversationWeights(kept.map((i) => conversations[i])));
}

function negated(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>, (v) => -v);
}
