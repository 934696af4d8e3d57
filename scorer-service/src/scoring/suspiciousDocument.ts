import { createHash } from 'node:crypto';
import type { DataType } from '../domain/events';
import type { EventEnrichment, Geo, HostInfo } from '../enrichment/enricher';
import type { ReputationHit } from '../enrichment/reputation';
import { windowKey, type Window } from '../adapters/opensearch/queries';

/**
 * A suspicious event as stored in `<prefix>suspicious-<type>-<day>` (opensearch-templates/index/suspicious.json):
 * the raw event's ECS fields the analyst needs, the enrichment beside them in ECS places, and the scorer's own
 * fields under `spothreat`.
 */

interface StoredGeo {
  country_iso_code?: string;
  country_name?: string;
  city_name?: string;
  location?: { lat: number; lon: number };
}

/** ECS `source.as` / `destination.as`. */
interface StoredAs {
  number: number;
  organization?: { name: string };
}

interface StoredHost {
  ip: string;
  port?: number;
  bytes?: number;
  packets?: number;
  internal: boolean;
  context?: string;
  geo?: StoredGeo;
  as?: StoredAs;
  domain?: string;
}

/** The fused ranking of an event (domain/fusion/windowFusion.ts). */
export interface StoredFused {
  /** -log10 of the fused p-value; higher = more suspicious. */
  score: number;
  /** 1-based position in the window's fused ranking. */
  rank: number;
  p_value: number;
  /** How the components were combined, e.g. `fisher(concentration,autoencoder,heuristics)`. */
  by: string;
  /** -log10 p of each component that took part. */
  components: { lda?: number; concentration?: number; autoencoder?: number; heuristics?: number };
}

/** The autoencoder's verdict on a flow. */
export interface StoredAutoencoder {
  error: number;
  threshold: number;
  top_features: { feature: string; share: number; value: number; expected: number }[];
}

/** A heuristic hit the event is part of, with the figures that triggered it. */
export interface StoredHeuristicHit {
  heuristic: string;
  subject: string;
  reason: string;
  strength: number;
  /** The heuristic's own figures (keys differ per heuristic: kept, not indexed). */
  evidence: Record<string, number | string | boolean>;
}

export interface Rating {
  rating: 1 | 2 | 3;
  by: string;
  at: string;
}

export interface SuspiciousDocument {
  '@timestamp': string;
  event: { kind: 'alert'; dataset: string; duration?: number };
  source: StoredHost;
  destination?: StoredHost;
  network?: { transport?: string; iana_number?: string; bytes?: number; packets?: number };
  dns?: { question: { name: string; type?: string; registered_domain?: string; top_level_domain?: string }; response_code?: string };
  url?: { original: string; domain?: string; registered_domain?: string; top_level_domain?: string };
  http?: { request?: { method?: string; referrer?: string }; response?: { status_code?: number; mime_type?: string } };
  user_agent?: { original?: string };
  spothreat: {
    data_type: DataType;
    score: number;
    rank: number;
    model: { name: string; version: number };
    words: string[];
    explanation: string;
    heuristics: string[];
    heuristic_hits?: StoredHeuristicHit[];
    /** P(word | IP) x ln(D / df) of the event's word (flows: the higher side), the population component. */
    concentration?: number;
    autoencoder?: StoredAutoencoder;
    fused?: StoredFused;
    window: { from: string; to: string; key: string };
    run_id: string;
    scored_at: string;
    reputation: { level: number; hits: ReputationHit[] };
    dns_names?: { qtype_code?: number; qtype_name?: string; rcode_code?: number; rcode_name?: string };
    http_status_name?: string;
    rating?: 1 | 2 | 3;
    rated_by?: string;
    rated_at?: string;
    raw: { index: string; id: string };
    label?: string;
  };
}

/** Same event, same window, same data type: same id, so re-scoring a window overwrites instead of duplicating. */
export function suspiciousId(dataType: DataType, window: Window, rawIndex: string, rawId: string): string {
  return createHash('sha256').update(`${dataType}\n${windowKey(window)}\n${rawIndex}\n${rawId}`).digest('hex').slice(0, 40);
}

