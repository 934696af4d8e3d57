import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** Height of the one-line statistics strip above the graph and the map canvases. */
export const STATS_HEIGHT = 24;

/**
 * Sizes a canvas's backing store for the screen's pixel ratio, so lines stay sharp on high-density screens; the
 * caller draws in CSS pixels after `setTransform(ratio, ...)`.
 */
export function sizeCanvas(canvas: HTMLCanvasElement | null, width: number, height: number): { context: CanvasRenderingContext2D; ratio: number } | undefined {
  const context = canvas?.getContext('2d');
  if (!canvas || !context) {
    return undefined;
  }
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  return { context, ratio };
}

/** Styles the graph and the map share: the statistics strip, the canvas and the floating details card. */
export const getCanvasPanelStyles = (theme: GrafanaTheme2) => ({
  container: css({ position: 'relative', overflow: 'hidden' }),
  stats: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), height: STATS_HEIGHT, fontSize: theme.typography.bodySmall.fontSize }),
  muted: css({ color: theme.colors.text.secondary }),
  canvas: css({ display: 'block', cursor: 'grab', borderRadius: theme.shape.radius.default }),
  card: css({
    position: 'absolute',
    right: theme.spacing(1),
    top: STATS_HEIGHT + 8,
    maxHeight: '70%',
    overflow: 'auto',
    padding: theme.spacing(1, 1.5),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    minWidth: 180,
  }),
  cardTitle: css({ fontFamily: theme.typography.fontFamilyMonospace, fontWeight: theme.typography.fontWeightMedium }),
  cardActions: css({ display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(1) }),
});
