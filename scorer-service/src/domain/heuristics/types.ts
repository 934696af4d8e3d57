/**
 * Attack heuristics beside the topic model: named patterns an analyst recognises, each with the figures that
 * triggered it. They run as accumulators over a window (pass 1) and then tag the window's events (pass 2).
 */

export type HeuristicName = 'port-scan' | 'brute-force' | 'beaconing' | 'lateral-movement' | 'dns-tunnelling' | 'dga' | 'long-random-subdomain';

export type Evidence = Record<string, number | string | boolean>;

export interface HeuristicHit<E extends Evidence = Evidence> {
  heuristic: HeuristicName;
  /** What the hit is about, e.g. `10.0.0.5` or `10.0.0.5 -> 192.0.2.1:22/TCP`. */
  subject: string;
  /** One sentence for the analyst, with the figures that crossed the thresholds. */
  reason: string;
  evidence: E;
}

/** The fields of a flow the flow heuristics read. */
export interface FlowHeuristicInput {
  srcIp: string;
  dstIp: string;
  sport: number;
  dport: number;
  proto: string;
  /** Epoch milliseconds. */
  timestamp: number;
  bytes: number;
  packets: number;
}

/** The fields of a DNS event the DNS heuristics read. */
export interface DnsHeuristicInput {
  clientIp: string;
  queryName: string;
  /** Epoch milliseconds. */
  timestamp: number;
  /** Numeric code (`3`) or mnemonic (`NXDOMAIN`); undefined when unknown. */
  responseCode: string | undefined;
}

/** A set that stops growing at `cap`, so one noisy key cannot take unbounded memory; it remembers that it did. */
export class CappedSet<T> {
  private readonly values = new Set<T>();
  saturated = false;

  constructor(private readonly cap: number) {}

  add(value: T): void {
    if (this.values.size < this.cap) this.values.add(value);
    else if (!this.values.has(value)) this.saturated = true;
  }

  has(value: T): boolean {
    return this.values.has(value);
  }

  get size(): number {
    return this.values.size;
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values.values();
  }
}

/** Options of a heuristic: every one a threshold or a bound. */
export type NumericOptions<T> = { [K in keyof T]: number };

/** Merges user options over defaults and rejects values that are not positive numbers. */
export function resolveOptions<T extends NumericOptions<T>>(defaults: T, options: Partial<T> | undefined, heuristic: string): T {
  const resolved = { ...defaults, ...options };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`${heuristic}: option ${key} must be a finite number > 0, got ${String(value)}`);
    }
  }
  return resolved;
}

/**
 * A window detector as its owners drive it: fed in pass 1, then asked in pass 2 whether an address leads one of
 * its verdicts and which hits an event is part of.
 */
export interface WindowHeuristic<Input> {
  add(input: Input): void;
  hits(): HeuristicHit[];
  leadsAVerdict(address: string): boolean;
  tagsFor(input: Input): HeuristicHit[];
}

/**
 * A heuristic over a window: events are grouped by a key (a source, a source-service pair, a client-domain pair),
 * each key keeps a small state, and once the window is read every key is judged. `tagsFor` then tells pass 2
 * which hits an event belongs to.
 */
export abstract class WindowDetector<Input, State, E extends Evidence, O extends NumericOptions<O>> implements WindowHeuristic<Input> {
  readonly options: O;
  private readonly states = new Map<string, State>();
  private verdicts: Map<string, HeuristicHit<E>> | undefined;
  private leads: Set<string> | undefined;

  constructor(defaults: O, options: Partial<O> | undefined, heuristic: string) {
    this.options = resolveOptions(defaults, options, heuristic);
  }

  add(input: Input): void {
    const key = this.keyOf(input);
    if (key === undefined) return;
    let state = this.states.get(key);
    if (state === undefined) {
      state = this.createState();
      this.states.set(key, state);
    }
    this.update(state, input);
    this.verdicts = undefined;
    this.leads = undefined;
  }

  /** Every hit of the window. */
  hits(): HeuristicHit<E>[] {
    return [...this.judged().values()];
  }

  /** The hits this event is part of, as a request or as the answer to one. */
  tagsFor(input: Input): HeuristicHit<E>[] {
    const key = this.keyOf(input);
    const hit = key === undefined ? undefined : this.judged().get(key);
    if (hit) return [hit];
    const replyKey = this.replyKeyOf(input);
    const reply = replyKey === undefined ? undefined : this.judged().get(replyKey);
    return reply ? [reply] : [];
  }

  /** The window's verdicts by key, for a process that scores only part of the window (see `adoptVerdicts`). */
  verdictEntries(): [string, HeuristicHit<E>][] {
    return [...this.judged()];
  }

  /**
   * Takes verdicts judged over the whole window by the process that read all of it, so that a scale-out part,
   * which reads a slice, tags its events as a whole-window run would. Drops any state fed so far.
   */
  adoptVerdicts(entries: Iterable<[string, HeuristicHit<E>]>): void {
    this.states.clear();
    this.verdicts = new Map(entries);
    this.leads = undefined;
  }

  /**
   * Whether some verdict's key begins with this address. Every key (and reply key) of our detectors begins with
   * the address it groups by: a flow's source for its own key, its destination for a reply key, a DNS client. So
   * an event none of whose addresses leads a verdict has no hits, and pass 2 skips building its keys: most events
   * of a window are such events, and the keys are strings made per event.
   */
  leadsAVerdict(address: string): boolean {
    if (!this.leads) {
      this.leads = new Set();
      for (const key of this.judged().keys()) {
        const space = key.indexOf(' ');
        this.leads.add(space < 0 ? key : key.slice(0, space));
      }
    }
    return this.leads.has(address);
  }

  /** Number of keys with state, for memory accounting. */
  get keys(): number {
    return this.states.size;
  }

  /** The group of an event; undefined when the heuristic ignores the event. */
  protected abstract keyOf(input: Input): string | undefined;

  /**
   * The group whose request this event answers (flow records of one conversation come in both directions: the
   * victim's SYN-ACKs to a scanner, the server's replies to a brute-forcer). Answers are tagged with the hit but do
   * not count in its figures. Undefined when the event answers nothing the heuristic tracks.
   */
  protected replyKeyOf(_input: Input): string | undefined {
    return undefined;
  }
  protected abstract createState(): State;
  protected abstract update(state: State, input: Input): void;
  protected abstract judge(key: string, state: State): HeuristicHit<E> | undefined;

  private judged(): Map<string, HeuristicHit<E>> {
    if (!this.verdicts) {
      this.verdicts = new Map();
      for (const [key, state] of this.states) {
        const hit = this.judge(key, state);
        if (hit) this.verdicts.set(key, hit);
      }
    }
    return this.verdicts;
  }
}
