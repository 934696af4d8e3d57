import type { FastifyInstance } from 'fastify';
import {
  ingestSummaryQuerySchema,
  investigationQuerySchema,
  storyboardAnalysisQuerySchema,
  type GeoPoint,
  type IngestSummaryResponse,
  type InvestigationResponse,
  type Peer,
  type StoryboardAnalysisResponse,
} from '../contract';
import { indexNames } from '../../adapters/opensearch/client';
import { boolQuery, rangeClause, termClause, type Query } from '../../adapters/opensearch/queries';
import { storyId } from '../../adapters/opensearch/storyboardStore';
import { parseInput } from '../errors';
import { Investigator } from '../investigation';
import type { ApiDeps } from '../server';

/** Spot's context categories for impact analysis, read from the network-context label; internal defaults to DMZ as in Spot. */
function contextCategory(peer: Peer): string {
  const label = peer.context ?? '';
  if (/vpn/i.test(label)) return 'VPN';
  if (/dmz/i.test(label)) return 'DMZ';
  if (/proxy/i.test(label)) return 'Proxy';
  if (/\bfw\b|firewall/i.test(label)) return 'FW';
  return peer.internal ? 'DMZ' : 'external';
}

/**
 * Peers per list the storyboard analysis reads whatever `top` asks: progression, impact and geo describe the whole
 * incident, so a quiet peer (one ICMP message) must count even when it is in neither top list.
 */
const ANALYSIS_PEERS = 500;

function uniquePeers(result: InvestigationResponse): Peer[] {
  const peers = new Map<string, Peer>();
  for (const peer of [...result.topPeersByConnections, ...result.topPeersByBytes]) peers.set(peer.ip, peer);
  return [...peers.values()];
}

export function registerInvestigationRoutes(app: FastifyInstance, { services }: ApiDeps): void {
  const investigator = new Investigator(services.client, services.mapping, services.enricher);

  app.get('/api/v1/investigation', async (request): Promise<InvestigationResponse> => {
    const q = parseInput(investigationQuerySchema, request.query, 'query');
    const { timeline: _timeline, ...result } = await investigator.investigate(q.type, q, { ip: q.ip, domain: q.domain, uri: q.uri }, q.top);
    return result;
  });

  app.get('/api/v1/storyboard/analysis', async (request): Promise<StoryboardAnalysisResponse> => {
    const q = parseInput(storyboardAnalysisQuerySchema, request.query, 'query');
    const anchor = Object.fromEntries(Object.entries({ ip: q.ip, domain: q.domain, uri: q.uri }).filter(([, v]) => v !== undefined));
    const result = await investigator.investigate(q.type, q, anchor, Math.max(q.top, ANALYSIS_PEERS));
    const peers = uniquePeers(result);
    const directions = ['inbound', 'outbound', 'two-way'] as const;
    const progression = directions.map((direction) => {
      const group = peers.filter((p) => p.direction === direction);
      const byContext = new Map<string, string[]>();
      for (const peer of group) {
        const name = peer.context ?? (peer.internal ? 'internal' : 'external');
        byContext.set(name, [...(byContext.get(name) ?? []), peer.ip]);
      }
      return { direction, count: group.length, contexts: [...byContext.entries()].map(([name, ips]) => ({ name, count: ips.length, ips })) };
    });
    const categories = new Map<string, number>();
    for (const peer of peers) categories.set(contextCategory(peer), (categories.get(contextCategory(peer)) ?? 0) + 1);
    const geo: GeoPoint[] = peers
      .filter((p) => p.geo?.lat !== undefined && p.geo.lon !== undefined)
      .map((p) => ({
        ip: p.ip,
        lat: p.geo!.lat!,
        lon: p.geo!.lon!,
        ...(p.geo!.country ? { country: p.geo!.country } : {}),
        ...(p.geo!.city ? { city: p.geo!.city } : {}),
        ...(p.geo!.asn !== undefined ? { asn: p.geo!.asn } : {}),
        ...(p.geo!.asOrg ? { asOrg: p.geo!.asOrg } : {}),
        count: p.connections,
        minScore: 0,
        direction: p.direction,
      }));
    const story = await services.storyboard.get(storyId(q.type, anchor, q));
    return {
      dataType: q.type,
      anchor,
      progression,
      impact: {
        inbound: progression[0].count,
        outbound: progression[1].count,
        twoWay: progression[2].count,
        byCategory: [...categories.entries()].map(([category, count]) => ({ category, count })),
      },
      geo,
      timeline: result.timeline.slice(0, 1000),
      ...(story
        ? {
            story: {
              id: storyId(q.type, anchor, q),
              dataType: story.data_type,
              anchor: story.anchor,
              from: story.from,
              to: story.to,
              title: story.title,
              summary: story.summary,
              author: story.author,
              createdAt: story.created_at,
              updatedAt: story.updated_at,
            },
          }
        : {}),
    };
  });

  app.get('/api/v1/ingest/summary', async (request): Promise<IngestSummaryResponse> => {
    const q = parseInput(ingestSummaryQuerySchema, request.query, 'query');
    const filter: Query[] = [termClause('ingest.kind', 'minute'), rangeClause('@timestamp', q)];
    if (q.type) filter.push(termClause('ingest.data_type', q.type));
    if (q.source) filter.push(termClause('ingest.sensor', q.source));
    const response = await services.client.search({
      index: indexNames.ingestStats(services.config.indexPrefix),
      ignore_unavailable: true,
      body: {
        size: 0,
        query: boolQuery({ filter }),
        aggs: {
          series: {
            multi_terms: { terms: [{ field: 'ingest.data_type' }, { field: 'ingest.sensor' }], size: 100 },
            aggs: {
              total: { sum: { field: 'ingest.read' } },
              minutes: { date_histogram: { field: '@timestamp', fixed_interval: '1m', min_doc_count: 1 }, aggs: { events: { sum: { field: 'ingest.read' } } } },
            },
          },
        },
      } as never,
    });
    type MinuteBucket = { key_as_string: string; key: number; events: { value: number } };
    type SeriesBucket = { key: string[]; total: { value: number }; minutes: { buckets: MinuteBucket[] } };
    const series = ((response.body.aggregations as { series?: { buckets: SeriesBucket[] } } | undefined)?.series?.buckets ?? []);
    const points = series.flatMap((s) =>
      s.minutes.buckets.map((m) => ({ minute: new Date(m.key).toISOString(), dataType: s.key[0] as 'flow' | 'dns' | 'proxy', source: s.key[1], count: m.events.value })),
    );
    points.sort((a, b) => a.minute.localeCompare(b.minute) || a.dataType.localeCompare(b.dataType));
    return { points, totals: series.map((s) => ({ dataType: s.key[0] as 'flow' | 'dns' | 'proxy', source: s.key[1], count: s.total.value })) };
  });
}
