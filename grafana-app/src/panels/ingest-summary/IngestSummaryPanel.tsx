import type { PanelProps } from '@grafana/data';
import React, { useMemo } from 'react';

import { framesToSeries } from '../../frames/seriesFrame';
import { IngestChart } from './IngestChart';

export function IngestSummaryPanel({ data, width, height }: PanelProps) {
  const set = useMemo(() => framesToSeries(data.series), [data.series]);
  return <IngestChart set={set} width={width} height={height} />;
}
