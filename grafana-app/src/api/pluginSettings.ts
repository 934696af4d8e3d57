import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { PLUGIN_ID } from '../constants';

export interface PluginSettingsUpdate {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  /** Write-only: Grafana stores it encrypted and only ever reports back which keys are set. */
  secureJsonData?: Record<string, string>;
}

/** Saves the app's settings in Grafana (not the scorer): the only call the app makes to Grafana's own API. */
export async function savePluginSettings(update: PluginSettingsUpdate): Promise<void> {
  await lastValueFrom(getBackendSrv().fetch({ url: `api/plugins/${PLUGIN_ID}/settings`, method: 'POST', data: update, showErrorAlert: false }));
}
