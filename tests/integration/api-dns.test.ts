import path from 'node:path';
import type { FeedbackResponse, IngestSummaryResponse, InvestigationResponse, NetworkResponse, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { ApiHarness, parseCsv, windowQuery } from './api-http.fixture';
import { REPO } from './scoring.fixture';

/**
 * DNS end to end through the HTTP API: a real Zeek dns.log (Stratosphere scenario 009, a day of a Windows host and
 * its neighbours, times relative to the epoch) ingested, its day scored, then the threat list, export, network
 * view, investigation and ingest summary read back.
 */

const DNS_LOG = path.join(REPO, '..', 'shared', 'data', 'stratosphere-zeek-labeled', 'security-datasets-for-testing', '009-zeek-malicious', 'data', 'dns.log.labeled.gz');
const DAY = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-02T00:00:00.000Z' };
const FIRST_HOUR = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T01:00:00.000Z' };
const SENSOR = 'lab-resolver';
/** An iodine tunnel capture of 2010-08-21, decoded through tshark, from a second sensor. */
const TUNNEL_PCAP = path.join(REPO, '..', 'shared', 'data', 'dns-tunnel-netrack', 'iodine_elastic-examples.pcap.gz');
const TUNNEL_DAY = { from: '2010-08-21T00:00:00.000Z', to: '2010-08-22T00:00:00.000Z' };
const TUNNEL_SENSOR = 'tunnel-tap';

const api = new ApiHarness('api-dns', { SPOTHREAT_MAXRESULTS: '200' });
const dayQuery = windowQuery('dns', DAY);
let indexed = 0;
let tunnelIndexed = 0;

async function threats(extra: string): Promise<ThreatsResponse> {
  return api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=500${extra}`);
}

beforeAll(async () => {
  indexed = await api.ingest('dns', 'zeek', [DNS_LOG], SENSOR);
  tunnelIndexed = await api.ingest('dns', 'pcap', [TUNNEL_PCAP], TUNNEL_SENSOR);
  await api.start();
  await api.score('dns', DAY);
  await api.score('dns', TUNNEL_DAY);
});

afterAll(async () => {
  await api.stop();
});

describe('DNS threats', () => {
  let all: Threat[];

  it('lists the scored day ranked, each row a DNS query with its names and codes', async () => {
    const listed = await threats('');
    all = listed.items;
    expect(listed.total).toBe(200);
    expect(all.map((t) => t.rank)).toEqual(Array.from({ length: 200 }, (_v, i) => i + 1));
    for (const threat of all) {
      expect(threat).toMatchObject({ dataType: 'dns', dnsQuery: expect.any(String), srcIp: expect.any(String), windowFrom: DAY.from, windowTo: DAY.to });
      expect(threat.score).toBeGreaterThanOrEqual(0);
      expect(threat.score).toBeLessThanOrEqual(1);
    }
    expect(all.some((t) => t.dnsQtypeName !== undefined)).toBe(true);
  });

  it('pages without overlap and sorts by score and time both ways', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => api.get<ThreatsResponse>(`/api/v1/threats?${dayQuery}&pageSize=70&page=${page}`)));
    expect(pages.map((p) => p.items.length)).toEqual([70, 70, 60]);
    expect(pages.flatMap((p) => p.items.map((t) => t.id))).toEqual(all.map((t) => t.id));
    const byScore = (await threats('&sort=score')).items.map((t) => t.score);
    expect(byScore).toEqual([...byScore].sort((a, b) => a - b));
    const byScoreDesc = (await threats('&sort=-score')).items.map((t) => t.score);
    expect(byScoreDesc).toEqual([...byScore].reverse());
    const byTime = (await threats('&sort=timestamp')).items.map((t) => t.timestamp);
    expect(byTime).toEqual([...byTime].sort());
    const byTimeDesc = (await threats('&sort=-timestamp')).items.map((t) => t.timestamp);
    expect(byTimeDesc).toEqual([...byTime].sort().reverse());
  });

  it('filters by a domain substring in any case, by client IP and by a score range', async () => {
    const name = all[0].dnsQuery!;
    const part = name.split('.').sort((a, b) => b.length - a.length)[0].toUpperCase();
    const byDomain = await threats(`&domain=${encodeURIComponent(part)}`);
    expect(byDomain.items.map((t) => t.id)).toEqual(all.filter((t) => t.dnsQuery!.toUpperCase().includes(part)).map((t) => t.id));

    const ip = all[0].srcIp;
    const byIp = await threats(`&ip=${ip}`);
    expect(byIp.items.map((t) => t.id)).toEqual(all.filter((t) => t.srcIp === ip || t.dstIp === ip).map((t) => t.id));

    const scores = all.map((t) => t.score).sort((a, b) => a - b);
    const [low, high] = [scores[20], scores[120]];
    const inRange = await threats(`&minScore=${low}&maxScore=${high}`);
    expect(inRange.items.length).toBeGreaterThan(0);
    expect(inRange.items.map((t) => t.id).sort()).toEqual(all.filter((t) => t.score >= low && t.score <= high).map((t) => t.id).sort());
    expect((await call400(`&minScore=2`)).status).toBe(400);
  });

  it('finds the iodine tunnel names by their heuristic tag, and only tagged events', async () => {
    const tunnelQuery = windowQuery('dns', TUNNEL_DAY);
    const everything = await api.get<ThreatsResponse>(`/api/v1/threats?${tunnelQuery}&pageSize=500`);
    const tagged = await api.get<ThreatsResponse>(`/api/v1/threats?${tunnelQuery}&pageSize=500&tag=long-random-subdomain`);
    expect(tagged.total).toBeGreaterThan(0);
    expect(tagged.items.map((t) => t.id)).toEqual(everything.items.filter((t) => t.heuristics.includes('long-random-subdomain')).map((t) => t.id));
    expect(tagged.items.every((t) => t.dnsQuery!.endsWith('.pirate.sea') && /subdomain of \d+ characters/.test(t.explanation))).toBe(true);
    const byDomain = await api.get<ThreatsResponse>(`/api/v1/threats?${tunnelQuery}&pageSize=500&domain=PIRATE.SEA&tag=long-random-subdomain`);
    expect(byDomain.total).toBe(tagged.total);
    const elsewhere = await api.get<ThreatsResponse>(`/api/v1/threats?${tunnelQuery}&pageSize=500&domain=msftncsi&tag=long-random-subdomain`);
    expect(elsewhere.total).toBe(0);
    expect((await api.get<ThreatsResponse>(`/api/v1/threats?${tunnelQuery}&tag=port-scan`)).total).toBe(0);
  });

  it('splits the list into rated and unrated once an analyst rates an event', async () => {
    const rated = await api.call<FeedbackResponse>('POST', '/api/v1/feedback', { dataType: 'dns', threatId: all[1].id, rating: 2, author: 'ana' });
    expect(rated.status).toBe(201);
    expect(rated.body.retrainJob).toBeUndefined();
    const onlyRated = await threats('&rated=true');
    expect(onlyRated.items.map((t) => t.id)).toEqual([all[1].id]);
    expect(onlyRated.items[0]).toMatchObject({ rating: 2, ratedBy: 'ana' });
    const unrated = await threats('&rated=false');
    expect(unrated.total).toBe(199);
    expect(unrated.items.some((t) => t.id === all[1].id)).toBe(false);
    expect((await threats('&severity=2')).items.map((t) => t.id)).toEqual([all[1].id]);
    const feedback = await api.get<{ items: { threatId: string; domain?: string; srcIp: string; words: string[]; eventTimestamp: string }[] }>('/api/v1/feedback?type=dns');
    expect(feedback.items).toEqual([
      expect.objectContaining({ threatId: all[1].id, domain: all[1].dnsQuery, srcIp: all[1].srcIp, words: all[1].words, eventTimestamp: all[1].timestamp }),
    ]);
  });

  it('exports the filtered list as CSV and JSON with the same rows', async () => {
    const ip = all[0].srcIp;
    const csv = await api.call('GET', `/api/v1/threats/export?${dayQuery}&ip=${ip}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="spothreat-dns-1970-01-01\.csv"/);
    const rows = parseCsv(csv.text);
    const expected = all.filter((t) => t.srcIp === ip || t.dstIp === ip);
    expect(rows.map((r) => r.id)).toEqual(expected.map((t) => t.id));
    expect(rows.map((r) => r.dnsQuery)).toEqual(expected.map((t) => t.dnsQuery));
    expect(rows[0].words).toBe(expected[0].words.join('|'));
    const json = await api.call<Threat[]>('GET', `/api/v1/threats/export?${dayQuery}&ip=${ip}&format=json`);
    expect(json.body.map((t) => t.id)).toEqual(expected.map((t) => t.id));
  });
});

