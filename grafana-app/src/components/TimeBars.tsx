import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';

import type { SeriesSet } from '../frames/seriesFrame';

interface Props {
  set: SeriesSet;
  width: number;
  height: number;
  /** Named colours from Grafana's visualization palette, one per series in order. */
  colors?: string[];
}

const AXIS_LEFT = 48;
const AXIS_BOTTOM = 20;
/** Room above the plot for the top axis label. */
const AXIS_TOP = 8;
const LEGEND_HEIGHT = 20;
const DEFAULT_COLORS = ['blue', 'orange', 'purple', 'green', 'red'];
const TICKS = 5;

/** Stacked bars per time bucket, one colour per series, with time and count axes. */
export function TimeBars({ set, width, height, colors = DEFAULT_COLORS }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const plotWidth = Math.max(10, width - AXIS_LEFT - 8);
  const plotHeight = Math.max(10, height - AXIS_BOTTOM - LEGEND_HEIGHT - AXIS_TOP);
  const totals = set.times.map((_, i) => set.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barWidth = set.times.length > 0 ? plotWidth / set.times.length : plotWidth;
  const fill = (index: number) => theme.visualization.getColorByName(colors[index % colors.length]);
  const tickEvery = Math.max(1, Math.ceil(set.times.length / TICKS));
  const span = set.times.length > 1 ? set.times[set.times.length - 1] - set.times[0] : 0;
  const timeFormat = span > 2 * 86_400_000 ? 'MM-DD HH:mm' : span > 3_600_000 ? 'HH:mm' : 'HH:mm:ss';

  return (
    <div style={{ width, height }}>
      <div className={styles.legend}>
        {set.series.map((s, index) => (
          <span key={s.name} className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: fill(index) }} />
            {s.name}
          </span>
        ))}
      </div>
      <svg width={width} height={height - LEGEND_HEIGHT} role="img" aria-label="bar chart over time">
        <g transform={`translate(${AXIS_LEFT},${AXIS_TOP})`}>
          {[0, 0.5, 1].map((fraction) => (
            <g key={fraction} transform={`translate(0,${plotHeight * (1 - fraction)})`}>
              <line x1={0} x2={plotWidth} className={styles.grid} />
              <text x={-6} dy="0.32em" textAnchor="end" className={styles.axisText}>
                {compact(max * fraction)}
              </text>
            </g>
          ))}
          {set.times.map((time, i) => {
            let y = plotHeight;
            return (
              <g key={time}>
                {set.series.map((s, index) => {
                  const h = ((s.values[i] ?? 0) / max) * plotHeight;
                  y -= h;
                  return <rect key={s.name} x={i * barWidth + 0.5} y={y} width={Math.max(1, barWidth - 1)} height={h} fill={fill(index)} />;
                })}
                {i % tickEvery === 0 && (
                  <text x={i * barWidth} y={plotHeight + 14} className={styles.axisText}>
                    {dateTimeFormat(time, { format: timeFormat })}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}

function compact(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : String(Math.round(value));
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({ display: 'flex', gap: theme.spacing(2), height: LEGEND_HEIGHT, fontSize: theme.typography.bodySmall.fontSize }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ width: 10, height: 10, borderRadius: 2 }),
  grid: css({ stroke: theme.colors.border.weak }),
  axisText: css({ fill: theme.colors.text.secondary, fontSize: 10 }),
});
