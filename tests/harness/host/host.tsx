/**
 * The harness's stand-in for Grafana's frontend: it loads the REAL @grafana/data, @grafana/ui and @grafana/runtime,
 * shares them with plugins through SystemJS exactly as Grafana's loader does (`package:<name>` modules plus an
 * import map), then imports the built dist/module.js files with SystemJS's AMD extra and renders a panel, an app
 * page or the configuration page with the props Grafana would pass.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import {
  type AppPlugin,
  createTheme,
  EventBusSrv,
  type DataFrame,
  LoadingState,
  type PanelPlugin,
  ThemeContext,
  dateTime,
  type TimeRange,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { type BackendSrvRequest, setBackendSrv } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles } from '@grafana/ui';
import * as lodash from 'lodash';
import * as react from 'react';
import React from 'react';
import * as reactDom from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import { from, lastValueFrom } from 'rxjs';

import { harnessData } from './panelData';

const PLUGIN_ID = 'spothreat-app';
const PLUGIN_BASE = `/public/plugins/${PLUGIN_ID}`;

/** Grafana's sharedDependenciesMap, reduced to what our plugins import. */
const SHARED: Record<string, unknown> = {
  react,
  'react-dom': reactDom,
  'react/jsx-runtime': jsxRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  lodash,
};

interface SystemJs {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }, base?: string): void;
  import(id: string): Promise<any>;
}

function shareWithPlugins(system: SystemJs) {
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(SHARED)) {
    system.set(`package:${name}`, { default: module, __useDefault: true });
    imports[name] = `package:${name}`;
  }
  system.addImportMap({ imports });
}

/** getBackendSrv().fetch over window.fetch, enough for the data-proxy calls a plugin makes. */
function installBackendSrv() {
  const fetchObservable = (options: BackendSrvRequest) => {
    const query = options.params ? `?${new URLSearchParams(Object.entries(options.params).map(([k, v]) => [k, String(v)]))}` : '';
    const url = `/${options.url.replace(/^\//, '')}${query}`;
    return from(
      (async () => {
        const response = await fetch(url, {
          method: options.method ?? 'GET',
          headers: options.data !== undefined ? { 'Content-Type': 'application/json' } : undefined,
          body: options.data !== undefined ? JSON.stringify(options.data) : undefined,
        });
        const text = await response.text();
        const data = text ? JSON.parse(text) : undefined;
        if (!response.ok) {
          throw { status: response.status, statusText: response.statusText, data };
        }
        return { data, status: response.status, statusText: response.statusText, ok: true, headers: response.headers, redirected: false, type: response.type, url, config: options };
      })()
    );
  };
  const backendSrv = {
    fetch: fetchObservable,
    get: (url: string, params?: Record<string, unknown>) => lastValueFrom(fetchObservable({ url, params })).then((r) => r.data),
    post: (url: string, data?: unknown) => lastValueFrom(fetchObservable({ url, method: 'POST', data })).then((r) => r.data),
    put: (url: string, data?: unknown) => lastValueFrom(fetchObservable({ url, method: 'PUT', data })).then((r) => r.data),
    delete: (url: string) => lastValueFrom(fetchObservable({ url, method: 'DELETE' })).then((r) => r.data),
    patch: (url: string, data?: unknown) => lastValueFrom(fetchObservable({ url, method: 'PATCH', data })).then((r) => r.data),
    request: (options: BackendSrvRequest) => lastValueFrom(fetchObservable(options)).then((r) => r.data),
    datasourceRequest: (options: BackendSrvRequest) => lastValueFrom(fetchObservable(options)),
  };
  setBackendSrv(backendSrv as unknown as Parameters<typeof setBackendSrv>[0]);
}

function timeRangeFromUrl(search: URLSearchParams): TimeRange {
  const from = dateTime(Number(search.get('from') ?? Date.now() - 86_400_000));
  const to = dateTime(Number(search.get('to') ?? Date.now()));
  return { from, to, raw: { from, to } };
}

function Themed({ mode, children }: { mode: 'dark' | 'light'; children: React.ReactNode }) {
  const theme = React.useMemo(() => createTheme({ colors: { mode } }), [mode]);
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div style={{ padding: 16, minHeight: '100vh', boxSizing: 'border-box', background: theme.colors.background.canvas }}>{children}</div>
    </ThemeContext.Provider>
  );
}

