/**
 * Plain records the word creators read. They are what is left of an event once the fields that do not
 * shape behaviour (addresses, exact times, payload identifiers) are set aside; `fromEvents.ts` maps the
 * ECS documents onto them and rejects incomplete ones.
 */
import type { DomainParts } from './domainNames';

/**
 * Which word grammar to use.
 * - `seed`: the published Suspicious Connects description (cutoff-index bins over 0, 1, 2, 4, 8, ...; DNS periods
 *   counted in the subdomain; proxy words without a URI-length feature). The default.
 * - `spot-code`: what Apache Spot's Scala code really did (ceil(log2(x+1)) flow bins, truncated log2 DNS and
 *   user-agent bins, DNS label count of the whole name, an extra proxy URI-length feature, top-domain match on the
 *   registered domain's first label only).
 */
export type WordVariant = 'seed' | 'spot-code';

export const WORD_VARIANTS: readonly WordVariant[] = ['seed', 'spot-code'];

export interface FlowWordInput {
  /** Source port; 0 when the protocol has none. */
  sport: number;
  /** Destination port; 0 when the protocol has none. */
  dport: number;
  /** Protocol as the log names it (`TCP`, `UDP`, `ICMP`). */
  proto: string;
  /** Hour of day, 0..23. */
  hour: number;
  /** Bytes of the flow. */
  bytes: number;
  /** Packets of the flow. */
  packets: number;
}

/** A flow makes one word for the source IP's document and one, possibly different, for the destination IP's. */
export interface FlowWords {
  srcWord: string;
  dstWord: string;
}

export interface DnsWordInput {
  /** Query name as asked, without a trailing dot. */
  queryName: string;
  /** Length of the DNS frame in bytes; undefined when the source does not record it (Zeek dns.log). */
  frameLength: number | undefined;
  /** Hour of day, 0..23. */
  hour: number;
  /** Query type as the log gives it (numeric code where known, else the mnemonic); undefined when absent. */
  queryType: string | undefined;
  /** Response code as the log gives it; undefined when absent. */
  responseCode: string | undefined;
}

export interface ProxyWordInput {
  /** Host the request went to. */
  host: string;
  /** Hour of day, 0..23. */
  hour: number;
  /** Request method as logged (`GET`, `POST`, `CONNECT`); undefined when absent. */
  method: string | undefined;
  /** The full URI as Spot built it (host + path + query); its entropy and length become features. */
  uri: string;
  /** Response content type as logged (`text/html; charset=utf-8`); undefined when absent. */
  contentType: string | undefined;
  /** User agent string; undefined when absent. */
  userAgent: string | undefined;
  /** HTTP status code; undefined when the request got no response. */
  responseCode: number | undefined;
}

/** Classifies a name against the popular-domain list and the user's own domains. */
export interface DomainClassifier {
  /** 2 = one of the user's domains, 1 = on the top-domain list, 0 = neither. */
  classifyParts(parts: DomainParts): 0 | 1 | 2;
}

export interface DnsWordContext {
  variant: WordVariant;
  domains: DomainClassifier;
}

export interface ProxyWordContext {
  variant: WordVariant;
  domains: DomainClassifier;
  /** How often each user agent occurs in the window being modelled (see `UserAgentCounts`). */
  userAgentCount(userAgent: string | undefined): number;
}