export interface SuspiciousInput {
  dataType: DataType;
  window: Window;
  runId: string;
  scoredAt: string;
  model: { name: string; version: number };
  rank: number;
  score: number;
  words: string[];
  explanation: string;
  heuristics: string[];
  heuristicHits?: StoredHeuristicHit[];
  concentration?: number;
  autoencoder?: StoredAutoencoder;
  fused?: StoredFused;
  rawIndex: string;
  rawId: string;
  /** The raw event in ECS shape. */
  event: Record<string, unknown>;
  enrichment: EventEnrichment;
  rating?: Rating;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Drops undefined members so the strict mapping never sees a null it did not ask for. */
function compact<T extends Obj>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function storedAs(geo: Geo | undefined): StoredAs | undefined {
  if (geo?.asn === undefined) return undefined;
  return geo.asOrg ? { number: geo.asn, organization: { name: geo.asOrg } } : { number: geo.asn };
}

function storedGeo(geo: Geo | undefined): StoredGeo | undefined {
  if (!geo) return undefined;
  const stored = compact({
    country_iso_code: geo.countryCode,
    country_name: geo.country,
    city_name: geo.city,
    location: geo.lat !== undefined && geo.lon !== undefined ? { lat: geo.lat, lon: geo.lon } : undefined,
  });
  // An address with an AS but no city record has nothing for `geo` (its AS goes to `as`).
  return Object.keys(stored).length > 0 ? stored : undefined;
}

function storedHost(raw: Obj, info: HostInfo): StoredHost {
  return compact({
    ip: info.ip,
    port: num(raw.port),
    bytes: num(raw.bytes),
    packets: num(raw.packets),
    internal: info.internal,
    context: info.context,
    geo: storedGeo(info.geo),
    as: storedAs(info.geo),
    domain: str(raw.domain),
  });
}

export function buildSuspiciousDocument(input: SuspiciousInput): SuspiciousDocument {
  const { event, enrichment, dataType } = input;
  const source = obj(event.source);
  const destination = obj(event.destination);
  const eventPart = obj(event.event);
  const doc: SuspiciousDocument = {
    '@timestamp': String(event['@timestamp']),
    event: compact({ kind: 'alert' as const, dataset: `spothreat.${dataType}`, duration: num(eventPart.duration) }),
    source: storedHost(source, enrichment.source),
    spothreat: compact({
      data_type: dataType,
      score: input.score,
      rank: input.rank,
      model: input.model,
      words: input.words,
      explanation: input.explanation,
      heuristics: input.heuristics,
      heuristic_hits: input.heuristicHits,
      concentration: input.concentration,
      autoencoder: input.autoencoder,
      fused: input.fused,
      window: { from: input.window.from, to: input.window.to, key: windowKey(input.window) },
      run_id: input.runId,
      scored_at: input.scoredAt,
      reputation: { level: enrichment.reputation.level, hits: enrichment.reputation.hits },
      rating: input.rating?.rating,
      rated_by: input.rating?.by,
      rated_at: input.rating?.at,
      raw: { index: input.rawIndex, id: input.rawId },
      label: str(obj(event.spothreat).label),
    }),
  };
  if (enrichment.destination) doc.destination = storedHost(destination, enrichment.destination);
  const network = obj(event.network);
  if (dataType === 'flow') {
    doc.network = compact({ transport: str(network.transport), iana_number: str(network.iana_number), bytes: num(network.bytes), packets: num(network.packets) });
  }
  if (dataType === 'dns') {
    const dns = obj(event.dns);
    const question = obj(dns.question);
    doc.dns = compact({
      question: compact({
        name: String(question.name ?? ''),
        type: str(question.type),
        registered_domain: enrichment.domain?.registered,
        top_level_domain: enrichment.domain?.tld,
      }),
      response_code: str(dns.response_code),
    });
    const names = enrichment.dns;
    if (names) {
      doc.spothreat.dns_names = compact({
        qtype_code: names.qtype?.code,
        qtype_name: names.qtype?.name,
        rcode_code: names.rcode?.code,
        rcode_name: names.rcode?.name,
      });
    }
  }
  if (dataType === 'proxy') {
    const url = obj(event.url);
    const http = obj(event.http);
    const request = obj(http.request);
    const response = obj(http.response);
    doc.url = compact({
      original: String(url.original ?? ''),
      domain: str(url.domain) ?? enrichment.domain?.host,
      registered_domain: enrichment.domain?.registered,
      top_level_domain: enrichment.domain?.tld,
    });
    doc.http = {
      request: compact({ method: str(request.method), referrer: str(request.referrer) }),
      response: compact({ status_code: num(response.status_code), mime_type: str(response.mime_type) }),
    };
    const agent = str(obj(event.user_agent).original);
    if (agent) doc.user_agent = { original: agent };
    if (enrichment.http?.statusName) doc.spothreat.http_status_name = enrichment.http.statusName;
  }
  return doc;
}
