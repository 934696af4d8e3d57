import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { getCanvasPanelStyles, sizeCanvas, STATS_HEIGHT } from '../../components/canvasPanel';
import { DetailsCard } from '../../components/DetailsCard';
import { testIds } from '../../components/testIds';
import { usePanZoom } from '../../components/usePanZoom';
import type { GeoPoint } from '../../api/types';
import { formatScore } from '../threat-list/columns';
import { worldBasemap } from './basemap';
import { type Cluster, clusterPoints, toPlane } from './cluster';

export interface GeoMapProps {
  points: GeoPoint[];
  width: number;
  height: number;
  /** Addresses to ring, e.g. the endpoints of the row selected in the threat list. */
  highlighted?: ReadonlySet<string>;
  onInvestigate?: (point: GeoPoint) => void;
}

const CLUSTER_CELL_PX = 40;
/** The plane is cropped to latitudes 84N..60S, where nearly all addresses are. */
const PLANE_TOP = 6;
const PLANE_HEIGHT = 150;

/** Suspicious endpoints on an offline world map, clustered by screen cell; a click on a cluster zooms into it. */
export function GeoMap({ points, width, height, highlighted, onInvestigate }: GeoMapProps) {
  const styles = useStyles2(getCanvasPanelStyles);
  const theme = useTheme2();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawRef = useRef<() => void>(() => {});
  const clustersRef = useRef<Cluster[]>([]);
  const { view, local, onWheel, zoomAt, onMouseDown, pan, release } = usePanZoom(useCallback(() => drawRef.current(), []));
  const [selected, setSelected] = useState<Cluster | undefined>();
  const canvasHeight = Math.max(50, height - STATS_HEIGHT);

  // Fit the cropped plane into the canvas, centred.
  const fit = useMemo(() => {
    const scale = Math.min(width / 360, canvasHeight / PLANE_HEIGHT);
    return { scale, x: (width - 360 * scale) / 2, y: (canvasHeight - PLANE_HEIGHT * scale) / 2 - PLANE_TOP * scale };
  }, [width, canvasHeight]);
  const basemap = useMemo(() => worldBasemap(), []);
  const countries = useMemo(() => new Set(points.map((p) => p.country).filter(Boolean)).size, [points]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const sized = sizeCanvas(canvas, width, canvasHeight);
    if (!canvas || !sized) {
      return;
    }
    const { context, ratio } = sized;
    const colors = {
      water: theme.colors.background.canvas,
      land: theme.colors.background.secondary,
      border: theme.colors.border.medium,
      point: theme.visualization.getColorByName('orange'),
      severe: theme.visualization.getColorByName('red'),
      ring: theme.colors.primary.text,
      label: theme.colors.text.maxContrast,
    };
    drawRef.current = () => {
      const { scale, x, y } = view.current;
      const k = fit.scale * scale;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.fillStyle = colors.water;
      context.fillRect(0, 0, width, canvasHeight);
      context.setTransform(ratio * k, 0, 0, ratio * k, ratio * (x + scale * fit.x), ratio * (y + scale * fit.y));
      drawRings(context, basemap.land, true);
      context.fillStyle = colors.land;
      context.fill('evenodd');
      context.strokeStyle = colors.border;
      context.lineWidth = 0.6 / k;
      drawRings(context, basemap.borders, false);
      context.stroke();

      // Points are clustered and drawn in screen space so their size does not change with zoom.
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      const project = (p: GeoPoint) => {
        const plane = toPlane(p.lon, p.lat);
        return { x: x + scale * (fit.x + plane.x * fit.scale), y: y + scale * (fit.y + plane.y * fit.scale) };
      };
      const clusters = clusterPoints(points, project, CLUSTER_CELL_PX);
      clustersRef.current = clusters;
      for (const cluster of clusters) {
        const radius = clusterRadius(cluster);
        context.globalAlpha = 0.8;
        context.fillStyle = cluster.minScore < 1e-6 ? colors.severe : colors.point;
        context.beginPath();
        context.arc(cluster.x, cluster.y, radius, 0, Math.PI * 2);
        context.fill();
        context.globalAlpha = 1;
        if (highlightedIn(cluster, highlighted)) {
          context.strokeStyle = colors.ring;
          context.lineWidth = 2.5;
          context.beginPath();
          context.arc(cluster.x, cluster.y, radius + 4, 0, Math.PI * 2);
          context.stroke();
        }
        if (cluster.points.length > 1) {
          context.fillStyle = colors.label;
          context.font = 'bold 11px sans-serif';
          context.textAlign = 'center';
          context.fillText(String(cluster.points.length), cluster.x, cluster.y + 4);
        }
      }
      canvas.dataset.renderedClusters = String(clusters.length);
    };
    drawRef.current();
  }, [points, width, canvasHeight, theme, fit, basemap, highlighted, view]);

  const clusterUnder = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const at = local(e);
    return clustersRef.current.find((c) => Math.hypot(c.x - at.x, c.y - at.y) <= clusterRadius(c) + 2);
  };

  return (
    <div className={styles.container} style={{ width, height }} data-testid={testIds.geoMap.container}>
      <div className={styles.stats} data-testid={testIds.geoMap.stats}>
        <span>{points.length} located endpoints</span>
        <span>{countries} countries</span>
        <span className={styles.muted}>click a cluster to zoom in, a point to investigate</span>
        <span className={styles.muted} title={GEO_DATA_ATTRIBUTION} data-testid={testIds.geoMap.attribution}>
          GeoLite2 (MaxMind) · ASN (DB-IP)
        </span>
      </div>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        style={{ width, height: canvasHeight }}
        data-testid={testIds.geoMap.canvas}
        onWheel={onWheel}
        onMouseDown={onMouseDown}
        onMouseMove={pan}
        onMouseUp={(e) => {
          if (!release()) {
            return;
          }
          const cluster = clusterUnder(e);
          if (cluster && cluster.points.length > 1) {
            zoomAt(local(e), 2.5);
            setSelected(undefined);
          } else {
            setSelected(cluster);
          }
        }}
      />
      {selected && (
        <DetailsCard
          testId={testIds.geoMap.pointDetails}
          onInvestigate={onInvestigate && (() => onInvestigate(selected.points[0]))}
          onClose={() => setSelected(undefined)}
        >
          {selected.points.map((point) => (
            <div key={point.ip}>
              <div className={styles.cardTitle}>{point.ip}</div>
              <div className={styles.muted}>{[point.city, point.country].filter(Boolean).join(', ')}</div>
              {point.asn !== undefined && <div className={styles.muted}>{`AS${point.asn}${point.asOrg ? ` ${point.asOrg}` : ''}`}</div>}
              <div>
                Suspicious events: {point.count}, lowest score {formatScore(point.minScore)}
              </div>
            </div>
          ))}
        </DetailsCard>
      )}
    </div>
  );
}

/** The licences of the location data ask for credit where it is shown (GeoLite2: MaxMind; IP to ASN Lite: CC BY 4.0). */
const GEO_DATA_ATTRIBUTION =
  'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com. AS numbers: IP to ASN Lite by DB-IP (https://db-ip.com), CC BY 4.0.';

function clusterRadius(cluster: Cluster): number {
  return Math.min(22, 5 + Math.sqrt(cluster.hits) * 2);
}

function highlightedIn(cluster: Cluster, highlighted: ReadonlySet<string> | undefined): boolean {
  return highlighted !== undefined && cluster.points.some((p) => highlighted.has(p.ip));
}

function drawRings(context: CanvasRenderingContext2D, rings: Array<Array<[number, number]>>, closed: boolean) {
  context.beginPath();
  for (const ring of rings) {
    ring.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
    if (closed) {
      context.closePath();
    }
  }
}
