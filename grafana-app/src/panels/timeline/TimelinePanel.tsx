import type { PanelProps } from '@grafana/data';
import React, { useMemo } from 'react';

import { TimeBars } from '../../components/TimeBars';
import { testIds } from '../../components/testIds';
import { framesToSeries } from '../../frames/seriesFrame';
import { framesToThreats } from '../../frames/threatFrame';
import { threatsTimeline } from './threatsTimeline';

/** Time-series frames as stacked bars; Threat rows are counted per bucket first. */
export function TimelinePanel({ data, width, height, timeRange }: PanelProps) {
  const set = useMemo(() => {
    const series = framesToSeries(data.series);
    if (series.times.length > 0) {
      return series;
    }
    return threatsTimeline(framesToThreats(data.series), timeRange.from.valueOf(), timeRange.to.valueOf());
  }, [data.series, timeRange]);
  return (
    <div data-testid={testIds.timeline.container}>
      <TimeBars set={set} width={width} height={height} />
    </div>
  );
}
