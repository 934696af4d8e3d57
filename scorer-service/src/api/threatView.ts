import type { Threat } from './contract';
import type { StoredSuspicious } from '../adapters/opensearch/suspiciousStore';

/** The stored suspicious document as the API's flat threat row (contract.ts `threatSchema`). */

/** The stored ECS `geo` and `as` of one side, as the API's one `Geo` object (the AS beside the place). */
function geoOf(host: StoredSuspicious['doc']['source'] | undefined): Threat['srcGeo'] {
  const geo = host?.geo;
  const as = host?.as;
  if (!geo && !as) return undefined;
  const out: NonNullable<Threat['srcGeo']> = {};
  if (geo?.country_iso_code) out.countryCode = geo.country_iso_code;
  if (geo?.country_name) out.country = geo.country_name;
  if (geo?.city_name) out.city = geo.city_name;
  if (geo?.location) {
    out.lat = geo.location.lat;
    out.lon = geo.location.lon;
  }
  if (as) {
    out.asn = as.number;
    if (as.organization?.name) out.asOrg = as.organization.name;
  }
  return out;
}

export function threatRow({ id, doc }: StoredSuspicious): Threat {
  const s = doc.spothreat;
  const row: Threat = {
    id,
    dataType: s.data_type,
    timestamp: doc['@timestamp'],
    windowFrom: s.window.from,
    windowTo: s.window.to,
    rank: s.rank,
    score: s.score,
    modelVersion: s.model.version,
    model: s.model.name,
    srcIp: doc.source.ip,
    srcPort: doc.source.port,
    srcInternal: doc.source.internal,
    srcContext: doc.source.context,
    srcGeo: geoOf(doc.source),
    dstIp: doc.destination?.ip,
    dstPort: doc.destination?.port,
    dstInternal: doc.destination?.internal,
    dstContext: doc.destination?.context,
    dstGeo: geoOf(doc.destination),
    protocol: doc.network?.transport,
    srcBytes: doc.source.bytes,
    dstBytes: doc.destination?.bytes,
    srcPackets: doc.source.packets,
    dstPackets: doc.destination?.packets,
    durationMs: doc.event.duration !== undefined ? doc.event.duration / 1e6 : undefined,
    dnsQuery: doc.dns?.question.name,
    dnsQtype: s.dns_names?.qtype_code,
    dnsQtypeName: s.dns_names?.qtype_name ?? doc.dns?.question.type,
    dnsRcode: s.dns_names?.rcode_code,
    dnsRcodeName: s.dns_names?.rcode_name ?? doc.dns?.response_code,
    url: doc.url?.original,
    host: doc.url?.domain,
    httpMethod: doc.http?.request?.method,
    httpStatus: doc.http?.response?.status_code,
    httpStatusName: s.http_status_name,
    referrer: doc.http?.request?.referrer,
    userAgent: doc.user_agent?.original,
    mimeType: doc.http?.response?.mime_type,
    domain: doc.dns?.question.registered_domain ?? doc.url?.registered_domain,
    tld: doc.dns?.question.top_level_domain ?? doc.url?.top_level_domain,
    reputation: { level: s.reputation.level, hits: s.reputation.hits },
    words: s.words,
    explanation: s.explanation,
    heuristics: s.heuristics,
    heuristicHits: s.heuristic_hits?.map(({ heuristic, subject, reason, strength, evidence }) => ({ heuristic, subject, reason, strength, evidence })),
    fused: s.fused ? { score: s.fused.score, rank: s.fused.rank, pValue: s.fused.p_value, by: s.fused.by, components: { ...s.fused.components } } : undefined,
    concentration: s.concentration,
    autoencoder: s.autoencoder ? { error: s.autoencoder.error, threshold: s.autoencoder.threshold, topFeatures: s.autoencoder.top_features } : undefined,
    rating: s.rating,
    ratedBy: s.rated_by,
    ratedAt: s.rated_at,
    rawIndex: s.raw.index,
    rawId: s.raw.id,
  };
  for (const key of Object.keys(row) as (keyof Threat)[]) if (row[key] === undefined) delete row[key];
  return row;
}

/** Column order of the CSV export: the contract's field order, nested objects flattened. */
const CSV_COLUMNS: string[] = [
  'id', 'dataType', 'timestamp', 'windowFrom', 'windowTo', 'rank', 'score', 'modelVersion', 'model',
  'srcIp', 'srcPort', 'srcInternal', 'srcContext', 'srcGeo.countryCode', 'srcGeo.country', 'srcGeo.city', 'srcGeo.lat', 'srcGeo.lon', 'srcGeo.asn', 'srcGeo.asOrg',
  'dstIp', 'dstPort', 'dstInternal', 'dstContext', 'dstGeo.countryCode', 'dstGeo.country', 'dstGeo.city', 'dstGeo.lat', 'dstGeo.lon', 'dstGeo.asn', 'dstGeo.asOrg',
  'protocol', 'srcBytes', 'dstBytes', 'srcPackets', 'dstPackets', 'durationMs',
  'dnsQuery', 'dnsQtype', 'dnsQtypeName', 'dnsRcode', 'dnsRcodeName',
  'url', 'host', 'httpMethod', 'httpStatus', 'httpStatusName', 'referrer', 'userAgent', 'mimeType', 'domain', 'tld',
  'reputation.level', 'words', 'explanation', 'heuristics', 'rating', 'ratedBy', 'ratedAt', 'rawIndex', 'rawId',
];

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  // RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a cell as a formula.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function pick(row: Threat, column: string): unknown {
  let value: unknown = row;
  for (const part of column.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(row: Threat): string {
  return `${CSV_COLUMNS.map((column) => cell(pick(row, column))).join(',')}\r\n`;
}
