import type { PanelProps } from '@grafana/data';
import React, { useMemo } from 'react';

import { framesToThreats } from '../../frames/threatFrame';
import { investigateThreat } from '../investigate';
import type { ThreatListOptions } from './options';
import { ThreatList } from './ThreatList';
import { useFeedback } from './useFeedback';

/** The threat list on any dashboard: reads frames of Threat rows (the app's, or a data source querying /api/v1/threats). */
export function ThreatListPanel({ data, width, height, options }: PanelProps<ThreatListOptions>) {
  const threats = useMemo(() => framesToThreats(data.series), [data.series]);
  const { entries, rate, allowlist } = useFeedback();
  return (
    <ThreatList
      threats={threats}
      width={width}
      height={height}
      feedback={entries}
      onRate={rate}
      onAllowlist={allowlist}
      dataType={options.dataType === 'auto' ? undefined : options.dataType}
      hideRated={options.hideRated}
      showToolbar={options.showToolbar}
      initialSort={options.sortBy}
      onInvestigate={investigateThreat}
    />
  );
}
