import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { getCanvasPanelStyles, sizeCanvas, STATS_HEIGHT } from '../../components/canvasPanel';
import { DetailsCard } from '../../components/DetailsCard';
import { testIds } from '../../components/testIds';
import { usePanZoom } from '../../components/usePanZoom';
import type { Network, NetworkNode } from '../../frames/graphFrames';
import { formatScore } from '../threat-list/columns';
import { createLayout, type LaidOutEdge, type LaidOutNode, nodeAt } from './layout';

export interface NetworkGraphProps {
  graph: Network;
  width: number;
  height: number;
  /** Node ids to ring, e.g. the endpoints of the row selected in the threat list. */
  highlighted?: ReadonlySet<string>;
  onNodeClick?: (node: NetworkNode) => void;
  onInvestigate?: (node: NetworkNode) => void;
}

/** Below this simulation energy the layout counts as settled and edges get their full weight. */
const SETTLED_ALPHA = 0.05;
const KIND_COLORS: Record<NetworkNode['kind'], string> = { internal: 'blue', external: 'orange', domain: 'purple' };

/** Suspicious connections as a force-directed graph on a canvas: diamonds are internal addresses, circles external. */
export function NetworkGraph({ graph, width, height, highlighted, onNodeClick, onInvestigate }: NetworkGraphProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawRef = useRef<() => void>(() => {});
  const { view, local, toBase, onWheel, onMouseDown, pan, release } = usePanZoom(useCallback(() => drawRef.current(), []));
  const highlightedRef = useRef(highlighted);
  const [hovered, setHovered] = useState<LaidOutNode | undefined>();
  const [selected, setSelected] = useState<NetworkNode | undefined>();
  const canvasHeight = Math.max(50, height - STATS_HEIGHT);

  const layout = useMemo(() => createLayout(graph), [graph]);
  const internalCount = useMemo(() => graph.nodes.filter((n) => n.kind === 'internal').length, [graph]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const sized = sizeCanvas(canvas, width, canvasHeight);
    if (!canvas || !sized) {
      return;
    }
    const { context, ratio } = sized;
    // Resolving a colour name walks the theme's palette; a frame asks thousands of times for a handful of names.
    const resolved = new Map<string, string>();
    const colorOf = (name: string) => resolved.get(name) ?? resolved.set(name, theme.visualization.getColorByName(name)).get(name)!;
    const colors = {
      node: (node: NetworkNode) => colorOf(node.color ?? KIND_COLORS[node.kind]),
      edge: (color: string | undefined) => (color && color !== 'gray' ? colorOf(color) : theme.colors.text.disabled),
      ring: theme.colors.primary.text,
      label: theme.colors.text.primary,
      background: theme.colors.background.primary,
    };
    let frames = 0;
    const draw = () => {
      const { scale, x, y } = view.current;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, canvasHeight);
      // Graph coordinates are centred on the canvas; the pan/zoom view applies on top.
      context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * (x + (scale * width) / 2), ratio * (y + (scale * canvasHeight) / 2));
      // While the layout is still moving, edges are drawn hairline: thick translucent strokes cost most of a frame.
      drawEdges(context, layout.edges, colors.edge, scale, layout.simulation.alpha() > SETTLED_ALPHA);
      drawNodes(context, layout.nodes, colors, highlightedRef.current, scale, graph.nodes.length < 150 || scale > 1.6);
      frames += 1;
      if (frames === 1) {
        canvas.dataset.renderedNodes = String(layout.nodes.length);
      }
    };
    drawRef.current = draw;
    layout.simulation.on('tick', draw);
    draw();
    return () => {
      layout.simulation.on('tick', null);
    };
  }, [layout, width, canvasHeight, theme, graph.nodes.length]);

  // The simulation lives as long as its layout; resizing or re-theming only redraws.
  useEffect(() => () => void layout.simulation.stop(), [layout]);

  useEffect(() => {
    highlightedRef.current = highlighted;
    drawRef.current();
  }, [highlighted]);

  const nodeUnder = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const base = toBase(local(e));
    return nodeAt(layout.nodes, base.x - width / 2, base.y - canvasHeight / 2);
  };

  return (
    <div className={styles.container} style={{ width, height }} data-testid={testIds.networkGraph.container}>
      <div className={styles.stats} data-testid={testIds.networkGraph.stats}>
        <span>
          <span className={styles.diamond} /> {internalCount} internal
        </span>
        <span>
          <span className={styles.circle} /> {graph.nodes.length - internalCount} external
        </span>
        <span>{graph.edges.length} connections</span>
        <span className={styles.muted}>wheel to zoom, drag to pan, click a node</span>
      </div>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        style={{ width, height: canvasHeight }}
        data-testid={testIds.networkGraph.canvas}
        onWheel={onWheel}
        onMouseDown={onMouseDown}
        onMouseMove={(e) => {
          if (!pan(e)) {
            setHovered(nodeUnder(e));
          }
        }}
        onMouseUp={(e) => {
          if (!release()) {
            return;
          }
          const hit = nodeUnder(e);
          setSelected(hit?.node);
          if (hit) {
            onNodeClick?.(hit.node);
          }
        }}
        onMouseLeave={() => setHovered(undefined)}
      />
      {hovered && !selected && <NodeCard node={hovered.node} className={styles.card} />}
      {selected && (
        <DetailsCard
          testId={testIds.networkGraph.nodeDetails}
          onInvestigate={onInvestigate && (() => onInvestigate(selected))}
          onClose={() => setSelected(undefined)}
        >
          <NodeCard node={selected} />
        </DetailsCard>
      )}
    </div>
  );
}

