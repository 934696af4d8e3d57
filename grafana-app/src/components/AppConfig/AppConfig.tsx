import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import { scorerClient } from '../../api/scorerClient';
import { savePluginSettings } from '../../api/pluginSettings';
import { testIds } from '../testIds';
import { errorMessage } from '../useFetch';

export interface AppSettings {
  /** Base URL of the scorer service as Grafana's server reaches it, e.g. http://scorer:7070. */
  scorerUrl?: string;
}

type Props = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

type Status = { kind: 'success' | 'error' | 'info'; text: string } | undefined;

export default function AppConfig({ plugin }: Props) {
  const styles = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [scorerUrl, setScorerUrl] = useState(jsonData?.scorerUrl ?? '');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.token));
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      await savePluginSettings({
        enabled: true,
        pinned: pinned ?? true,
        jsonData: { ...jsonData, scorerUrl: scorerUrl.trim() },
        // Only send the token when the user typed one; an empty field keeps the stored secret.
        secureJsonData: tokenSet ? undefined : { token },
      });
      setTokenSet(tokenSet || token !== '');
      setStatus({ kind: 'info', text: 'Saved. Test the connection to check the URL and token.' });
    } catch (error) {
      setStatus({ kind: 'error', text: `Saving failed: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setBusy(true);
    try {
      const health = await scorerClient.health();
      // Health needs no token; listing models does, so a wrong token shows here and not on the first page visit.
      await scorerClient.models();
      setStatus({
        kind: health.status === 'ok' ? 'success' : 'error',
        text: `Scorer ${health.version} is ${health.status}: OpenSearch ${health.opensearch.ok ? 'up' : 'down'}, Redis ${health.redis.ok ? 'up' : 'down'}.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: `Connection failed: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid={testIds.appConfig.container} className={styles.container}>
      <FieldSet label="Scorer service">
        <Field label="URL" description="Where Grafana's server reaches spothreat serve; the browser never calls it directly.">
          <Input
            width={60}
            value={scorerUrl}
            placeholder="http://127.0.0.1:7070"
            data-testid={testIds.appConfig.scorerUrl}
            onChange={(e) => setScorerUrl(e.currentTarget.value)}
          />
        </Field>
        <Field label="API token" description="SPOTHREAT_API_TOKEN of the service. Stored encrypted by Grafana.">
          <SecretInput
            width={60}
            value={token}
            isConfigured={tokenSet}
            placeholder="token"
            data-testid={testIds.appConfig.token}
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => {
              setTokenSet(false);
              setToken('');
            }}
          />
        </Field>
      </FieldSet>
      <div className={styles.actions}>
        <Button data-testid={testIds.appConfig.submit} disabled={busy || scorerUrl.trim() === ''} onClick={save}>
          {enabled ? 'Save settings' : 'Enable and save'}
        </Button>
        <Button variant="secondary" data-testid={testIds.appConfig.testConnection} disabled={busy} onClick={test}>
          Test connection
        </Button>
      </div>
      {status && (
        <div data-testid={testIds.appConfig.connectionStatus} className={styles.status}>
          <Alert severity={status.kind} title={status.text} />
        </div>
      )}
    </div>
  );
}


const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ maxWidth: 720 }),
  actions: css({ display: 'flex', gap: theme.spacing(1) }),
  status: css({ marginTop: theme.spacing(2) }),
});
