import { randomBytes } from 'node:crypto';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import type {
  AllowlistEntry,
  FeedbackResponse,
  InvestigationResponse,
  NetworkResponse,
  StoryboardAnalysisResponse,
  Threat,
  ThreatsResponse,
} from '../../scorer-service/src/api/contract';
import { composeApi, type ApiProcess } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const TOKEN = randomBytes(24).toString('hex');
const scope = testScope('api', { SPOTHREAT_API_TOKEN: TOKEN, SPOTHREAT_API_BODY_LIMIT: '65536' });
const config = loadConfig(scope.env);
const client = createOpenSearchClient(config);
let api: ApiProcess;
let base: string;

async function call<T = unknown>(method: string, route: string, opts: { body?: unknown; token?: string | null; raw?: string } = {}): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${route}`, { method, headers, body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV and Prometheus text stay text.
  }
  return { status: response.status, body: body as T, text, headers: response.headers };
}

const dayQuery = `type=flow&from=${encodeURIComponent(DAY.from)}&to=${Date.parse(DAY.to)}`;

beforeAll(async () => {
  await ingestCapture(client, scope.prefix);
  api = await composeApi(config, { onServerError: (error) => process.stderr.write(`server error: ${error.stack}\n`) });
  await api.services.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
  base = await api.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await api?.close();
  await cleanUp(client, scope, config.redis.port);
  await client.close();
});

describe('authentication and bad input', () => {
  it('answers health without a token and refuses everything else without the right one', async () => {
    const health = await call<{ status: string }>('GET', '/api/v1/health', { token: null });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect((await call('GET', `/api/v1/threats?${dayQuery}`, { token: null })).status).toBe(401);
    expect((await call('GET', `/api/v1/threats?${dayQuery}`, { token: 'x'.repeat(48) })).status).toBe(401);
    expect((await call('GET', '/metrics', { token: null })).status).toBe(401);
  });

  it('rejects invalid input with 400 and names every bad field', async () => {
    const bad = await call<{ message: string; details: { path: string }[] }>('GET', '/api/v1/threats?type=smtp&from=yesterday&to=2018-01-13&ip=999.1.1.1');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual(['from', 'ip', 'type']);
    const backwards = await call('GET', `/api/v1/threats?type=flow&from=${DAY.to}&to=${DAY.from}`);
    expect(backwards.status).toBe(400);
    expect((await call('POST', '/api/v1/feedback', { body: { dataType: 'flow', threatId: 'x', rating: 5, author: 'a' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/feedback', { raw: '{not json' })).status).toBe(400);
    expect((await call('POST', '/api/v1/allowlist', { body: { match: {}, author: 'a', reason: 'r' } })).status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = await call('POST', '/api/v1/allowlist', { body: { match: { srcIp: '10.0.0.1' }, author: 'a', reason: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
  });
});

describe('threats, network and geo', () => {
  let top: Threat;

  it('lists the ranked threats of the day, paged and filterable', async () => {
    const first = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&pageSize=20`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(50);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items.map((t) => t.rank)).toEqual(Array.from({ length: 20 }, (_v, i) => i + 1));
    top = first.body.items[0];
    expect(top).toMatchObject({ dataType: 'flow', modelVersion: expect.any(Number), words: expect.any(Array) });
    // The default ranking is the fused one; sort=fused orders by fused score across windows (one window here: the same list).
    expect(top.fused).toMatchObject({ rank: 1, by: 'fisher(concentration,autoencoder,heuristics)', score: expect.any(Number) });
    const byFused = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&sort=fused&pageSize=20`);
    expect(byFused.body.items.map((t) => t.id)).toEqual(first.body.items.map((t) => t.id));
    const third = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&pageSize=20&page=3`);
    expect(third.body.items).toHaveLength(10);
    const byIp = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&ip=${top.srcIp}&pageSize=100`);
    expect(byIp.body.items.length).toBeGreaterThan(0);
    expect(byIp.body.items.every((t) => t.srcIp === top.srcIp || t.dstIp === top.srcIp)).toBe(true);
    const worstLast = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&sort=-score&pageSize=1`);
    expect(worstLast.body.items[0].score).toBeGreaterThanOrEqual(top.score);
    const one = await call<Threat>('GET', `/api/v1/threats/flow/${top.id}`);
    expect(one.body.id).toBe(top.id);
    expect((await call('GET', '/api/v1/threats/flow/nope')).status).toBe(404);
  });

  it('exports the filtered list as CSV and JSON', async () => {
    const csv = await call('GET', `/api/v1/threats/export?${dayQuery}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(51);
    expect(lines[0].split(',').slice(0, 3)).toEqual(['id', 'dataType', 'timestamp']);
    const json = await call<Threat[]>('GET', `/api/v1/threats/export?${dayQuery}&format=json&limit=7`);
    expect(json.body).toHaveLength(7);
  });

  it('gives the network view as Node Graph frames and the located hosts for the geomap', async () => {
    const graph = await call<NetworkResponse>('GET', `/api/v1/network?${dayQuery}`);
    expect(graph.body.nodes.length).toBeGreaterThan(1);
    expect(graph.body.edges.length).toBeGreaterThan(0);
    for (const node of graph.body.nodes) {
      expect(node.arc__rated_threat + node.arc__rated_benign + node.arc__unrated).toBeCloseTo(1, 9);
      expect(node).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String), mainstat: expect.any(Number), color: expect.any(String) }));
    }
    const ids = new Set(graph.body.nodes.map((n) => n.id));
    expect(graph.body.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
    const geo = await call<{ points: { lat: number; lon: number }[] }>('GET', `/api/v1/geo?${dayQuery}`);
    expect(geo.body.points.length).toBeGreaterThan(0);
  });

  it('hides allowlisted events at once, counts them per entry, and shows them again when the entry is deleted', async () => {
    const created = await call<AllowlistEntry>('POST', '/api/v1/allowlist', {
      body: { dataType: 'flow', match: { srcIp: top.srcIp }, author: 'ana', reason: 'known scanner of ours' },
    });
    expect(created.status).toBe(201);
    expect(created.body.suppressed).toBeGreaterThan(0);
    const after = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&pageSize=100`);
    expect(after.body.total).toBe(50 - created.body.suppressed);
    expect(after.body.suppressed).toBe(created.body.suppressed);
    expect(after.body.items.some((t) => t.srcIp === top.srcIp)).toBe(false);
    const listed = await call<{ items: AllowlistEntry[] }>('GET', '/api/v1/allowlist');
    expect(listed.body.items.map((e) => e.id)).toContain(created.body.id);
    expect((await call('DELETE', `/api/v1/allowlist/${created.body.id}`, { body: { author: 'ana', reason: 'scanner retired' } })).status).toBe(204);
    expect((await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}`)).body.total).toBe(50);
    const audit = await call<{ items: { action: string }[] }>('GET', '/api/v1/audit?actor=ana');
    expect(audit.body.items.map((a) => a.action)).toEqual(expect.arrayContaining(['allowlist.create', 'allowlist.delete']));
  });

  it('stores a rating, marks the threat rated and queues a retraining for a benign one', async () => {
    const high = await call<FeedbackResponse>('POST', '/api/v1/feedback', { body: { dataType: 'flow', threatId: top.id, rating: 1, author: 'ana' } });
    expect(high.status).toBe(201);
    expect(high.body.retrainJob).toBeUndefined();
    const rated = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&rated=true`);
    expect(rated.body.items.map((t) => t.id)).toEqual([top.id]);
    expect(rated.body.items[0]).toMatchObject({ rating: 1, ratedBy: 'ana' });
    const unrated = await call<ThreatsResponse>('GET', `/api/v1/threats?${dayQuery}&rated=false`);
    expect(unrated.body.total).toBe(49);
    const benign = await call<FeedbackResponse>('POST', '/api/v1/feedback', { body: { dataType: 'flow', threatId: top.id, rating: 3, author: 'ana' } });
    expect(benign.body.retrainJob?.queue).toBe('retrain');
    const job = await call<{ state: string; data: { dataType: string } }>('GET', `/api/v1/jobs/retrain/${benign.body.retrainJob!.id}`);
    expect(job.body.data.dataType).toBe('flow');
    expect(['waiting', 'active', 'delayed', 'prioritized']).toContain(job.body.state);
    const feedback = await call<{ total: number }>('GET', '/api/v1/feedback?type=flow');
    expect(feedback.body.total).toBe(2);
  });

  it('investigates an IP over the raw events and builds its storyboard', async () => {
    const ip = top.srcIp;
    const found = await call<InvestigationResponse>('GET', `/api/v1/investigation?${dayQuery}&ip=${ip}`);
    expect(found.status).toBe(200);
    expect(found.body.events).toBeGreaterThan(0);
    expect(found.body.topPeersByConnections.length).toBeGreaterThan(0);
    expect(found.body.pairs!.every((p) => p.srcIp === ip || p.dstIp === ip)).toBe(true);
    const saved = await call<{ id: string }>('PUT', '/api/v1/storyboard', {
      body: { dataType: 'flow', anchor: { ip }, from: DAY.from, to: DAY.to, title: 'SSH brute force', summary: 'Many short SSH sessions.', author: 'ana' },
    });
    expect(saved.status).toBe(200);
    const analysis = await call<StoryboardAnalysisResponse>('GET', `/api/v1/storyboard/analysis?${dayQuery}&ip=${ip}`);
    expect(analysis.body.story?.title).toBe('SSH brute force');
    const peers = analysis.body.progression.reduce((n, g) => n + g.count, 0);
    expect(peers).toBeGreaterThan(0);
    expect(analysis.body.impact.inbound + analysis.body.impact.outbound + analysis.body.impact.twoWay).toBe(peers);
    expect(analysis.body.timeline.length).toBeGreaterThan(0);
    const list = await call<{ items: { title: string }[] }>('GET', `/api/v1/storyboard?from=${DAY.from}&to=${DAY.to}`);
    expect(list.body.items.map((s) => s.title)).toEqual(['SSH brute force']);
  });

  it('summarises ingest per minute, and reports models, jobs and metrics', async () => {
    const summary = await call<{ points: { count: number }[]; totals: { dataType: string; count: number }[] }>('GET', `/api/v1/ingest/summary?from=${DAY.from}&to=${DAY.to}`);
    expect(summary.body.totals.reduce((n, t) => n + t.count, 0)).toBe(FLOWS_IN_FILE);
    expect(summary.body.points.reduce((n, p) => n + p.count, 0)).toBe(FLOWS_IN_FILE);
    const models = await call<{ items: { dataType: string; active: boolean; version: number }[] }>('GET', '/api/v1/models?type=flow');
    expect(models.body.items[0]).toMatchObject({ dataType: 'flow', active: true });
    const jobs = await call<{ counts: Record<string, number> }>('GET', '/api/v1/jobs?queue=retrain');
    expect(jobs.body.counts.waiting).toBeGreaterThanOrEqual(1);
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain('spothreat_queue_jobs{queue="retrain",state="waiting"}');
    expect(metrics.text).toContain('spothreat_ingest_lag_seconds{data_type="flow"}');
  });
});
