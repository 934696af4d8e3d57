import type { GeoPoint, GraphEdge, GraphNode, NetworkResponse, Threat } from '../api/types';

/*
 * The rows the API's /network and /geo routes answer, derived in the browser from threats, for a dashboard that
 * feeds the graph or the map threat rows rather than Node Graph or Geomap frames. Plain data, no Grafana imports.
 */

const MIN_SCORE = 1e-12;

/** -ln(score) scaled into [1, 10], the weight Spot gave its links. */
export function edgeThickness(minScore: number): number {
  const surprise = -Math.log(Math.max(minScore, MIN_SCORE));
  return Math.min(10, Math.max(1, 1 + (surprise * 9) / -Math.log(MIN_SCORE)));
}

/**
 * The same rows the API's /network route answers, built in the browser from threats: for a dashboard that feeds
 * the graph panel threat rows rather than Node Graph frames.
 */
export function threatsToNetwork(threats: readonly Threat[]): NetworkResponse {
  const nodes = new Map<string, GraphNode & { events: number; rated: number; benign: number }>();
  const edges = new Map<string, GraphEdge>();
  const touch = (id: string, kind: 'internal' | 'external' | 'domain', subtitle: string, threat: Threat) => {
    const node =
      nodes.get(id) ??
      ({
        id,
        title: id,
        subtitle,
        mainstat: 0,
        secondarystat: 1,
        arc__rated_threat: 0,
        arc__rated_benign: 0,
        arc__unrated: 1,
        color: kind === 'internal' ? 'blue' : kind === 'domain' ? 'purple' : 'orange',
        detail__kind: kind,
        detail__context: '',
        detail__country: '',
        detail__reputation: -1,
        events: 0,
        rated: 0,
        benign: 0,
      } as GraphNode & { events: number; rated: number; benign: number });
    node.mainstat += 1;
    node.secondarystat = Math.min(node.secondarystat, threat.score);
    node.rated += threat.rating === 1 || threat.rating === 2 ? 1 : 0;
    node.benign += threat.rating === 3 ? 1 : 0;
    node.arc__rated_threat = node.rated / node.mainstat;
    node.arc__rated_benign = node.benign / node.mainstat;
    node.arc__unrated = 1 - node.arc__rated_threat - node.arc__rated_benign;
    nodes.set(id, node);
  };
  for (const threat of threats) {
    const target = threat.dataType === 'dns' ? threat.dnsQuery : threat.dataType === 'proxy' ? threat.domain ?? threat.url : threat.dstIp;
    const srcKind = threat.srcInternal ? 'internal' : 'external';
    touch(threat.srcIp, srcKind, threat.srcContext ?? placeOf(threat.srcGeo), threat);
    if (!target) {
      continue;
    }
    const targetKind = threat.dataType === 'flow' ? (threat.dstInternal ? 'internal' : 'external') : 'domain';
    touch(target, targetKind, threat.dataType === 'flow' ? threat.dstContext ?? placeOf(threat.dstGeo) : threat.dataType, threat);
    const id = `${threat.srcIp}->${target}`;
    const edge = edges.get(id) ?? { id, source: threat.srcIp, target, mainstat: 0, secondarystat: 1, thickness: 1, color: 'gray', detail__ports: '' };
    edge.mainstat += 1;
    edge.secondarystat = Math.min(edge.secondarystat, threat.score);
    edge.thickness = edgeThickness(edge.secondarystat);
    edge.color = edge.secondarystat < 1e-4 ? 'red' : 'gray';
    edges.set(id, edge);
  }
  return {
    nodes: [...nodes.values()].map(({ events: _events, rated: _rated, benign: _benign, ...node }) => node),
    edges: [...edges.values()],
  };
}

function placeOf(geo: Threat['srcGeo']): string {
  return [geo?.city, geo?.country].filter(Boolean).join(', ');
}

/** Located endpoints of threats, one point per address: what the API's /geo route answers, built in the browser. */
export function threatsToGeoPoints(threats: readonly Threat[]): GeoPoint[] {
  const points = new Map<string, GeoPoint>();
  for (const threat of threats) {
    const ends: Array<[string | undefined, Threat['srcGeo']]> = [
      [threat.srcIp, threat.srcGeo],
      [threat.dstIp, threat.dstGeo],
    ];
    for (const [ip, geo] of ends) {
      if (!ip || geo?.lat === undefined || geo?.lon === undefined) {
        continue;
      }
      const point = points.get(ip) ?? { ip, lat: geo.lat, lon: geo.lon, country: geo.country, city: geo.city, asn: geo.asn, asOrg: geo.asOrg, count: 0, minScore: 1, direction: 'suspicious' };
      point.count += 1;
      point.minScore = Math.min(point.minScore, threat.score);
      points.set(ip, point);
    }
  }
  return [...points.values()];
}
