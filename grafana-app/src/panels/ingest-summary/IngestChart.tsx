import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { TimeBars } from '../../components/TimeBars';
import { testIds } from '../../components/testIds';
import type { SeriesSet } from '../../frames/seriesFrame';
import { formatCount } from '../threat-list/columns';

const TOTALS_HEIGHT = 64;

/** Records ingested per bucket for each pipeline, under the totals for the whole range. */
export function IngestChart({ set, width, height }: { set: SeriesSet; width: number; height: number }) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.ingestChart.container} style={{ width, height }}>
      <div className={styles.totals}>
        {set.series.map((s) => (
          <div key={s.name} className={styles.total} data-testid={testIds.ingestChart.total(s.name)}>
            <div className={styles.figure}>{formatCount(s.values.reduce((sum, v) => sum + v, 0))}</div>
            <div className={styles.label}>{s.name} records</div>
          </div>
        ))}
      </div>
      <TimeBars set={set} width={width} height={height - TOTALS_HEIGHT} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  totals: css({ display: 'flex', gap: theme.spacing(4), height: TOTALS_HEIGHT, alignItems: 'center' }),
  total: css({ display: 'flex', flexDirection: 'column' }),
  figure: css({ fontSize: theme.typography.h2.fontSize, fontWeight: theme.typography.fontWeightMedium, lineHeight: 1.1 }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
