import type { Client } from '@opensearch-project/opensearch';
import type { DataType } from '../domain/events';
import type { Enricher } from '../enrichment/enricher';
import type { FieldMapping, LogicalField, SourceMapping } from '../adapters/opensearch/fieldMapping';
import { boolQuery, domainOrSubdomain, rangeClause, termClause, type Query, type Window } from '../adapters/opensearch/queries';
import type { Counted, FlowPair, InvestigationResponse, Peer, TimelineEntry } from './contract';
import { ApiError } from './errors';

/**
 * Spot's threat investigation ("expanded search"): aggregations over the raw events (not only the suspicious
 * ones) around an IP, a domain or a URI. Field names come from the field mapping, so users' own indices answer too.
 */

export interface Anchor {
  ip?: string;
  domain?: string;
  uri?: string;
}

interface Bucket {
  key: string | number | (string | number)[];
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}

type Aggs = Record<string, { buckets?: Bucket[]; doc_count?: number; value?: number | null; value_as_string?: string } & Record<string, unknown>>;

function field(mapping: SourceMapping, logical: string): string | undefined {
  return (mapping.fields as Record<string, string | null>)[logical as LogicalField] ?? undefined;
}

function need(mapping: SourceMapping, logical: string): string {
  const name = field(mapping, logical);
  if (!name) throw new Error(`the field mapping of ${mapping.dataType} has no field for ${logical}`);
  return name;
}

