import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { scorerClient } from '../../api/scorerClient';
import { SimpleTable } from '../../components/SimpleTable';
import { testIds } from '../../components/testIds';
import { useElementWidth } from '../../components/useElementWidth';
import { useFetch } from '../../components/useFetch';
import { useTimeWindow } from '../../components/useTimeWindow';
import { ingestToSeries } from '../../frames/ingestSeries';
import { IngestChart } from '../../panels/ingest-summary/IngestChart';
import { formatCount } from '../../panels/threat-list/columns';

/** Spot's ingest summary: records ingested per interval for each pipeline, and the totals per source. */
export default function IngestSummaryPage() {
  const styles = useStyles2(getStyles);
  const { window } = useTimeWindow();
  const [containerRef, width] = useElementWidth<HTMLDivElement>();
  const summary = useFetch(() => scorerClient.ingestSummary(window), [window.from, window.to]);
  const set = useMemo(() => (summary.value ? ingestToSeries(summary.value, window.from, window.to) : { times: [], series: [] }), [summary.value, window.from, window.to]);

  return (
    <div className={styles.page} data-testid={testIds.ingestPage.container} ref={containerRef}>
      {summary.error && <Alert severity="error" title={`The scorer did not answer: ${summary.error}`} />}
      <IngestChart set={set} width={width} height={360} />
      <SimpleTable
        rows={summary.value?.totals ?? []}
        rowKey={(t) => `${t.dataType}-${t.source}`}
        empty="Nothing was ingested in this time range."
        columns={[
          { header: 'Data type', cell: (t) => t.dataType },
          { header: 'Source', cell: (t) => t.source },
          { header: 'Records', cell: (t) => formatCount(t.count), align: 'right' },
        ]}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
