import { Interner } from '../lda/corpus';
import { flowWordService } from '../words/flowWords';

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

/**
 * The service use of a flow's two sides: `client>server key_protocol`, the server being the side whose word carries
 * the service marker (`-1_`). Without a service side (both ports privileged, both ephemeral, or 0) the source is
 * taken as the client. Undefined for an event with other than two sides (DNS, proxy).
 */
export function serviceUseKey(words: readonly SideWord[]): string | undefined {
  if (words.length !== 2) return undefined;
  const [source, destination] = words;
  const { service, serves: sourceServes } = flowWordService(source.word);
  return sourceServes ? `${destination.document}>${source.document} ${service}` : `${source.document}>${destination.document} ${service}`;
}

/** Word ids per slot of a word pair's number: (direction x WORD_SLOTS + source word) x WORD_SLOTS + destination word < 2^49. */
const WORD_SLOTS = 2 ** 24;

/**
 * Pass 1: the distinct word pairs of each service use and how many events had each. Kept as numbers: documents,
 * words and services are interned once, a use is three ids, and a pair is one number (its direction and two word
 * ids). Most uses have one pair, kept inline; only a use with a second pair gets a map. Memory grows with the uses
 * and their distinct pairs, not with events.
 */
export class ServiceUses {
  private readonly documents = new Interner();
  private readonly words = new Interner();
  private readonly services = new Interner();
  private readonly useIds = new Map<string, number>();
  private readonly client: number[] = [];
  private readonly server: number[] = [];
  private readonly service: number[] = [];
  private readonly firstPair: number[] = [];
  private readonly firstCount: number[] = [];
  /** Uses with more than one pair: use id -> the other pairs -> events. */
  private readonly morePairs = new Map<number, Map<number, number>>();

  add(words: readonly SideWord[]): void {
    if (words.length !== 2) return;
    const [source, destination] = words;
    const { service: serviceName, serves: sourceServes } = flowWordService(source.word);
    const client = this.documents.idOf(sourceServes ? destination.document : source.document);
    const server = this.documents.idOf(sourceServes ? source.document : destination.document);
    const service = this.services.idOf(serviceName);
    const sourceWord = this.words.idOf(source.word);
    const destinationWord = this.words.idOf(destination.word);
    if (sourceWord >= WORD_SLOTS || destinationWord >= WORD_SLOTS) throw new RangeError(`more than ${WORD_SLOTS} distinct flow words in one window`);
    const pair = ((sourceServes ? 1 : 0) * WORD_SLOTS + sourceWord) * WORD_SLOTS + destinationWord;
    const key = `${client},${server},${service}`;
    const use = this.useIds.get(key);
    if (use === undefined) {
      this.useIds.set(key, this.client.length);
      this.client.push(client);
      this.server.push(server);
      this.service.push(service);
      this.firstPair.push(pair);
      this.firstCount.push(1);
    } else if (this.firstPair[use] === pair) {
      this.firstCount[use] += 1;
    } else {
      let more = this.morePairs.get(use);
      if (!more) this.morePairs.set(use, (more = new Map()));
      more.set(pair, (more.get(pair) ?? 0) + 1);
    }
  }

  /** Service uses seen. */
  get size(): number {
    return this.client.length;
  }

  /**
   * Once the model exists: the mean concentration of each use with more than one distinct word pair (a use of one
   * pair has the concentration of its own flows), each pair weighted by its events.
   */
  means(concentrationOf: (words: SideWord[]) => number): ServiceUseMeans {
    const means: [string, number][] = [];
    for (const [use, more] of this.morePairs) {
      const client = this.documents.keys[this.client[use]];
      const server = this.documents.keys[this.server[use]];
      const sidesOf = (pair: number): SideWord[] => {
        const destinationWord = pair % WORD_SLOTS;
        const rest = (pair - destinationWord) / WORD_SLOTS;
        const sourceWord = rest % WORD_SLOTS;
        const serverIsSource = rest >= WORD_SLOTS;
        return [
          { document: serverIsSource ? server : client, word: this.words.keys[sourceWord] },
          { document: serverIsSource ? client : server, word: this.words.keys[destinationWord] },
        ];
      };
      // Summed in the order of the pairs' words, not in the order the window was read (which also numbers the
      // words), so the mean is the same to the last bit whatever that order.
      const pairs = [[this.firstPair[use], this.firstCount[use]] as const, ...more].map(([pair, count]) => {
        const sides = sidesOf(pair);
        return { sides, count, order: `${sides[0].document}\t${sides[0].word}\t${sides[1].word}` };
      });
      pairs.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      let sum = 0;
      let events = 0;
      for (const { sides, count } of pairs) {
        sum += count * concentrationOf(sides);
        events += count;
      }
      means.push([`${client}>${server} ${this.services.keys[this.service[use]]}`, sum / events]);
    }
    means.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
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