function value(agg: unknown): number {
  const v = (agg as { value?: number | null } | undefined)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function time(agg: unknown): string {
  const a = agg as { value?: number | null; value_as_string?: string } | undefined;
  return a?.value_as_string ?? (typeof a?.value === 'number' ? new Date(a.value).toISOString() : '');
}

function counted(agg: unknown): Counted[] {
  return ((agg as { buckets?: Bucket[] } | undefined)?.buckets ?? []).map((b) => ({ value: String(b.key_as_string ?? b.key), count: b.doc_count }));
}

export class Investigator {
  constructor(
    private readonly client: Client,
    private readonly mapping: FieldMapping,
    private readonly enricher: Enricher,
  ) {}

  private async aggregate(dataType: DataType, filter: Query[], aggs: Record<string, unknown>): Promise<{ total: number; aggs: Aggs }> {
    const mapping = this.mapping[dataType] as SourceMapping;
    const response = await this.client.search({
      index: mapping.index,
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { size: 0, track_total_hits: true, query: boolQuery({ filter: mapping.filter ? [...filter, mapping.filter] : filter }), aggs } as never,
    });
    const hits = response.body.hits as { total?: number | { value: number } };
    return { total: typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0), aggs: (response.body.aggregations ?? {}) as Aggs };
  }

  private peerStats(mapping: SourceMapping, bytesField: string | undefined, packetsField: string | undefined, timeField: string) {
    return {
      first: { min: { field: timeField } },
      last: { max: { field: timeField } },
      ...(bytesField ? { bytes: { sum: { field: bytesField } } } : {}),
      ...(packetsField ? { packets: { sum: { field: packetsField } } } : {}),
    };
  }

  /** Peers of an IP: who it sent to (outbound), who sent to it (inbound), both (two-way); top by connections and by bytes. */
  private async flowPeers(dataType: DataType, window: Window, ip: string, top: number): Promise<{ total: number; byConnections: Peer[]; byBytes: Peer[]; pairs: FlowPair[] }> {
    const mapping = this.mapping[dataType] as SourceMapping;
    const timeField = need(mapping, '@timestamp');
    const src = need(mapping, 'source.ip');
    const dst = need(mapping, 'destination.ip');
    const bytesField = field(mapping, 'network.bytes') ?? field(mapping, 'source.bytes');
    const packetsField = field(mapping, 'network.packets') ?? field(mapping, 'source.packets');
    const stats = this.peerStats(mapping, bytesField, packetsField, timeField);
    const peerTerms = (peerField: string, order: 'count' | 'bytes') => ({
      terms: { field: peerField, size: top * 2, ...(order === 'bytes' && bytesField ? { order: { bytes: 'desc' } } : {}) },
      aggs: stats,
    });
    const srcPort = field(mapping, 'source.port');
    const dstPort = field(mapping, 'destination.port');
    const proto = field(mapping, 'network.transport');
    const candidates: [string, string | undefined][] = [
      ['src', src],
      ['dst', dst],
      ['sport', srcPort],
      ['dport', dstPort],
      ['proto', proto],
    ];
    const pairFields = candidates.filter((entry): entry is [string, string] => entry[1] !== undefined);
    // Flows without ports (ICMP) still form a pair: a missing port reads -1, a missing protocol '-'.
    const missing: Record<string, number | string> = { sport: -1, dport: -1, proto: '-' };
    const pairTerms = pairFields.map(([name, f]) => ({ field: f, ...(name in missing ? { missing: missing[name] } : {}) }));
    const { total, aggs } = await this.aggregate(
      dataType,
      [rangeClause(timeField, window), boolQuery({ should: [termClause(src, ip), termClause(dst, ip)] })],
      {
        outbound: { filter: termClause(src, ip), aggs: { byCount: peerTerms(dst, 'count'), byBytes: peerTerms(dst, 'bytes') } },
        inbound: { filter: termClause(dst, ip), aggs: { byCount: peerTerms(src, 'count'), byBytes: peerTerms(src, 'bytes') } },
        pairs: {
          multi_terms: { terms: pairTerms, size: Math.max(top, 1000) },
          aggs: {
            ...stats,
            ...(bytesField ? { maxBytes: { max: { field: bytesField } }, avgBytes: { avg: { field: bytesField } } } : {}),
            ...(packetsField ? { maxPackets: { max: { field: packetsField } }, avgPackets: { avg: { field: packetsField } } } : {}),
          },
        },
      },
    );
    const peers = new Map<string, Peer & { seenIn: boolean; seenOut: boolean }>();
    const collect = (side: 'inbound' | 'outbound') => {
      const sideAggs = aggs[side] as unknown as { byCount: { buckets: Bucket[] }; byBytes: { buckets: Bucket[] } };
      const seen = new Set<string>();
      for (const bucket of [...sideAggs.byCount.buckets, ...sideAggs.byBytes.buckets]) {
        const peerIp = String(bucket.key_as_string ?? bucket.key);
        if (seen.has(peerIp)) continue;
        seen.add(peerIp);
        const peer = peers.get(peerIp) ?? { ip: peerIp, direction: side, connections: 0, bytes: 0, packets: 0, firstSeen: time(bucket.first), lastSeen: time(bucket.last), seenIn: false, seenOut: false };
        peer.connections += bucket.doc_count;
        peer.bytes += value(bucket.bytes);
        peer.packets += value(bucket.packets);
        if (time(bucket.first) < peer.firstSeen) peer.firstSeen = time(bucket.first);
        if (time(bucket.last) > peer.lastSeen) peer.lastSeen = time(bucket.last);
        if (side === 'inbound') peer.seenIn = true;
        else peer.seenOut = true;
        peers.set(peerIp, peer);
      }
    };
    collect('inbound');
    collect('outbound');
    const all = [...peers.values()].map(({ seenIn, seenOut, ...peer }) => this.describe({ ...peer, direction: seenIn && seenOut ? 'two-way' : seenIn ? 'inbound' : 'outbound' }));
    const pairs: FlowPair[] = ((aggs.pairs?.buckets ?? []) as Bucket[]).map((b) => {
      const keys = b.key as (string | number)[];
      const part = Object.fromEntries(pairFields.map(([name], i) => [name, keys[i]]));
      const pair: FlowPair = {
        srcIp: String(part.src),
        dstIp: String(part.dst),
        firstSeen: time(b.first),
        lastSeen: time(b.last),
        connections: b.doc_count,
        maxBytes: value(b.maxBytes),
        avgBytes: value(b.avgBytes),
        maxPackets: value(b.maxPackets),
        avgPackets: value(b.avgPackets),
      };
      if (part.sport !== undefined && Number(part.sport) >= 0) pair.srcPort = Number(part.sport);
      if (part.dport !== undefined && Number(part.dport) >= 0) pair.dstPort = Number(part.dport);
      if (part.proto !== undefined && part.proto !== '-') pair.protocol = String(part.proto);
      return pair;
    });
    return {
      total,
      byConnections: [...all].sort((a, b) => b.connections - a.connections).slice(0, top),
      byBytes: [...all].sort((a, b) => b.bytes - a.bytes).slice(0, top),
      pairs,
    };
  }

  private describe(peer: Peer): Peer {
    const host = this.enricher.host(peer.ip);
    return { ...peer, internal: host.internal, ...(host.context ? { context: host.context } : {}), ...(host.geo ? { geo: host.geo } : {}) };
  }

  /** Clients of a name or URI (DNS, proxy), as peers of the anchor. */
  private clientPeers(aggs: Aggs): Peer[] {
    return ((aggs.clients?.buckets ?? []) as Bucket[]).map((b) =>
      this.describe({ ip: String(b.key_as_string ?? b.key), direction: 'inbound', connections: b.doc_count, bytes: value(b.bytes), packets: 0, firstSeen: time(b.first), lastSeen: time(b.last) }),
    );
  }

  async investigate(dataType: DataType, window: Window, anchor: Anchor, top: number): Promise<InvestigationResponse & { timeline: TimelineEntry[] }> {
    const mapping = this.mapping[dataType] as SourceMapping;
    const timeField = need(mapping, '@timestamp');
    const base: InvestigationResponse = { dataType, anchor, events: 0, topPeersByConnections: [], topPeersByBytes: [] };
    if (dataType === 'flow') {
      if (!anchor.ip) throw new ApiError(400, 'a flow investigation needs an ip (flows carry no domain or URI)', [{ path: 'ip', message: 'required for flow' }]);
      const found = await this.flowPeers(dataType, window, anchor.ip, top);
      const timeline: TimelineEntry[] = found.pairs
        .map((p) => ({ start: p.firstSeen, end: p.lastSeen, srcIp: p.srcIp, dstIp: p.dstIp, srcPort: p.srcPort, dstPort: p.dstPort, protocol: p.protocol, events: p.connections, bytes: p.avgBytes * p.connections }))
        .map((entry) => Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as TimelineEntry)
        .sort((a, b) => a.start.localeCompare(b.start))
        .slice(0, 1000);
      return { ...base, events: found.total, topPeersByConnections: found.byConnections, topPeersByBytes: found.byBytes, pairs: found.pairs.slice(0, top), timeline };
    }
    const src = need(mapping, 'source.ip');
    const clientStats = { first: { min: { field: timeField } }, last: { max: { field: timeField } } };
    if (dataType === 'dns') {
      const name = need(mapping, 'dns.question.name');
      const answers = field(mapping, 'dns.resolved_ip');
      if (anchor.ip) {
        const { total, aggs } = await this.aggregate(dataType, [rangeClause(timeField, window), termClause(src, anchor.ip)], { names: { terms: { field: name, size: top }, aggs: clientStats } });
        const timeline = ((aggs.names?.buckets ?? []) as Bucket[]).map((b) => ({ start: time(b.first), end: time(b.last), srcIp: anchor.ip!, detail: String(b.key), events: b.doc_count }));
        return { ...base, events: total, namesForIp: counted(aggs.names), timeline: timeline.sort((a, b) => a.start.localeCompare(b.start)) };
      }
      const nameClause = anchor.domain ? domainOrSubdomain(name, anchor.domain) : termClause(name, anchor.uri ?? '');
      const { total, aggs } = await this.aggregate(dataType, [rangeClause(timeField, window), nameClause], {
        clients: { terms: { field: src, size: top }, aggs: clientStats },
        ...(answers ? { answers: { terms: { field: answers, size: top } } } : {}),
      });
      const peers = this.clientPeers(aggs);
      return { ...base, events: total, topPeersByConnections: peers, topPeersByBytes: peers, ipsForName: counted(aggs.clients), answersForName: counted(aggs.answers), timeline: peerTimeline(peers, anchor.domain) };
    }
    const url = need(mapping, 'url.original');
    const referrer = field(mapping, 'http.request.referrer');
    const host = field(mapping, 'url.domain');
    if (anchor.ip) {
      const { total, aggs } = await this.aggregate(dataType, [rangeClause(timeField, window), termClause(src, anchor.ip)], {
        uris: { terms: { field: url, size: top }, aggs: clientStats },
        ...(referrer ? { referers: { terms: { field: referrer, size: top } } } : {}),
      });
      const timeline = ((aggs.uris?.buckets ?? []) as Bucket[]).map((b) => ({ start: time(b.first), end: time(b.last), srcIp: anchor.ip!, detail: String(b.key), events: b.doc_count }));
      return { ...base, events: total, uris: counted(aggs.uris), referers: counted(aggs.referers), timeline: timeline.sort((a, b) => a.start.localeCompare(b.start)) };
    }
    const target = anchor.uri ? termClause(url, anchor.uri) : host ? domainOrSubdomain(host, anchor.domain!) : domainOrSubdomain(url, anchor.domain!);
    const { total, aggs } = await this.aggregate(dataType, [rangeClause(timeField, window)], {
      requests: {
        filter: target,
        aggs: { clients: { terms: { field: src, size: top }, aggs: clientStats }, uris: { terms: { field: url, size: top } }, ...(referrer ? { referers: { terms: { field: referrer, size: top } } } : {}) },
      },
      ...(referrer && anchor.uri ? { referred: { filter: termClause(referrer, anchor.uri), aggs: { uris: { terms: { field: url, size: top } } } } } : {}),
    });
    const requests = aggs.requests as unknown as Aggs & { doc_count: number };
    const peers = this.clientPeers(requests);
    return {
      ...base,
      events: requests?.doc_count ?? total,
      topPeersByConnections: peers,
      topPeersByBytes: peers,
      uris: counted(requests?.uris),
      referers: counted(requests?.referers),
      referredUris: counted((aggs.referred as unknown as Aggs | undefined)?.uris),
      timeline: peerTimeline(peers, anchor.uri ?? anchor.domain),
    };
  }
}

function peerTimeline(peers: Peer[], detail: string | undefined): TimelineEntry[] {
  return peers
    .map((p) => ({ start: p.firstSeen, end: p.lastSeen, srcIp: p.ip, ...(detail ? { detail } : {}), events: p.connections }))
    .sort((a, b) => a.start.localeCompare(b.start));
}
