import { type DataFrame, NodeGraphDataFrameFieldNames as F } from '@grafana/data';

import type { NetworkResponse } from '../api/types';
import { rowsToFrame } from './rowsFrame';
import { edgeThickness } from './threatRows';

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

/** The API's network response as the nodes and edges frames Grafana's Node Graph panel reads, without renaming. */
export function networkToFrames(network: NetworkResponse): [DataFrame, DataFrame] {
  const meta = { preferredVisualisationType: 'nodeGraph' as const };
  return [rowsToFrame(network.nodes, 'nodes', meta), rowsToFrame(network.edges, 'edges', meta)];
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
