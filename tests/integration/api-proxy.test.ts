import path from 'node:path';
import type { FeedbackResponse, IngestSummaryResponse, InvestigationResponse, NetworkResponse, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { ApiHarness, parseCsv, windowQuery } from './api-http.fixture';
import { REPO } from './scoring.fixture';

/**
 * Proxy (web) events end to end through the HTTP API: two real Zeek http.logs of Stratosphere (scenario 005, a
 * host polling /login.php on 200 generated domains with a fixed referer; scenario 009, a host fetching pages of
 * bare IPs), both with times relative to the epoch, ingested and scored as one day.
 */

const SCENARIOS = path.join(REPO, '..', 'shared', 'data', 'stratosphere-zeek-labeled', 'security-datasets-for-testing');
const HTTP_LOGS = [path.join(SCENARIOS, '005-zeek-scenario-malicious', 'http.log.gz'), path.join(SCENARIOS, '009-zeek-malicious', 'data', 'http.log.labeled.gz')];
const DAY = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-02T00:00:00.000Z' };
const SENSOR = 'edge-proxy';
/** The two clients: the one of scenario 005 always sends this referer. */
const POLLER = '192.168.1.116';
const BROWSER = '192.168.1.113';
const REFERER = 'http://www.google.com';

// Room for every request of the day, so the assertions hold whichever events the model ranks first.
const api = new ApiHarness('api-proxy', { SPOTHREAT_MAXRESULTS: '5000' });
const dayQuery = windowQuery('proxy', DAY);
let indexed = 0;
let all: Threat[];

/** Every page of the list with the extra parameters, as one response. */
async function threats(extra: string): Promise<ThreatsResponse> {
  const first = await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=500${extra}`);
  const items = [...first.items];
  for (let page = 2; items.length < first.total; page++) items.push(...(await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=500&page=${page}${extra}`)).items);
  return { ...first, items };
}

beforeAll(async () => {
  indexed = await api.ingest('proxy', 'zeek', HTTP_LOGS, SENSOR);
  await api.start();
  const summary = await api.score('proxy', DAY);
  all = (await threats('')).items;
  expect(all).toHaveLength(summary.suspicious);
});

afterAll(async () => {
  await api.stop();
});

describe('proxy threats', () => {
  it('lists the scored day ranked, each row a request with its URL, method, status and agent', async () => {
    expect(all.length).toBeGreaterThan(2000);
    expect(all.length).toBeLessThanOrEqual(indexed);
    expect(all.map((t) => t.rank)).toEqual(Array.from({ length: all.length }, (_v, i) => i + 1));
    for (const threat of all) {
      expect(threat).toMatchObject({ dataType: 'proxy', url: expect.any(String), httpMethod: expect.any(String), srcIp: expect.any(String), dstIp: expect.any(String) });
      expect([POLLER, BROWSER]).toContain(threat.srcIp);
    }
    expect(all.some((t) => t.httpStatus !== undefined && t.httpStatusName !== undefined)).toBe(true);
    expect(all.filter((t) => t.srcIp === POLLER).every((t) => t.referrer === REFERER)).toBe(true);
  });

  it('pages and sorts', async () => {
    const second = await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=100&page=2`);
    expect(second.items.map((t) => t.id)).toEqual(all.slice(100, 200).map((t) => t.id));
    expect((await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=100&page=${Math.ceil(all.length / 100) + 1}`)).items).toEqual([]);
    const byScore = (await threats('&sort=-score')).items.map((t) => t.score);
    expect(byScore).toEqual([...byScore].sort((a, b) => b - a));
    const byTime = (await threats('&sort=-timestamp')).items.map((t) => t.timestamp);
    expect(byTime).toEqual([...byTime].sort().reverse());
  });

  it('filters by a domain substring of the URL, by client IP, by server IP and by a score range', async () => {
    const login = await threats('&domain=LOGIN.PHP');
    expect(login.items.map((t) => t.id)).toEqual(all.filter((t) => t.url!.toLowerCase().includes('login.php')).map((t) => t.id));
    expect(login.total).toBeGreaterThan(0);
    const host = all.find((t) => t.srcIp === POLLER)!.host!;
    const byHost = await threats(`&domain=${host.toUpperCase()}`);
    expect(byHost.total).toBeGreaterThan(0);
    expect(byHost.items.map((t) => t.id)).toEqual(all.filter((t) => t.host!.includes(host) || t.url!.includes(host)).map((t) => t.id));
    const byClient = await threats(`&ip=${BROWSER}`);
    expect(byClient.items.map((t) => t.id)).toEqual(all.filter((t) => t.srcIp === BROWSER).map((t) => t.id));
    const server = all[0].dstIp!;
    const byServer = await threats(`&ip=${server}`);
    expect(byServer.items.map((t) => t.id)).toEqual(all.filter((t) => t.dstIp === server).map((t) => t.id));
    const port = await threats('&port=80');
    expect(port.total).toBe(all.filter((t) => t.dstPort === 80 || t.srcPort === 80).length);
    const max = [...all.map((t) => t.score)].sort((a, b) => a - b)[300];
    const low = await threats(`&maxScore=${max}`);
    expect(low.items.map((t) => t.id).sort()).toEqual(all.filter((t) => t.score <= max).map((t) => t.id).sort());
  });

  it('splits rated from unrated and keeps a benign rating among the rated', async () => {
    const target = all.find((t) => t.srcIp === BROWSER)!;
    const benign = await api.call<FeedbackResponse>('POST', '/api/v1/feedback', { dataType: 'proxy', threatId: target.id, rating: 3, author: 'ben' });
    expect(benign.status).toBe(201);
    expect(benign.body.retrainJob).toMatchObject({ queue: 'retrain' });
    expect((await threats('&rated=true')).items.map((t) => t.id)).toEqual([target.id]);
    expect((await threats('&rated=false')).total).toBe(all.length - 1);
    expect((await threats('&severity=1,2')).total).toBe(0);
    expect((await threats('&severity=3')).items[0]).toMatchObject({ id: target.id, rating: 3, ratedBy: 'ben' });
    const feedback = await api.get<{ items: { threatId: string; domain?: string; url?: string; rating: number }[] }>('/api/v1/feedback?type=proxy&rating=3');
    expect(feedback.items).toEqual([expect.objectContaining({ threatId: target.id, domain: target.host, url: target.url, rating: 3 })]);
  });

  it('exports CSV that reads back to the listed rows, and JSON of the same rows', async () => {
    const csv = await api.call('GET', `/api/v1/threats/export?${dayQuery}&ip=${POLLER}&sort=score`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.text);
    const expected = (await threats(`&ip=${POLLER}&sort=score`)).items;
    expect(rows.map((r) => r.id)).toEqual(expected.map((t) => t.id));
    expect(rows.map((r) => r.url)).toEqual(expected.map((t) => t.url));
    expect(rows.map((r) => r.referrer)).toEqual(expected.map(() => REFERER));
    expect(rows.map((r) => r.userAgent)).toEqual(expected.map((t) => t.userAgent));
    const json = await api.call<Threat[]>('GET', `/api/v1/threats/export?${dayQuery}&ip=${POLLER}&sort=score&format=json&limit=5`);
    expect(json.headers.get('content-disposition')).toMatch(/filename="spothreat-proxy-1970-01-01\.json"/);
    expect(json.body).toEqual(expected.slice(0, 5));
  });
});

