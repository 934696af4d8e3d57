import { forceCenter, forceLink, forceManyBody, forceSimulation, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';

import type { Network, NetworkEdge, NetworkNode } from '../../frames/graphFrames';

export interface LaidOutNode extends SimulationNodeDatum {
  node: NetworkNode;
  radius: number;
}

export interface LaidOutEdge extends SimulationLinkDatum<LaidOutNode> {
  edge: NetworkEdge;
  source: LaidOutNode;
  target: LaidOutNode;
}

export function nodeRadius(hits: number): number {
  return Math.min(14, 3 + Math.sqrt(hits) * 1.6);
}

/**
 * A force simulation over the graph. Many-body repulsion uses a Barnes-Hut approximation with a capped range, which
 * keeps a tick of two thousand nodes within a frame; nodes start on a spiral so the first frame is already spread out.
 */
export function createLayout(graph: Network): { nodes: LaidOutNode[]; edges: LaidOutEdge[]; simulation: Simulation<LaidOutNode, LaidOutEdge> } {
  const nodes: LaidOutNode[] = graph.nodes.map((node, i) => {
    const angle = i * 2.399963;
    const distance = 8 * Math.sqrt(i);
    return { node, radius: nodeRadius(node.hits), x: Math.cos(angle) * distance, y: Math.sin(angle) * distance };
  });
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const edges: LaidOutEdge[] = [];
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (source && target) {
      edges.push({ edge, source, target });
    }
  }
  const simulation = forceSimulation<LaidOutNode, LaidOutEdge>(nodes)
    .force('charge', forceManyBody<LaidOutNode>().strength(-40).theta(0.9).distanceMax(400))
    .force('link', forceLink<LaidOutNode, LaidOutEdge>(edges).distance(30).strength(0.6))
    .force('center', forceCenter(0, 0))
    .alphaDecay(0.03)
    // Stop a little before d3's default: the last hundred ticks move nodes by less than a pixel.
    .alphaMin(0.005);
  return { nodes, edges, simulation };
}

/** The node under a point in graph coordinates, the nearest one when several overlap. */
export function nodeAt(nodes: LaidOutNode[], x: number, y: number, slack = 3): LaidOutNode | undefined {
  let best: LaidOutNode | undefined;
  let bestDistance = Infinity;
  for (const n of nodes) {
    const dx = (n.x ?? 0) - x;
    const dy = (n.y ?? 0) - y;
    const distance = dx * dx + dy * dy;
    const reach = n.radius + slack;
    if (distance <= reach * reach && distance < bestDistance) {
      best = n;
      bestDistance = distance;
    }
  }
  return best;
}