function NodeCard({ node, className }: { node: NetworkNode; className?: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={className}>
      <div className={styles.cardTitle}>{node.title}</div>
      <div className={styles.muted}>{[node.kind, node.subtitle].filter(Boolean).join(' / ')}</div>
      <div>Suspicious events: {node.hits}</div>
      <div>Lowest score: {formatScore(node.minScore)}</div>
    </div>
  );
}

function drawEdges(context: CanvasRenderingContext2D, edges: LaidOutEdge[], colorOf: (color: string | undefined) => string, scale: number, moving: boolean) {
  // Edges are batched by colour and width, so thousands of them cost a handful of stroke calls.
  const batches = new Map<string, { color: string; width: number; edges: LaidOutEdge[] }>();
  for (const e of edges) {
    const width = moving ? 1 : Math.round(e.edge.thickness * 2) / 2;
    const color = colorOf(e.edge.color);
    const key = `${color}|${width}`;
    const batch = batches.get(key) ?? { color, width, edges: [] };
    batch.edges.push(e);
    batches.set(key, batch);
  }
  for (const batch of batches.values()) {
    context.strokeStyle = batch.color;
    context.lineWidth = batch.width / Math.sqrt(scale);
    context.globalAlpha = moving ? 0.6 : Math.min(0.9, 0.3 + batch.width / 12);
    context.beginPath();
    for (const e of batch.edges) {
      context.moveTo(e.source.x ?? 0, e.source.y ?? 0);
      context.lineTo(e.target.x ?? 0, e.target.y ?? 0);
    }
    context.stroke();
  }
  context.globalAlpha = 1;
}

function drawNodes(
  context: CanvasRenderingContext2D,
  nodes: LaidOutNode[],
  colors: { node: (node: NetworkNode) => string; ring: string; label: string },
  highlighted: ReadonlySet<string> | undefined,
  scale: number,
  withLabels: boolean
) {
  // Filled per colour in one path each; internal addresses are diamonds, everything else circles (Spot's shapes).
  const byColor = new Map<string, LaidOutNode[]>();
  for (const n of nodes) {
    const color = colors.node(n.node);
    const group = byColor.get(color);
    if (group) {
      group.push(n);
    } else {
      byColor.set(color, [n]);
    }
  }
  for (const [color, group] of byColor) {
    context.fillStyle = color;
    context.beginPath();
    for (const n of group) {
      const x = n.x ?? 0;
      const y = n.y ?? 0;
      const r = n.radius;
      if (n.node.kind === 'internal') {
        context.moveTo(x, y - r * 1.2);
        context.lineTo(x + r * 1.2, y);
        context.lineTo(x, y + r * 1.2);
        context.lineTo(x - r * 1.2, y);
        context.closePath();
      } else {
        context.moveTo(x + r, y);
        context.arc(x, y, r, 0, Math.PI * 2);
      }
    }
    context.fill();
  }
  if (highlighted && highlighted.size > 0) {
    context.strokeStyle = colors.ring;
    context.lineWidth = 2.5 / scale;
    context.beginPath();
    for (const n of nodes) {
      if (highlighted.has(n.node.id)) {
        context.moveTo((n.x ?? 0) + n.radius + 4, n.y ?? 0);
        context.arc(n.x ?? 0, n.y ?? 0, n.radius + 4, 0, Math.PI * 2);
      }
    }
    context.stroke();
  }
  if (withLabels) {
    context.fillStyle = colors.label;
    context.font = `${11 / scale}px sans-serif`;
    for (const n of nodes) {
      context.fillText(n.node.title, (n.x ?? 0) + n.radius + 3, (n.y ?? 0) + 4 / scale);
    }
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getCanvasPanelStyles(theme),
  diamond: css({
    display: 'inline-block',
    width: 8,
    height: 8,
    transform: 'rotate(45deg)',
    background: theme.visualization.getColorByName('blue'),
  }),
  circle: css({
    display: 'inline-block',
    width: 9,
    height: 9,
    borderRadius: '50%',
    background: theme.visualization.getColorByName('orange'),
  }),
});
