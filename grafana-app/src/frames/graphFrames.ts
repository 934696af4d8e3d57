import { type DataFrame, NodeGraphDataFrameFieldNames as F } from '@grafana/data';

import type { GraphEdge, GraphNode, NetworkResponse, Threat } from '../api/types';
import { rowsToFrame } from './rowsFrame';

/** A node as the network graph draws it. */
export interface NetworkNode {
  id: string;
  title: string;
  subtitle: string;
  /** Suspicious events the node takes part in. */
  hits: number;
  /** Lowest (most unusual) score among them. */
  minScore: number;
  kind: 'internal' | 'external' | 'domain';
  /** Grafana colour name or CSS colour from the frame; the graph falls back to one per kind. */
  color?: string;
}

export interface NetworkEdge {
  id: string;
  source: string;
  target: string;
  hits: number;
  minScore: number;
  thickness: number;
  color?: string;
}

export interface Network {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

const MIN_SCORE = 1e-12;

/** -ln(score) scaled into [1, 10], the weight Spot gave its links. */
export function edgeThickness(minScore: number): number {
  const surprise = -Math.log(Math.max(minScore, MIN_SCORE));
  return Math.min(10, Math.max(1, 1 + (surprise * 9) / -Math.log(MIN_SCORE)));
}

/** The API's network response as the nodes and edges frames Grafana's Node Graph panel reads, without renaming. */
export function networkToFrames(network: NetworkResponse): [DataFrame, DataFrame] {
  const meta = { preferredVisualisationType: 'nodeGraph' as const };
  return [rowsToFrame(network.nodes, 'nodes', meta), rowsToFrame(network.edges, 'edges', meta)];
}

/**
 * The same rows the API's /network route answers, built in the browser from threats: for a dashboard that feeds
 * the graph panel threat rows rather than Node Graph frames.
 */
export function threatsToNetwork(threats: readonly Threat[]): NetworkResponse {
  const nodes = new Map<string, GraphNode & { events: number; rated: number; benign: number }>();
  const edges = new Map<string, GraphEdge>();
  const touch = (id: string, kind: NetworkNode['kind'], subtitle: string, threat: Threat) => {
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

/**
 * Nodes and edges from Node Graph shaped frames. The frame with source and target fields holds the edges, another
 * with an id field the nodes; nodes missing from the nodes frame are derived from the edges.
 */
export function framesToNetwork(frames: DataFrame[]): Network {
  const columns = (frame: DataFrame) => new Map(frame.fields.map((field) => [field.name.toLowerCase(), field.values]));
  const edgeFrame = frames.find((frame) => frame.fields.some((f) => f.name === F.source) && frame.fields.some((f) => f.name === F.target));
  const nodeFrame = frames.find((frame) => frame !== edgeFrame && frame.fields.some((f) => f.name === F.id));

  const edges: NetworkEdge[] = [];
  if (edgeFrame) {
    const c = columns(edgeFrame);
    for (let i = 0; i < edgeFrame.length; i++) {
      const source = String(c.get(F.source)?.[i]);
      const target = String(c.get(F.target)?.[i]);
      const minScore = Number(c.get(F.secondaryStat)?.[i] ?? 1);
      edges.push({
        id: String(c.get(F.id)?.[i] ?? `${source}->${target}`),
        source,
        target,
        hits: Number(c.get(F.mainStat)?.[i] ?? 1),
        minScore,
        thickness: Number(c.get(F.thickness)?.[i] ?? edgeThickness(minScore)),
        color: c.get(F.color)?.[i],
      });
    }
  }

  const nodes = new Map<string, NetworkNode>();
  if (nodeFrame) {
    const c = columns(nodeFrame);
    for (let i = 0; i < nodeFrame.length; i++) {
      const id = String(c.get(F.id)?.[i]);
      const kind = c.get(`${F.detail}kind`)?.[i];
      nodes.set(id, {
        id,
        title: String(c.get(F.title)?.[i] ?? id),
        subtitle: String(c.get(F.subTitle)?.[i] ?? ''),
        hits: Number(c.get(F.mainStat)?.[i] ?? 1),
        minScore: Number(c.get(F.secondaryStat)?.[i] ?? 1),
        kind: kind === 'internal' || kind === 'domain' ? kind : 'external',
        color: c.get(F.color)?.[i],
      });
    }
  }
  for (const edge of edges) {
    for (const id of [edge.source, edge.target]) {
      if (!nodes.has(id)) {
        nodes.set(id, { id, title: id, subtitle: '', hits: edge.hits, minScore: edge.minScore, kind: 'external' });
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}
