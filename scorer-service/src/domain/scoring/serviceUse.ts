/**
 * A flow's concentration raised to that of its service use: the flows one client sends to one service (key port
 * and protocol) of one server, in either direction.
 *
 * The words bin a flow's bytes and packets, so one behaviour can span neighbouring words. A DoS client's
 * connections to a web server, for example, are mostly one word (80_TCP_13_12_5) with a few in the next bins
 * (80_TCP_13_12_4, 80_TCP_13_11_5). LDA gives the rarer words a small P(word | IP), so those flows get a low
 * concentration, while their service use as a whole is the most concentrated behaviour of the window. An analyst
 * reads such a use as one thing. So a flow's concentration is the higher of its own and the mean over its use's
 * flows: a use made of concentrated flows lifts its few odd members. A use that is mostly ordinary barely moves
 * the one odd flow in it (the mean is diluted), and the lift never lowers a flow.
 *
 * The use is directed: the client's flows to the server's service. A wider unit was measured and not kept
 * (docs/evaluation.md, "Fifth round"): the unordered IP pair lifted a benign LAN pair whose flows in one direction
 * were concentrated and in the other were not, and a DNS or proxy client would lift all its lookups or requests.
 * DNS and proxy events (one side) have no use and are not lifted.
 */

/** One side of an event: its IP's document and its word (`DocumentWord` of the scoring layer). */
export interface SideWord {
  document: string;
  word: string;
}

/** Marks the word of the IP that owns the service port (see domain/words/flowWords). */
const SERVICE_SIDE = '-1_';
/** The word parts after the key port and protocol: hour, byte bin, packet bin. */
const BINNED_PARTS = 3;
/** Separates the documents and words of an event in a tuple key (neither an IP nor a word holds one). */
const TAB = '\t';

/**
 * The service use of a flow's two sides: `client>server key_protocol`, the server being the side whose word carries
 * the service marker (`-1_`). Without a service side (both ports privileged, both ephemeral, or 0) the source is
 * taken as the client. Undefined for an event with other than two sides (DNS, proxy).
 */
export function serviceUseKey(words: readonly SideWord[]): string | undefined {
  if (words.length !== 2) return undefined;
  const [source, destination] = words;
  const sourceServes = source.word.startsWith(SERVICE_SIDE);
  const service = (sourceServes ? source.word.slice(SERVICE_SIDE.length) : source.word).split('_').slice(0, -BINNED_PARTS).join('_');
  return sourceServes ? `${destination.document}>${source.document} ${service}` : `${source.document}>${destination.document} ${service}`;
}

/**
 * Pass 1: the distinct side words of each service use and how many events had each. Memory grows with the distinct
 * (use, word pair) combinations, not with events.
 */
export class ServiceUses {
  private readonly uses = new Map<string, Map<string, number>>();

  add(words: readonly SideWord[]): void {
    const key = serviceUseKey(words);
    if (key === undefined) return;
    let tuples = this.uses.get(key);
    if (!tuples) this.uses.set(key, (tuples = new Map()));
    const tuple = words.map((w) => `${w.document}${TAB}${w.word}`).join(TAB);
    tuples.set(tuple, (tuples.get(tuple) ?? 0) + 1);
  }

  /** Service uses seen. */
  get size(): number {
    return this.uses.size;
  }

  /**
   * Once the model exists: the mean concentration of each use with more than one distinct word pair (a use of one
   * pair has the concentration of its own flows), each pair weighted by its events.
   */
  means(concentrationOf: (words: SideWord[]) => number): ServiceUseMeans {
    const means: [string, number][] = [];
    for (const [key, tuples] of this.uses) {
      if (tuples.size < 2) continue;
      let sum = 0;
      let events = 0;
      for (const [tuple, count] of tuples) {
        const parts = tuple.split(TAB);
        const words: SideWord[] = [];
        for (let i = 0; i < parts.length; i += 2) words.push({ document: parts[i], word: parts[i + 1] });
        sum += count * concentrationOf(words);
        events += count;
      }
      means.push([key, sum / events]);
    }
    return new ServiceUseMeans(means);
  }
}

/** The mean concentration of the window's service uses, as the fused ranking reads it in pass 2. */
export class ServiceUseMeans {
  private readonly byUse: Map<string, number>;

  constructor(entries: Iterable<readonly [string, number]>) {
    this.byUse = new Map(entries);
  }

  /** An event's concentration: its own, or its service use's mean when that is higher. */
  lift(words: readonly SideWord[], own: number): number {
    if (this.byUse.size === 0) return own;
    const key = serviceUseKey(words);
    const mean = key === undefined ? undefined : this.byUse.get(key);
    return mean !== undefined && mean > own ? mean : own;
  }

  /** The stored form (the window state). */
  entries(): [string, number][] {
    return [...this.byUse];
  }
}
