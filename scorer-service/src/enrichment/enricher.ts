import { parse as parseDomain } from 'tldts';
import type { DataType } from '../domain/events';
import type { AsnLocator } from './asnRanges';
import { IpRangeSet } from '../domain/ipRanges';
import { NetworkContext } from './networkContext';
import { dnsCode, httpStatusName } from './protocolNames';
import { checkReputation, mergeReputation, type Indicator, type Reputation, type ReputationProvider } from './reputation';

/**
 * Enrichment of suspicious events in Spot's order: internal flag, geo, network context, IANA names, TLD,
 * reputation. Everything but reputation is local and synchronous; reputation is asked once per batch.
 */

export interface Geo {
  countryCode?: string;
  country?: string;
  city?: string;
  lat?: number;
  lon?: number;
  /** Autonomous system announcing the address (from the ASN table, not the city database). */
  asn?: number;
  asOrg?: string;
}

export interface GeoLocator {
  locate(ip: string): Geo | undefined;
}

export interface HostInfo {
  ip: string;
  internal: boolean;
  context?: string;
  geo?: Geo;
}

export interface EventEnrichment {
  source: HostInfo;
  destination?: HostInfo;
  dns?: { qtype?: { code?: number; name: string }; rcode?: { code?: number; name: string } };
  http?: { statusName?: string };
  /** Registrable domain and public suffix of the DNS query name or the proxy host. */
  domain?: { registered?: string; tld?: string; host: string };
  reputation: Reputation;
}

/** The fields of an ECS event that enrichment reads. */
export interface EnrichableEvent {
  source?: { ip?: string };
  destination?: { ip?: string; domain?: string };
  dns?: { question?: { name?: string; type?: string }; response_code?: string };
  dns_codes?: { qtype?: number; rcode?: number };
  url?: { original?: string; domain?: string };
  http?: { response?: { status_code?: number } };
}

export interface EnricherParts {
  internalRanges: readonly string[];
  context?: NetworkContext;
  geo?: GeoLocator;
  /** AS number and organisation of external addresses, merged into their geo. */
  asn?: AsnLocator;
  reputation?: readonly ReputationProvider[];
}

export class Enricher {
  private readonly internal: IpRangeSet;
  private readonly context: NetworkContext;
  private readonly hostCache = new Map<string, HostInfo>();

  constructor(private readonly parts: EnricherParts) {
    this.internal = new IpRangeSet(parts.internalRanges);
    this.context = parts.context ?? NetworkContext.empty();
  }

  /** Internal flag, network-context name and (external hosts only) location of one address. */
  host(ip: string): HostInfo {
    const cached = this.hostCache.get(ip);
    if (cached) return cached;
    const internal = this.internal.contains(ip);
    const info: HostInfo = { ip, internal };
    const context = this.context.nameOf(ip);
    if (context !== undefined) info.context = context;
    if (!internal) {
      const geo = this.locate(ip);
      if (geo !== undefined) info.geo = geo;
    }
    if (this.hostCache.size > 100_000) this.hostCache.clear();
    this.hostCache.set(ip, info);
    return info;
  }

  /** City database and ASN table together; a copy, so the locator's own records are never changed. */
  private locate(ip: string): Geo | undefined {
    const located = this.parts.geo?.locate(ip);
    const as = this.parts.asn?.lookup(ip);
    if (!as) return located;
    return { ...located, asn: as.number, ...(as.organization ? { asOrg: as.organization } : {}) };
  }

  isInternal(ip: string): boolean {
    return this.internal.contains(ip);
  }

  /** Enriches a batch; the result at index i belongs to events[i]. */
  async enrich(dataType: DataType, events: readonly EnrichableEvent[]): Promise<EventEnrichment[]> {
    const local = events.map((event) => this.enrichLocally(dataType, event));
    const indicatorsOf = local.map(({ indicators }) => indicators);
    const unique = new Map<string, Indicator>();
    for (const list of indicatorsOf) for (const indicator of list) unique.set(`${indicator.kind}:${indicator.value}`, indicator);
    const hits = await checkReputation(this.parts.reputation ?? [], [...unique.values()]);
    return local.map(({ enrichment, indicators }) => {
      const values = new Set(indicators.map((indicator) => indicator.value));
      return { ...enrichment, reputation: mergeReputation(hits.filter((hit) => values.has(hit.indicator))) };
    });
  }

  private enrichLocally(dataType: DataType, event: EnrichableEvent): { enrichment: Omit<EventEnrichment, 'reputation'>; indicators: Indicator[] } {
    const indicators: Indicator[] = [];
    const srcIp = event.source?.ip;
    const dstIp = event.destination?.ip;
    const enrichment: Omit<EventEnrichment, 'reputation'> = { source: srcIp ? this.host(srcIp) : { ip: '', internal: false } };
    if (dstIp) enrichment.destination = this.host(dstIp);
    // Reputation of external addresses only: internal ones are ours and would only leak to remote services.
    if (srcIp && !enrichment.source.internal) indicators.push({ kind: 'ip', value: srcIp });
    if (dstIp && !enrichment.destination?.internal) indicators.push({ kind: 'ip', value: dstIp });

    if (dataType === 'dns') {
      const qtype = dnsCode('qtype', event.dns_codes?.qtype, event.dns?.question?.type);
      const rcode = dnsCode('rcode', event.dns_codes?.rcode, event.dns?.response_code);
      enrichment.dns = { ...(qtype ? { qtype } : {}), ...(rcode ? { rcode } : {}) };
      const name = event.dns?.question?.name;
      if (name) {
        enrichment.domain = domainParts(name);
        indicators.push({ kind: 'domain', value: name.replace(/\.$/, '').toLowerCase() });
      }
    }
    if (dataType === 'proxy') {
      const status = event.http?.response?.status_code;
      if (typeof status === 'number') enrichment.http = { statusName: httpStatusName(status) };
      const host = event.url?.domain ?? event.destination?.domain;
      if (host) {
        enrichment.domain = domainParts(host);
        indicators.push({ kind: 'domain', value: host.toLowerCase() });
      }
      if (event.url?.original) indicators.push({ kind: 'url', value: event.url.original });
    }
    return { enrichment, indicators };
  }
}

function domainParts(name: string): { registered?: string; tld?: string; host: string } {
  const host = name.replace(/\.$/, '').toLowerCase();
  const parsed = parseDomain(host);
  return {
    host,
    ...(parsed.domain ? { registered: parsed.domain } : {}),
    ...(parsed.publicSuffix ? { tld: parsed.publicSuffix } : {}),
  };
}
