/**
 * The harness server: serves the host page, the built plugin as Grafana serves it (public/plugins/<id>/...), the
 * @grafana/ui icons, the app's settings (jsonData plus a write-only secureJsonData, as Grafana stores them), and a
 * data proxy that expands the routes of dist/plugin.json with those settings, as Grafana's plugin-proxy does. The
 * route's URL points either at a live `spothreat serve` or at `fixture:`, the in-process fixture scorer.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { createFixtureScorer } from './fixtureScorer';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'grafana-app', 'dist');
const HOST_BUNDLE = path.join(__dirname, 'dist', 'host.js');
const ICONS = path.join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const SYSTEMJS = path.join(ROOT, 'node_modules', 'systemjs', 'dist');
const PLUGIN_ID = 'spothreat-app';

/** The scorer URL that selects the in-process fixture scorer. */
export const FIXTURE_SCORER_URL = 'fixture:';

export interface HarnessOptions {
  /** `http://127.0.0.1:<port>` of a live scorer, or FIXTURE_SCORER_URL. */
  scorerUrl: string;
  token: string;
  port?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  target: string;
  authorization?: string;
  status?: number;
}

export interface Harness {
  url: string;
  /** Every request that went through the data proxy, with the Authorization header the proxy added. */
  proxied: ProxiedRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.html': 'text/html',
  '.md': 'text/markdown',
};

const PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Spothreat plugin harness</title>
    <script>
      window.grafanaBootData = {
        settings: { appSubUrl: '', buildInfo: { version: '13.2.2' }, featureToggles: {} },
        user: { login: 'analyst', name: 'Analyst', orgRole: 'Admin', theme: 'dark', timezone: 'utc' },
        navTree: [],
      };
      window.__grafana_public_path__ = '/public/';
    </script>
    <!-- The host first, then SystemJS and its AMD extra: libraries in the host must not see a global define. -->
    <script src="/harness/host.js"></script>
    <script src="/harness/system.js"></script>
    <script src="/harness/amd.js"></script>
  </head>
  <body>
    <div id="root"></div>
    <script>window.__spothreatHarness.start();</script>
  </body>
</html>`;

function sendFile(res: ServerResponse, file: string) {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

/** Inside `base` only: a request path must never reach files outside the folder it names. */
function within(base: string, relative: string): string {
  const resolved = path.resolve(base, `.${path.posix.normalize(`/${decodeURIComponent(relative)}`)}`);
  return resolved.startsWith(base) ? resolved : path.join(base, '__outside__');
}

function expand(template: string, jsonData: Record<string, unknown>, secureJsonData: Record<string, string>): string {
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_, key) => String(jsonData[key] ?? ''))
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_, key) => secureJsonData[key] ?? '');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const pluginJson = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
  const settings = { enabled: true, pinned: true, jsonData: { scorerUrl: options.scorerUrl } as Record<string, unknown> };
  const secureJsonData: Record<string, string> = { token: options.token };
  const fixtureScorer = createFixtureScorer(options.token);
  const proxied: ProxiedRequest[] = [];

  const proxy = async (req: IncomingMessage, res: ServerResponse, rest: string) => {
    const [routePath, ...tail] = rest.split('/');
    const route = (pluginJson.routes as Array<{ path: string; url: string; headers?: Array<{ name: string; content: string }> }>).find((r) => r.path === routePath);
    if (!route) {
      res.writeHead(404).end('no such plugin route');
      return;
    }
    const base = expand(route.url, settings.jsonData, secureJsonData).replace(/\/$/, '');
    const headers: Record<string, string> = {};
    for (const header of route.headers ?? []) {
      headers[header.name.toLowerCase()] = expand(header.content, settings.jsonData, secureJsonData);
    }
    const pathAndQuery = `/${tail.join('/')}`;
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: pathAndQuery, target: base, authorization: headers.authorization };
    proxied.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    if (base === FIXTURE_SCORER_URL.replace(/\/$/, '')) {
      req.headers.authorization = headers.authorization;
      await fixtureScorer(req, res, pathAndQuery);
      return;
    }
    const body = await readBody(req);
    const upstream = http.request(`${base}${pathAndQuery}`, {
      method: req.method,
      headers: { ...headers, ...(body.length ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) },
    });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(res);
    });
    upstream.on('error', (error) => res.writeHead(502).end(JSON.stringify({ message: `scorer unreachable: ${error.message}` })));
    upstream.end(body);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const route = url.pathname;
    try {
      if (route === '/harness/host.js') {
        sendFile(res, HOST_BUNDLE);
      } else if (route === '/harness/system.js') {
        sendFile(res, path.join(SYSTEMJS, 'system.min.js'));
      } else if (route === '/harness/amd.js') {
        sendFile(res, path.join(SYSTEMJS, 'extras', 'amd.min.js'));
      } else if (route.startsWith(`/public/plugins/${PLUGIN_ID}/`)) {
        sendFile(res, within(DIST, route.slice(`/public/plugins/${PLUGIN_ID}/`.length)));
      } else if (route.startsWith('/public/build/img/icons/')) {
        sendFile(res, within(ICONS, route.slice('/public/build/img/icons/'.length)));
      } else if (route === `/api/plugins/${PLUGIN_ID}/settings`) {
        if (req.method === 'POST') {
          const update = JSON.parse((await readBody(req)).toString('utf8'));
          Object.assign(settings, { enabled: update.enabled, pinned: update.pinned, jsonData: update.jsonData ?? settings.jsonData });
          Object.assign(secureJsonData, update.secureJsonData ?? {});
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        } else {
          const meta = {
            ...pluginJson,
            ...settings,
            type: 'app',
            baseUrl: `public/plugins/${PLUGIN_ID}`,
            module: `public/plugins/${PLUGIN_ID}/module.js`,
            secureJsonFields: Object.fromEntries(Object.keys(secureJsonData).map((key) => [key, secureJsonData[key] !== ''])),
          };
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(meta));
        }
      } else if (route.startsWith(`/api/plugin-proxy/${PLUGIN_ID}/`)) {
        await proxy(req, res, `${route.slice(`/api/plugin-proxy/${PLUGIN_ID}/`.length)}${url.search}`);
      } else if (route === '/favicon.ico' || route.startsWith('/public/')) {
        res.writeHead(404).end();
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      }
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    proxied,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