function PanelFrame({ plugin, frames, timeRange, width, height, title }: { plugin: PanelPlugin; frames: DataFrame[]; timeRange: TimeRange; width: number; height: number; title: string }) {
  const Panel = plugin.panel!;
  const theme = grafanaUi.useTheme2();
  const options = React.useMemo(() => {
    // The defaults the panel declares in setPanelOptions, as Grafana fills them for a new panel.
    const defaults: Record<string, unknown> = {};
    for (const item of Object.values(plugin.optionEditors?.getItems?.() ?? []) as Array<{ path: string; defaultValue?: unknown }>) {
      defaults[item.path] = item.defaultValue;
    }
    return defaults;
  }, [plugin]);
  return (
    <div style={{ width, border: `1px solid ${theme.colors.border.weak}`, borderRadius: 2, background: theme.colors.background.primary }}>
      <div style={{ padding: '6px 8px', fontWeight: 500 }}>{title}</div>
      <div style={{ padding: 8 }} data-harness-panel="">
        <Panel
          id={1}
          data={{ series: frames, state: LoadingState.Done, timeRange }}
          timeRange={timeRange}
          timeZone="utc"
          options={options}
          fieldConfig={{ defaults: {}, overrides: [] }}
          transparent={false}
          width={width - 18}
          height={height}
          renderCounter={0}
          title={title}
          eventBus={new EventBusSrv()}
          onOptionsChange={() => {}}
          onFieldConfigChange={() => {}}
          replaceVariables={(value: string) => value}
          onChangeTimeRange={() => {}}
        />
      </div>
    </div>
  );
}

interface BenchResult {
  firstRenderMs: number;
}

declare global {
  interface Window {
    grafanaBootData: unknown;
    System: SystemJs;
    __spothreatHarness: { start(): Promise<void> };
    __spothreatHarnessReady?: boolean;
    __spothreatHarnessError?: string;
    __spothreatBench?: BenchResult;
  }
}

async function loadPlugin<T>(path: string): Promise<T> {
  const module = await window.System.import(`${PLUGIN_BASE}/${path}`);
  return module.plugin as T;
}

/** Resolves after the browser has painted a frame in which `ready()` holds. */
async function paintedWhen(ready: () => boolean): Promise<void> {
  while (!ready()) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function start() {
  const search = new URLSearchParams(window.location.search);
  const mode = search.get('theme') === 'light' ? 'light' : 'dark';
  document.body.style.margin = '0';
  installBackendSrv();
  shareWithPlugins(window.System);
  const container = document.getElementById('root')!;
  const root = createRoot(container);
  const path = window.location.pathname;
  const panel = search.get('panel');

  if (panel) {
    const plugin = await loadPlugin<PanelPlugin>(`panels/${panel}/module.js`);
    const timeRange = timeRangeFromUrl(search);
    const bench = Number(search.get('bench') ?? 0);
    const frames = await harnessData(panel, timeRange, search.get('type') ?? 'flow', bench);
    const width = Number(search.get('width') ?? 1500);
    const height = Number(search.get('height') ?? 620);
    const started = performance.now();
    root.render(
      <Themed mode={mode}>
        <PanelFrame plugin={plugin} frames={frames} timeRange={timeRange} width={width} height={height} title={`${panel} (${mode})`} />
      </Themed>
    );
    if (bench > 0) {
      await paintedWhen(() => Boolean(container.querySelector('[data-testid^="spothreat-threat-row-"], canvas[data-rendered-nodes]')));
      window.__spothreatBench = { firstRenderMs: performance.now() - started };
    }
  } else if (path.startsWith('/plugins/')) {
    const plugin = await loadPlugin<AppPlugin>('module.js');
    const meta = await (await fetch(`/api/plugins/${PLUGIN_ID}/settings`)).json();
    plugin.meta = meta;
    const page = plugin.configPages![0];
    const Body = page.body;
    root.render(
      <Themed mode={mode}>
        <h2>Spothreat: configuration</h2>
        <Body plugin={plugin} query={{}} />
      </Themed>
    );
  } else {
    const plugin = await loadPlugin<AppPlugin>('module.js');
    const meta = await (await fetch(`/api/plugins/${PLUGIN_ID}/settings`)).json();
    const Root = plugin.root!;
    root.render(
      <Themed mode={mode}>
        <Root meta={meta} basename={`/a/${PLUGIN_ID}`} query={{}} path={path} onNavChanged={() => {}} />
      </Themed>
    );
  }
  window.__spothreatHarnessReady = true;
}

window.__spothreatHarness = {
  start: () =>
    start().catch((error) => {
      window.__spothreatHarnessError = String(error?.stack ?? error);
      throw error;
    }),
};
