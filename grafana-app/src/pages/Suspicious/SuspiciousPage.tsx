import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { scorerClient } from '../../api/scorerClient';
import type { Threat } from '../../api/types';
import { DataTypePicker } from '../../components/DataTypePicker';
import { testIds } from '../../components/testIds';
import { useDataType } from '../../components/useDataType';
import { useElementWidth } from '../../components/useElementWidth';
import { useFetch } from '../../components/useFetch';
import { useTimeWindow } from '../../components/useTimeWindow';
import { framesToNetwork, networkToFrames } from '../../frames/graphFrames';
import { GeoMap } from '../../panels/geo-map/GeoMap';
import { investigate, investigateThreat } from '../../panels/investigate';
import { NetworkGraph } from '../../panels/network-graph/NetworkGraph';
import { ThreatList } from '../../panels/threat-list/ThreatList';
import { fusedRankOf } from '../../panels/threat-list/threatFigures';
import { useFeedback } from '../../panels/threat-list/useFeedback';

const LIST_HEIGHT = 440;
const VIEW_HEIGHT = 400;
/** The API's largest page: Spot showed 250 rows, analysts here get two pages' worth. */
const PAGE_SIZE = 500;
const GRAPH_LIMIT = 500;

/** Spot's suspicious view: the ranked list, and the graph and map of the same events, linked by selection. */
export default function SuspiciousPage() {
  const styles = useStyles2(getStyles);
  const [dataType, setDataType] = useDataType();
  const { window } = useTimeWindow();
  const [containerRef, width] = useElementWidth<HTMLDivElement>();
  const [selected, setSelected] = useState<Threat | undefined>();
  const [filterText, setFilterText] = useState('');
  const { entries, rate, allowlist } = useFeedback();

  const threats = useFetch(() => scorerClient.threats({ type: dataType, ...window, pageSize: PAGE_SIZE }), [dataType, window.from, window.to]);
  const network = useFetch(() => scorerClient.network({ type: dataType, ...window, limit: GRAPH_LIMIT }), [dataType, window.from, window.to]);
  const geo = useFetch(() => scorerClient.geo({ type: dataType, ...window, limit: GRAPH_LIMIT }), [dataType, window.from, window.to]);

  const graph = useMemo(() => framesToNetwork(network.value ? networkToFrames(network.value) : []), [network.value]);
  const highlighted = useMemo(
    () => new Set([selected?.srcIp, selected?.dstIp, selected?.dnsQuery, selected?.domain].filter((v): v is string => Boolean(v))),
    [selected]
  );
  // Two views side by side, each inside a padded border.
  const halfWidth = Math.floor((width - 16) / 2) - 18;
  const error = threats.error ?? network.error ?? geo.error;

  return (
    <div className={styles.page} data-testid={testIds.suspiciousPage.container} ref={containerRef}>
      <div className={styles.controls}>
        <DataTypePicker value={dataType} onChange={setDataType} testId={testIds.suspiciousPage.dataType} />
        <span className={styles.muted} data-testid={testIds.suspiciousPage.selection}>
          {threats.loading
            ? 'Loading...'
            : `${threats.value?.total ?? 0} suspicious ${dataType} events${threats.value?.suppressed ? `, ${threats.value.suppressed} hidden by the allowlist` : ''}`}
          {selected ? ` | selected rank ${fusedRankOf(selected)}: ${selected.srcIp}` : ''}
        </span>
      </div>
      {error && <Alert severity="error" title={`The scorer did not answer: ${error}`} />}
      <ThreatList
        threats={threats.value?.items ?? []}
        dataType={dataType}
        width={width}
        height={LIST_HEIGHT}
        feedback={entries}
        onRate={rate}
        onAllowlist={allowlist}
        selectedId={selected?.id}
        onSelect={setSelected}
        onInvestigate={investigateThreat}
        filterText={filterText}
        onFilterTextChange={setFilterText}
      />
      <div className={styles.views}>
        <div className={styles.view}>
          <h4>Network view</h4>
          <NetworkGraph
            graph={graph}
            width={halfWidth}
            height={VIEW_HEIGHT}
            highlighted={highlighted}
            onNodeClick={(node) => setFilterText(node.id)}
            onInvestigate={(node) => investigate(node.id, dataType)}
          />
        </div>
        <div className={styles.view}>
          <h4>Where they are</h4>
          <GeoMap points={geo.value?.points ?? []} width={halfWidth} height={VIEW_HEIGHT} highlighted={highlighted} onInvestigate={(p) => investigate(p.ip, dataType)} />
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  controls: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2) }),
  muted: css({ color: theme.colors.text.secondary }),
  views: css({ display: 'flex', gap: theme.spacing(2) }),
  view: css({
    flex: 1,
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
});
