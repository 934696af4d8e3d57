import type { DataFrame } from '@grafana/data';

import type { Threat } from '../api/types';
import { frameToRows, rowsToFrame } from './rowsFrame';

/** Threats as one table frame whose field names are the API's Threat keys (`srcIp`, `srcGeo.country`, ...). */
export function threatsToFrame(threats: readonly Threat[]): DataFrame {
  return rowsToFrame(threats, 'threats');
}

/**
 * Document paths of the suspicious-event indices (opensearch-templates/index/suspicious.json) and the Threat keys
 * they hold, so the panels also read the raw-document frames Grafana's OpenSearch data source returns for them.
 */
export const SUSPICIOUS_INDEX_FIELDS: Readonly<Record<string, string>> = {
  _id: 'id',
  '@timestamp': 'timestamp',
  'spothreat.data_type': 'dataType',
  'spothreat.score': 'score',
  'spothreat.rank': 'rank',
  'spothreat.model.name': 'model',
  'spothreat.model.version': 'modelVersion',
  'spothreat.window.from': 'windowFrom',
  'spothreat.window.to': 'windowTo',
  'spothreat.words': 'words',
  'spothreat.explanation': 'explanation',
  'spothreat.heuristics': 'heuristics',
  'spothreat.heuristic_hits': 'heuristicHits',
  'spothreat.fused.score': 'fused.score',
  'spothreat.fused.rank': 'fused.rank',
  'spothreat.fused.p_value': 'fused.pValue',
  'spothreat.fused.by': 'fused.by',
  'spothreat.fused.components.lda': 'fused.components.lda',
  'spothreat.fused.components.concentration': 'fused.components.concentration',
  'spothreat.fused.components.autoencoder': 'fused.components.autoencoder',
  'spothreat.fused.components.heuristics': 'fused.components.heuristics',
  'spothreat.concentration': 'concentration',
  'spothreat.autoencoder.error': 'autoencoder.error',
  'spothreat.autoencoder.threshold': 'autoencoder.threshold',
  'spothreat.autoencoder.top_features': 'autoencoder.topFeatures',
  'spothreat.rating': 'rating',
  'spothreat.rated_by': 'ratedBy',
  'spothreat.rated_at': 'ratedAt',
  'spothreat.reputation.level': 'reputation.level',
  'spothreat.raw.index': 'rawIndex',
  'spothreat.raw.id': 'rawId',
  'source.ip': 'srcIp',
  'source.port': 'srcPort',
  'source.internal': 'srcInternal',
  'source.context': 'srcContext',
  'source.geo.country_iso_code': 'srcGeo.countryCode',
  'source.geo.country_name': 'srcGeo.country',
  'source.geo.city_name': 'srcGeo.city',
  'source.geo.location.lat': 'srcGeo.lat',
  'source.geo.location.lon': 'srcGeo.lon',
  'source.bytes': 'srcBytes',
  'source.packets': 'srcPackets',
  'destination.ip': 'dstIp',
  'destination.port': 'dstPort',
  'destination.internal': 'dstInternal',
  'destination.context': 'dstContext',
  'destination.geo.country_iso_code': 'dstGeo.countryCode',
  'destination.geo.country_name': 'dstGeo.country',
  'destination.geo.city_name': 'dstGeo.city',
  'destination.geo.location.lat': 'dstGeo.lat',
  'destination.geo.location.lon': 'dstGeo.lon',
  'destination.bytes': 'dstBytes',
  'destination.packets': 'dstPackets',
  'network.transport': 'protocol',
  'dns.question.name': 'dnsQuery',
  'spothreat.dns_names.qtype_name': 'dnsQtypeName',
  'spothreat.dns_names.rcode_name': 'dnsRcodeName',
  'dns.question.registered_domain': 'domain',
  'url.original': 'url',
  'url.domain': 'domain',
  'http.request.method': 'httpMethod',
  'http.request.referrer': 'referrer',
  'http.response.status_code': 'httpStatus',
  'http.response.mime_type': 'mimeType',
  'user_agent.original': 'userAgent',
};

/** A frame with the suspicious indices' document paths renamed to Threat keys; other frames unchanged. */
function withThreatNames(frame: DataFrame): DataFrame {
  if (!frame.fields.some((field) => field.name === 'source.ip')) {
    return frame;
  }
  const fields = frame.fields
    .filter((field) => SUSPICIOUS_INDEX_FIELDS[field.name] !== undefined)
    .map((field) => ({ ...field, name: SUSPICIOUS_INDEX_FIELDS[field.name] }));
  return { ...frame, fields };
}

/**
 * Threats back from every frame that has a `srcIp` field (the app's own frames, or a data source that queries
 * /api/v1/threats) or a `source.ip` field (an OpenSearch raw-documents query of the suspicious indices). Arrays and
 * texts a frame may lack get empty defaults so the list can always render a row.
 */
export function framesToThreats(frames: DataFrame[]): Threat[] {
  const threats: Threat[] = [];
  for (const frame of frames.map(withThreatNames)) {
    if (!frame.fields.some((field) => field.name === 'srcIp')) {
      continue;
    }
    for (const row of frameToRows(frame)) {
      const position = threats.length;
      threats.push({
        dataType: 'flow',
        explanation: '',
        model: '',
        modelVersion: 0,
        windowFrom: '',
        windowTo: '',
        rawIndex: '',
        rawId: '',
        timestamp: '',
        score: 1,
        ...row,
        id: String(row.id ?? `row-${position}`),
        rank: Number(row.rank ?? position + 1),
        words: asList(row.words),
        heuristics: asList(row.heuristics),
        heuristicHits: Array.isArray(row.heuristicHits) ? row.heuristicHits : undefined,
        autoencoder: autoencoderOf(row.autoencoder),
      } as Threat);
    }
  }
  return threats;
}

/** An autoencoder verdict needs its error and threshold; a frame may carry them without the feature list. */
function autoencoderOf(value: unknown): Threat['autoencoder'] {
  const verdict = value as Partial<NonNullable<Threat['autoencoder']>> | undefined;
  if (typeof verdict?.error !== 'number' || typeof verdict.threshold !== 'number') {
    return undefined;
  }
  return { error: verdict.error, threshold: verdict.threshold, topFeatures: Array.isArray(verdict.topFeatures) ? verdict.topFeatures : [] };
}

/** Lists arrive as arrays from the app, and joined with `|` from the CSV export. */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  return typeof value === 'string' && value !== '' ? value.split('|') : [];
}