describe('DNS network view', () => {
  it('links each client to the names it asked for, query names (lower case) as domain nodes', async () => {
    const graph = await api.get<NetworkResponse>(`/api/v1/network?${dayQuery}&limit=100`);
    const top = (await threats('')).items.slice(0, 100);
    const names = new Set(top.map((t) => t.dnsQuery!.toLowerCase()));
    const clients = new Set(top.map((t) => t.srcIp));
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const name of names) expect(nodes.get(name)?.detail__kind).toBe('domain');
    for (const client of clients) expect(['internal', 'external']).toContain(nodes.get(client)?.detail__kind);
    const edges = new Set(graph.edges.map((e) => `${e.source}->${e.target}`));
    expect(edges).toEqual(new Set(top.map((t) => `${t.srcIp}->${t.dnsQuery!.toLowerCase()}`)));
    expect(graph.edges.reduce((n, e) => n + e.mainstat, 0)).toBe(100);
    for (const node of graph.nodes) expect(node.arc__rated_threat + node.arc__rated_benign + node.arc__unrated).toBeCloseTo(1, 9);
  });
});

describe('DNS investigation', () => {
  it('gives the names an IP asked for over the raw events, most asked first', async () => {
    // The host that asked for the most distinct names (19) in the capture.
    const ip = '192.168.1.115';
    const found = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&ip=${ip}&top=10`);
    expect(found.events).toBeGreaterThan(0);
    const names = found.namesForIp!;
    expect(names.length).toBe(10);
    const counts = names.map((n) => n.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const raw = await api.client.count({
      index: `${api.scope.prefix}raw-dns-*`,
      body: { query: { bool: { filter: [{ term: { 'source.ip': ip } }, { term: { 'dns.question.name': names[0].value } }] } } },
    });
    expect(names[0].count).toBe(raw.body.count);
  });

  it('gives the clients that asked for a domain and the addresses it resolved to', async () => {
    const found = await api.get<InvestigationResponse>(`/api/v1/investigation?${dayQuery}&domain=msftncsi.com`);
    expect(found.events).toBeGreaterThan(0);
    expect(found.ipsForName!.map((c) => c.value)).toContain('192.168.1.113');
    expect(found.topPeersByConnections.map((p) => p.ip)).toEqual(found.ipsForName!.map((c) => c.value));
    expect(found.ipsForName!.reduce((n, c) => n + c.count, 0)).toBe(found.events);
    expect(found.answersForName!.map((c) => c.value)).toEqual(expect.arrayContaining(['195.113.232.73']));
    expect(found.topPeersByConnections[0]).toMatchObject({ internal: true });
  });

  it('refuses an investigation with no anchor or two of them', async () => {
    expect((await api.call('GET', `/api/v1/investigation?${dayQuery}`)).status).toBe(400);
    expect((await api.call('GET', `/api/v1/investigation?${dayQuery}&ip=192.168.1.113&domain=msftncsi.com`)).status).toBe(400);
  });
});

describe('DNS ingest summary', () => {
  it('counts every ingested query per minute under its sensor and data type', async () => {
    const summary = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${DAY.from}&to=${DAY.to}&type=dns`);
    expect(summary.totals).toEqual([{ dataType: 'dns', source: SENSOR, count: indexed }]);
    expect(summary.points.reduce((n, p) => n + p.count, 0)).toBe(indexed);
    expect(summary.points.every((p) => p.dataType === 'dns' && p.source === SENSOR && p.minute.endsWith(':00.000Z'))).toBe(true);
    const minutes = summary.points.map((p) => p.minute);
    expect(minutes).toEqual([...minutes].sort());
    const firstHour = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${FIRST_HOUR.from}&to=${FIRST_HOUR.to}&source=${SENSOR}`);
    expect(firstHour.points.every((p) => p.minute < FIRST_HOUR.to)).toBe(true);
    expect(firstHour.totals[0].count).toBeLessThan(indexed);
    const otherSensor = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${DAY.from}&to=${DAY.to}&source=elsewhere`);
    expect(otherSensor.points).toEqual([]);
  });

  it('keeps each sensor apart over a range that holds both', async () => {
    const both = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${DAY.from}&to=${TUNNEL_DAY.to}`);
    const totals = Object.fromEntries(both.totals.map((t) => [`${t.dataType}/${t.source}`, t.count]));
    expect(totals).toEqual({ [`dns/${SENSOR}`]: indexed, [`dns/${TUNNEL_SENSOR}`]: tunnelIndexed });
    const tunnelMinutes = both.points.filter((p) => p.source === TUNNEL_SENSOR);
    expect(tunnelMinutes.every((p) => p.minute >= TUNNEL_DAY.from && p.minute < TUNNEL_DAY.to)).toBe(true);
    expect(tunnelMinutes.reduce((n, p) => n + p.count, 0)).toBe(tunnelIndexed);
  });
});

describe('DNS enrichment jobs', () => {
  // The contract has no route that creates an enrichment job (workers and the CLI do); the jobs routes read it.
  it('shows a queued re-enrichment of the day through the jobs routes', async () => {
    const queued = await api.queues.enqueueEnrich({ dataType: 'dns', window: DAY });
    const job = await api.get<{ queue: string; state: string; data: { dataType: string; from?: string; to?: string } }>(`/api/v1/jobs/enrich/${queued.id}`);
    expect(job).toMatchObject({ queue: 'enrich', data: { dataType: 'dns' } });
    expect(['waiting', 'prioritized', 'delayed']).toContain(job.state);
    const listed = await api.get<{ items: { id: string }[]; counts: Record<string, number> }>('/api/v1/jobs?queue=enrich');
    expect(listed.items.map((j) => j.id)).toContain(queued.id);
    expect(listed.counts.waiting + (listed.counts.prioritized ?? 0)).toBeGreaterThanOrEqual(1);
    expect((await api.call('GET', '/api/v1/jobs/enrich/no-such-job')).status).toBe(404);
  });
});

describe('overlapping DNS windows', () => {
  it('lists each event once when its hour was scored after its day', async () => {
    await api.score('dns', FIRST_HOUR, 'latest');
    const listed = await threats('');
    const rawIds = listed.items.map((t) => t.rawId);
    expect(new Set(rawIds).size).toBe(rawIds.length);
    expect(listed.total).toBe(listed.items.length);
    const hourRows = listed.items.filter((t) => t.windowFrom === FIRST_HOUR.from && t.windowTo === FIRST_HOUR.to);
    expect(hourRows.length).toBeGreaterThan(0);
    // The hour is the later run: the day's rows inside that hour give way to it.
    const dayRowsInHour = listed.items.filter((t) => t.windowTo === DAY.to && t.timestamp < FIRST_HOUR.to);
    expect(dayRowsInHour).toEqual([]);
    // Only the hour is asked for: its own run, not the day's rows in it.
    const hourOnly = await api.get<ThreatsResponse>(`/api/v1/threats?${windowQuery('dns', FIRST_HOUR)}&pageSize=500`);
    expect(hourOnly.items.every((t) => t.windowTo === FIRST_HOUR.to)).toBe(true);
    expect(hourOnly.total).toBe(hourRows.length);
  });

  it('shows the whole day again once the day is scored after its hour', async () => {
    await api.score('dns', DAY, 'latest');
    const listed = await threats('');
    expect(listed.total).toBe(200);
    expect(listed.items.every((t) => t.windowFrom === DAY.from && t.windowTo === DAY.to)).toBe(true);
    expect(new Set(listed.items.map((t) => t.rawId)).size).toBe(200);
  });
});

async function call400(extra: string) {
  return api.call('GET', `/api/v1/threats?${dayQuery}${extra}`);
}
