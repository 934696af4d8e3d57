import path from 'node:path';
import type { AllowlistEntry, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { ApiHarness, parseCsv, windowQuery } from './api-http.fixture';
import { REPO } from './scoring.fixture';

/**
 * The threat export past OpenSearch's default result window: 12,000 suspicious DNS events of one day (the real
 * Zeek dns.log of Stratosphere scenario 009), exported in full as CSV and JSON, in the list's order, filtered,
 * limited and with allowlisted events left out.
 */

const DNS_LOG = path.join(REPO, '..', 'shared', 'data', 'stratosphere-zeek-labeled', 'security-datasets-for-testing', '009-zeek-malicious', 'data', 'dns.log.labeled.gz');
const DAY = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-02T00:00:00.000Z' };
/** More than index.max_result_window (10,000), which a from/size export cannot page past. */
const SUSPICIOUS = 12_000;

const api = new ApiHarness('api-export', { SPOTHREAT_MAXRESULTS: String(SUSPICIOUS) });
const dayQuery = windowQuery('dns', DAY);

beforeAll(async () => {
  await api.ingest('dns', 'zeek', [DNS_LOG], 'lab-resolver');
  await api.start();
  const summary = await api.score('dns', DAY);
  expect(summary.suspicious).toBe(SUSPICIOUS);
});

afterAll(async () => {
  await api.stop();
});

describe('threat export', () => {
  it('exports every suspicious event of the day as CSV, streamed, in the order of the list', async () => {
    const csv = await api.call('GET', `/api/v1/threats/export?${dayQuery}&limit=100000`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    // Streamed: chunked, no length known up front.
    expect(csv.headers.get('content-length')).toBeNull();
    const rows = parseCsv(csv.text);
    expect(rows).toHaveLength(SUSPICIOUS);
    expect(new Set(rows.map((r) => r.id)).size).toBe(SUSPICIOUS);
    expect(rows.map((r) => Number(r.rank))).toEqual(Array.from({ length: SUSPICIOUS }, (_v, i) => i + 1));
    const listed = await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=500&page=20`);
    expect(rows.slice(9_500, 10_000).map((r) => r.id)).toEqual(listed.items.map((t) => t.id));
  });

  it('refuses a list page past the first 10,000 threats with 400 and points to the export', async () => {
    const tooDeep = await api.call<{ message: string; details: { path: string }[] }>('GET', `/api/v1/threats?${dayQuery}&pageSize=500&page=21`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.message).toMatch(/export/);
    expect(tooDeep.body.details.map((d) => d.path)).toEqual(['page']);
  });

  it('exports JSON that parses to the same rows as the list, across the page boundary', async () => {
    const json = await api.call<Threat[]>('GET', `/api/v1/threats/export?${dayQuery}&format=json&limit=2500&sort=-score`);
    expect(json.status).toBe(200);
    expect(json.body).toHaveLength(2500);
    const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=500&page=${page}&sort=-score`)));
    const scores = json.body.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Events of equal score keep one order (the id breaks ties) in the list and the export alike.
    expect(json.body.map((t) => t.id)).toEqual(pages.flatMap((p) => p.items.map((t) => t.id)));
    expect(new Set(json.body.map((t) => t.id)).size).toBe(2500);
  });

  it('applies the filters and the limit, and an empty result is a header or an empty array', async () => {
    const ip = '192.168.1.115';
    const filtered = parseCsv((await api.call('GET', `/api/v1/threats/export?${dayQuery}&ip=${ip}&limit=100000`)).text);
    const total = (await api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&ip=${ip}&pageSize=1`)).total;
    expect(filtered).toHaveLength(total);
    expect(filtered.every((r) => r.srcIp === ip || r.dstIp === ip)).toBe(true);
    expect(parseCsv((await api.call('GET', `/api/v1/threats/export?${dayQuery}&limit=1001`)).text)).toHaveLength(1001);
    const none = await api.call('GET', `/api/v1/threats/export?${dayQuery}&ip=203.0.113.9`);
    expect(none.text.split('\r\n')).toEqual([expect.stringMatching(/^id,dataType,timestamp,/), '']);
    expect((await api.call<Threat[]>('GET', `/api/v1/threats/export?${dayQuery}&ip=203.0.113.9&format=json`)).body).toEqual([]);
    expect((await api.call('GET', `/api/v1/threats/export?${dayQuery}&limit=100001`)).status).toBe(400);
  });

  it('leaves out what an active allowlist entry hides, unless asked to include it', async () => {
    const entry = await api.call<AllowlistEntry>('POST', '/api/v1/allowlist', { dataType: 'dns', match: { srcIp: '192.168.1.122' }, author: 'ana', reason: 'NetBIOS chatter of the lab printer' });
    expect(entry.status).toBe(201);
    const rows = parseCsv((await api.call('GET', `/api/v1/threats/export?${dayQuery}&limit=100000`)).text);
    expect(rows).toHaveLength(SUSPICIOUS - entry.body.suppressed);
    expect(rows.some((r) => r.srcIp === '192.168.1.122')).toBe(false);
    const everything = parseCsv((await api.call('GET', `/api/v1/threats/export?${dayQuery}&limit=100000&includeSuppressed=true`)).text);
    expect(everything).toHaveLength(SUSPICIOUS);
  });
});
