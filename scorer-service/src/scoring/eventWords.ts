import type { DataType, DnsEvent, FlowEvent, ProxyEvent } from '../domain/events';
import {
  dnsRecordFromEvent,
  dnsWord,
  flowRecordFromEvent,
  flowWords,
  proxyRecordFromEvent,
  proxyWord,
  WordInputError,
  type DnsRecord,
  type DomainClassifier,
  type FlowRecord,
  type ProxyRecord,
  type UserAgentCounts,
  type WordVariant,
} from '../domain/words';

/** One word in one IP's document. A flow has two (its source side and its destination side). */
export interface DocumentWord {
  document: string;
  word: string;
}

/** The event's words, and the record they were made from (the heuristics read it too). */
export type EventWords =
  | { ok: true; words: DocumentWord[]; record: FlowRecord | DnsRecord | ProxyRecord }
  | { ok: false; reason: string };

export interface WordContext {
  variant: WordVariant;
  domains: DomainClassifier;
  /** Proxy only: user-agent frequencies of the window (a pass before the words). */
  userAgents?: UserAgentCounts;
}

/**
 * The words of an event, or why it has none. Spot turned such events into `word_error` and dropped them from the
 * results; here the reason is returned so the run can count and report every one.
 */
export function wordsOfEvent(dataType: DataType, event: unknown, ctx: WordContext): EventWords {
  try {
    if (dataType === 'flow') {
      const record = flowRecordFromEvent(event as FlowEvent);
      if (!record.ok) return record;
      const words = flowWords(record.value.word, ctx.variant);
      return {
        ok: true,
        record: record.value,
        words: [
          { document: record.value.srcIp, word: words.srcWord },
          { document: record.value.dstIp, word: words.dstWord },
        ],
      };
    }
    if (dataType === 'dns') {
      const record = dnsRecordFromEvent(event as DnsEvent);
      if (!record.ok) return record;
      return { ok: true, record: record.value, words: [{ document: record.value.clientIp, word: dnsWord(record.value.word, ctx) }] };
    }
    const record = proxyRecordFromEvent(event as ProxyEvent);
    if (!record.ok) return record;
    const userAgents = ctx.userAgents;
    if (!userAgents) throw new Error('proxy words need the window user-agent counts');
    const word = proxyWord(record.value.word, {
      variant: ctx.variant,
      domains: ctx.domains,
      userAgentCount: (agent) => userAgents.count(agent),
    });
    return { ok: true, record: record.value, words: [{ document: record.value.clientIp, word }] };
  } catch (error) {
    if (error instanceof WordInputError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Counts reasons without letting an unbounded variety of messages grow the map. */
export class ReasonCounter {
  private readonly counts = new Map<string, number>();
  total = 0;

  constructor(private readonly maxDistinct = 25) {}

  add(reason: string): void {
    this.total += 1;
    const key = this.counts.has(reason) || this.counts.size < this.maxDistinct ? reason : 'other reasons';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort((a, b) => b[1] - a[1]));
  }
}