describe('proxy network view', () => {
  it('links each client to the hosts of its URLs', async () => {
    const graph = await api.get<NetworkResponse>(`/api/v1/network?${dayQuery}&limit=5000`);
    // Zeek logs the path alone as the URL; the host comes from the Host header (url.domain).
    expect(all.every((t) => t.url!.startsWith('/') && t.host !== undefined)).toBe(true);
    const edges = new Set(graph.edges.map((e) => `${e.source}->${e.target}`));
    expect(edges).toEqual(new Set(all.map((t) => `${t.srcIp}->${t.host}`)));
    const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.detail__kind]));
    expect(kinds[POLLER]).toBe('internal');
    for (const threat of all) expect(kinds[threat.host!]).toBe('domain');
    expect(kinds['login.php']).toBeUndefined();
    const poller = graph.nodes.find((n) => n.id === POLLER)!;
    expect(poller.mainstat).toBe(all.filter((t) => t.srcIp === POLLER).length);
  });
});

describe('proxy investigation', () => {
  it('gives the URIs a client fetched and the referers it sent, over the raw events', async () => {
    const found = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&ip=${POLLER}&top=5`);
    expect(found.events).toBe(992);
    expect(found.referers).toEqual([{ value: REFERER, count: 992 }]);
    // The URIs as Zeek logged them (paths), most requested first.
    expect(found.uris![0]).toEqual({ value: '/login.php', count: 977 });
    expect(found.uris!.reduce((n, u) => n + u.count, 0)).toBe(992);
  });

  it('gives the clients, URIs and referers of a domain', async () => {
    const { url, host } = all.find((t) => t.srcIp === POLLER)!;
    const found = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&domain=${host}`);
    expect(found.events).toBeGreaterThan(0);
    expect(found.topPeersByConnections.map((p) => p.ip)).toEqual([POLLER]);
    expect(found.topPeersByConnections[0]).toMatchObject({ connections: found.events, internal: true });
    expect(found.uris!.map((u) => u.value)).toContain(url!);
    expect(found.referers).toEqual([{ value: REFERER, count: found.events }]);
  });

  it('gives the clients of a URI and, for a referer, the URIs it led to', async () => {
    // Both hosts asked for /login.php: the poller of 200 generated domains 977 times, the other host of bare IPs.
    const url = '/login.php';
    const byUri = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&uri=${encodeURIComponent(url)}`);
    expect(byUri.uris).toEqual([{ value: url, count: byUri.events }]);
    const peers = Object.fromEntries(byUri.topPeersByConnections.map((p) => [p.ip, p.connections]));
    expect(peers[POLLER]).toBe(977);
    expect(peers[BROWSER]).toBeGreaterThan(0);
    expect(byUri.events).toBe(peers[POLLER] + peers[BROWSER]);
    expect(byUri.referers).toEqual([{ value: REFERER, count: 977 }]);
    const byReferer = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&uri=${encodeURIComponent(REFERER)}&top=500`);
    expect(byReferer.referredUris!.reduce((n, u) => n + u.count, 0)).toBe(992);
    expect(byReferer.referredUris!.every((u) => u.value.startsWith('/'))).toBe(true);
  });
});

describe('proxy ingest summary', () => {
  it('counts every ingested request per minute under its sensor', async () => {
    const summary = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${DAY.from}&to=${DAY.to}&type=proxy&source=${SENSOR}`);
    expect(summary.totals).toEqual([{ dataType: 'proxy', source: SENSOR, count: indexed }]);
    expect(summary.points.reduce((n, p) => n + p.count, 0)).toBe(indexed);
    expect((await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${DAY.from}&to=${DAY.to}&type=dns`)).points).toEqual([]);
  });
});
