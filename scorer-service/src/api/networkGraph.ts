import type { GeoPoint, GraphEdge, GraphNode, NetworkResponse, Threat } from './contract';

/**
 * The suspicious events as Grafana Node Graph frames: nodes are IPs (and query names or hosts for DNS and proxy),
 * sized by how many suspicious events they take part in; edges are weighted by -ln(score) as Spot's network view
 * weighted its links.
 */

interface NodeAcc {
  id: string;
  kind: 'internal' | 'external' | 'domain';
  context: string;
  country: string;
  city: string;
  /** `AS15169 Google LLC` for external hosts whose AS is known, else empty. */
  as: string;
  events: number;
  minScore: number;
  threat: number;
  benign: number;
  reputation: number;
  lat?: number;
  lon?: number;
}

interface EdgeAcc {
  source: string;
  target: string;
  events: number;
  minScore: number;
  ports: Set<number>;
}

const MAX_THICKNESS = 10;

function edgeThickness(minScore: number): number {
  const weight = -Math.log(Math.max(minScore, 1e-12));
  return Math.round(Math.min(MAX_THICKNESS, Math.max(1, weight / 2.8)) * 100) / 100;
}

function nodeColor(node: NodeAcc): string {
  if (node.reputation >= 2 || node.threat > 0) return 'red';
  if (node.kind === 'domain') return 'purple';
  return node.kind === 'internal' ? 'blue' : 'orange';
}

function endpoints(dataType: Threat['dataType'], threat: Threat): { id: string; kind: NodeAcc['kind']; ctx?: string; geo?: Threat['srcGeo'] }[] {
  const src = { id: threat.srcIp, kind: threat.srcInternal ? ('internal' as const) : ('external' as const), ctx: threat.srcContext, geo: threat.srcGeo };
  if (dataType === 'flow' && threat.dstIp) {
    return [src, { id: threat.dstIp, kind: threat.dstInternal ? 'internal' : 'external', ctx: threat.dstContext, geo: threat.dstGeo }];
  }
  if (dataType === 'dns' && threat.dnsQuery) return [src, { id: threat.dnsQuery.toLowerCase(), kind: 'domain' }];
  if (dataType === 'proxy') {
    const host = threat.host ?? (threat.url ? hostOf(threat.url) : undefined);
    if (host) return [src, { id: host, kind: 'domain' }];
  }
  return [src];
}

function asLabel(geo: Threat['srcGeo']): string {
  if (geo?.asn === undefined) return '';
  return geo.asOrg ? `AS${geo.asn} ${geo.asOrg}` : `AS${geo.asn}`;
}

function hostOf(url: string): string | undefined {
  // A path alone (what Zeek logs) names no host; parsed as `http:///path` it would read its first segment as one.
  if (url.startsWith('/')) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname;
  } catch {
    return undefined;
  }
}

export function buildNetworkGraph(dataType: Threat['dataType'], threats: readonly Threat[]): NetworkResponse {
  const nodes = new Map<string, NodeAcc>();
  const edges = new Map<string, EdgeAcc>();
  for (const threat of threats) {
    const ends = endpoints(dataType, threat);
    for (const end of ends) {
      let node = nodes.get(end.id);
      if (!node) {
        node = {
          id: end.id,
          kind: end.kind,
          context: end.ctx ?? '',
          country: end.geo?.country ?? '',
          city: end.geo?.city ?? '',
          as: asLabel(end.geo),
          events: 0,
          minScore: Infinity,
          threat: 0,
          benign: 0,
          reputation: 0,
          lat: end.geo?.lat,
          lon: end.geo?.lon,
        };
        nodes.set(end.id, node);
      }
      node.events += 1;
      node.minScore = Math.min(node.minScore, threat.score);
      if (threat.rating === 1 || threat.rating === 2) node.threat += 1;
      if (threat.rating === 3) node.benign += 1;
      node.reputation = Math.max(node.reputation, threat.reputation?.level ?? 0);
    }
    if (ends.length === 2) {
      const key = `${ends[0].id}->${ends[1].id}`;
      let edge = edges.get(key);
      if (!edge) {
        edge = { source: ends[0].id, target: ends[1].id, events: 0, minScore: Infinity, ports: new Set() };
        edges.set(key, edge);
      }
      edge.events += 1;
      edge.minScore = Math.min(edge.minScore, threat.score);
      if (threat.dstPort !== undefined) edge.ports.add(threat.dstPort);
    }
  }
  const nodeRows: GraphNode[] = [...nodes.values()].map((node) => {
    const row: GraphNode = {
      id: node.id,
      title: node.id,
      subtitle: node.context || [node.city, node.country].filter(Boolean).join(', '),
      mainstat: node.events,
      secondarystat: node.minScore,
      arc__rated_threat: node.threat / node.events,
      arc__rated_benign: node.benign / node.events,
      arc__unrated: (node.events - node.threat - node.benign) / node.events,
      color: nodeColor(node),
      detail__kind: node.kind,
      detail__context: node.context,
      detail__country: node.country,
      detail__reputation: node.reputation,
    };
    if (node.as) row.detail__as = node.as;
    if (node.lat !== undefined && node.lon !== undefined) {
      row.lat = node.lat;
      row.lon = node.lon;
    }
    return row;
  });
  const edgeRows: GraphEdge[] = [...edges.entries()].map(([id, edge]) => ({
    id,
    source: edge.source,
    target: edge.target,
    mainstat: edge.events,
    secondarystat: edge.minScore,
    thickness: edgeThickness(edge.minScore),
    color: edge.minScore < 1e-4 ? 'red' : 'gray',
    detail__ports: [...edge.ports].sort((a, b) => a - b).join(','),
  }));
  return { nodes: nodeRows, edges: edgeRows };
}

/** One point per located IP of the suspicious events, for the Geomap panel. */
export function geoPoints(threats: readonly Threat[]): GeoPoint[] {
  const points = new Map<string, GeoPoint>();
  for (const threat of threats) {
    for (const [ip, geo] of [
      [threat.srcIp, threat.srcGeo],
      [threat.dstIp, threat.dstGeo],
    ] as const) {
      if (!ip || geo?.lat === undefined || geo.lon === undefined) continue;
      const point: GeoPoint = points.get(ip) ?? { ip, lat: geo.lat, lon: geo.lon, country: geo.country, city: geo.city, asn: geo.asn, asOrg: geo.asOrg, count: 0, minScore: Infinity, direction: 'suspicious' as const };
      point.count += 1;
      point.minScore = Math.min(point.minScore, threat.score);
      points.set(ip, point);
    }
  }
  return [...points.values()].map((p) => {
    const out = { ...p };
    if (out.country === undefined) delete out.country;
    if (out.city === undefined) delete out.city;
    if (out.asn === undefined) delete out.asn;
    if (out.asOrg === undefined) delete out.asOrg;
    return out;
  });
}
