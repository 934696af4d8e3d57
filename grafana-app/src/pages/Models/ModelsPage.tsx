import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, useStyles2 } from '@grafana/ui';
import React from 'react';

import { scorerClient } from '../../api/scorerClient';
import type { JobView, ModelView } from '../../api/types';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable';
import { testIds } from '../../components/testIds';
import { useFetch } from '../../components/useFetch';

const when = (iso?: string) => (iso ? dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' }) : '-');

const MODEL_COLUMNS: Array<SimpleColumn<ModelView>> = [
  { header: 'Model', cell: (m) => (m.active ? <Badge color="green" text={m.id} icon="check" /> : m.id) },
  { header: 'Algorithm', cell: (m) => m.algorithm },
  { header: 'Trained', cell: (m) => when(m.trainedAt) },
  { header: 'Trigger', cell: (m) => m.trigger },
  { header: 'Window', cell: (m) => `${when(m.trainingWindow.from)} to ${when(m.trainingWindow.to)}` },
  { header: 'Events', cell: (m) => m.events, align: 'right' },
  { header: 'Vocabulary', cell: (m) => m.vocabulary, align: 'right' },
  { header: 'Feedback rows', cell: (m) => m.feedbackRows, align: 'right' },
  {
    header: 'Evaluation',
    cell: (m) =>
      Object.entries(m.evaluation ?? {})
        .map(([figure, value]) => `${figure} ${value.toFixed(3)}`)
        .join(', ') || '-',
  },
];

const JOB_COLUMNS: Array<SimpleColumn<JobView>> = [
  { header: 'Job', cell: (j) => j.id },
  { header: 'Data type', cell: (j) => j.data.dataType },
  { header: 'State', cell: (j) => <Badge color={j.state === 'completed' ? 'green' : j.state === 'failed' ? 'red' : 'blue'} text={j.state} /> },
  { header: 'Queued', cell: (j) => when(j.createdAt) },
  { header: 'Finished', cell: (j) => when(j.finishedAt) },
  { header: 'Outcome', cell: (j) => j.failedReason ?? (j.result ? Object.entries(j.result).map(([k, v]) => `${k}: ${String(v)}`).join(', ') : '-') },
];

/** Model versions with their evaluation figures, and the retraining jobs analysts' feedback started. */
export default function ModelsPage() {
  const styles = useStyles2(getStyles);
  const models = useFetch(() => scorerClient.models(), []);
  const jobs = useFetch(() => scorerClient.jobs('retrain'), []);
  return (
    <div className={styles.page} data-testid={testIds.modelsPage.container}>
      {(models.error || jobs.error) && <Alert severity="error" title={`The scorer did not answer: ${models.error ?? jobs.error}`} />}
      <section>
        <h3>Versions</h3>
        <SimpleTable
          rows={models.value?.items ?? []}
          columns={MODEL_COLUMNS}
          rowKey={(m) => m.id}
          rowTestId={(m) => testIds.modelsPage.version(m.id)}
          empty="No model has been trained yet: run spothreat train."
        />
      </section>
      <section>
        <h3>Retraining history</h3>
        <SimpleTable
          rows={jobs.value?.items ?? []}
          columns={JOB_COLUMNS}
          rowKey={(j) => j.id}
          rowTestId={(j) => testIds.modelsPage.job(j.id)}
          empty="No retraining yet: a benign rating (3) starts one."
        />
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(3) }),
});
