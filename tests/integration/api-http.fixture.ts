import { randomBytes } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { applyTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import type { Threat } from '../../scorer-service/src/api/contract';
import type { DataType } from '../../scorer-service/src/domain/events';
import { prepareIndices, runIngest } from '../../scorer-service/src/ingest/pipeline';
import { composeApi, type ApiProcess } from '../../scorer-service/src/composition';
import { loadConfig, type Config } from '../../scorer-service/src/config';
import { cleanUp, testScope, type TestScope } from './scoring.fixture';

/**
 * What the API integration tests of DNS, proxy, investigation, storyboard and export share: a scope of their own
 * (index and queue prefixes), the in-process API listening on a free loopback port, and a client that speaks
 * to it with the bearer token.
 */

export interface ApiReply<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export class ApiHarness {
  readonly token = randomBytes(24).toString('hex');
  readonly scope: TestScope;
  readonly config: Config;
  readonly client: Client;
  private api?: ApiProcess;
  private base = '';

  constructor(name: string, extraEnv: NodeJS.ProcessEnv = {}) {
    this.scope = testScope(name, { SPOTHREAT_API_TOKEN: this.token, ...extraEnv });
    this.config = loadConfig(this.scope.env);
    this.client = createOpenSearchClient(this.config);
  }

  get services(): ApiProcess['services'] {
    if (!this.api) throw new Error('the API is not started');
    return this.api.services;
  }

  get queues(): ApiProcess['queues'] {
    if (!this.api) throw new Error('the API is not started');
    return this.api.queues;
  }

  /** Templates and raw indices of the scope, then each file through the ingest pipeline. */
  async ingest(dataType: DataType, format: string, files: string[], sensor: string): Promise<number> {
    await prepareIndices(this.client, this.scope.prefix);
    await applyTemplates(this.client, this.scope.prefix);
    const summary = await runIngest(this.client, { dataType, format, files, indexPrefix: this.scope.prefix, sensor });
    return summary.indexed;
  }

  async start(): Promise<void> {
    this.api = await composeApi(this.config, { onServerError: (error) => process.stderr.write(`server error: ${error.stack}\n`) });
    this.base = await this.api.app.listen({ host: '127.0.0.1', port: 0 });
  }

  async score(dataType: DataType, window: { from: string; to: string }, model: 'train' | 'latest' = 'train') {
    return this.services.scorer.score({ dataType, window, model, trigger: 'cli' });
  }

  async call<T = unknown>(method: string, route: string, body?: unknown): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  /** A GET that must answer 200; the body's message is shown when it does not. */
  async get<T>(route: string): Promise<T> {
    const reply = await this.call<T>('GET', route);
    if (reply.status !== 200) throw new Error(`GET ${route} answered ${reply.status}: ${reply.text}`);
    return reply.body;
  }

  /** Every suspicious event of a window as the JSON export gives it, with the export's filters (`&tag=...`). */
  exportedThreats(dataType: DataType, window: { from: string; to: string }, filters = ''): Promise<Threat[]> {
    return this.get<Threat[]>(`/api/v1/threats/export?${windowQuery(dataType, window)}&format=json&limit=100000${filters}`);
  }

  async stop(): Promise<void> {
    await this.api?.close();
    await cleanUp(this.client, this.scope, this.config.redis.port);
    await this.client.close();
  }
}

/** `type=..&from=..&to=..` of a window, for query strings. */
export function windowQuery(dataType: DataType, window: { from: string; to: string }): string {
  return `type=${dataType}&from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`;
}

/** The CSV export's rows as header-keyed records (RFC 4180 quoting, CRLF lines). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}
