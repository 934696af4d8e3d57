import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IngestSummaryResponse, InvestigationResponse, NetworkResponse, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { writeDemoDay, type WrittenDemoDay } from '../../scorer-service/src/demo/generator/files';
import { ApiHarness, windowQuery } from './api-http.fixture';
import { demoActor, demoDayWindow } from './demo.fixture';

/**
 * The generated demo day (DNS as Zeek dns.log, proxy as Squid access.log) through the API: its DNS tunnel and DGA
 * host found by their heuristic tags, and the beaconing implant's HTTPS check-ins found by domain, investigated by
 * URI and domain, and linked to their host in the network view. Squid logs absolute URLs, unlike Zeek.
 */

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-api-demo-'));
const api = new ApiHarness('api-demo', { SPOTHREAT_MAXRESULTS: '5000' });
let demo: WrittenDemoDay;
let dayWindow: { from: string; to: string };
const indexed: Record<string, number> = {};

function actor(attack: string, role: string): string {
  return demoActor(demo, attack, role);
}

function all(dataType: 'dns' | 'proxy', extra = ''): Promise<Threat[]> {
  return api.exportedThreats(dataType, dayWindow, extra);
}

beforeAll(async () => {
  demo = writeDemoDay(outDir, { events: 20_000, proxyFormat: 'squid' });
  dayWindow = demoDayWindow(demo);
  indexed.dns = await api.ingest('dns', 'zeek', demo.paths.dns, 'demo-resolver');
  indexed.proxy = await api.ingest('proxy', 'squid', demo.paths.proxy, 'demo-proxy');
  await api.start();
  await api.score('dns', dayWindow);
  await api.score('proxy', dayWindow);
});

afterAll(async () => {
  await api.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('DNS attacks of the demo day by heuristic tag', () => {
  it('tags the tunnel queries dns-tunnelling, and the filter returns exactly the tagged events', async () => {
    const victim = actor('dns-tunnelling', 'victim');
    const zone = actor('dns-tunnelling', 'zone');
    const everything = await all('dns');
    const tagged = await all('dns', '&tag=dns-tunnelling');
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.map((t) => t.id).sort()).toEqual(everything.filter((t) => t.heuristics.includes('dns-tunnelling')).map((t) => t.id).sort());
    expect(tagged.every((t) => t.srcIp === victim && t.dnsQuery!.endsWith(zone))).toBe(true);
    const listed = await api.get<ThreatsResponse>(`/api/v1/threats?${windowQuery('dns', dayWindow)}&tag=dns-tunnelling&ip=${victim}&pageSize=1`);
    expect(listed.total).toBe(tagged.length);
  });

  it('tags the DGA bursts dga, from the infected host only', async () => {
    const victim = actor('dga', 'victim');
    const tagged = await all('dns', '&tag=dga');
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((t) => t.srcIp === victim)).toBe(true);
    expect(tagged.some((t) => t.dnsRcodeName === 'NXDOMAIN')).toBe(true);
  });

  it('investigates the tunnel zone: the one client that asked and the names it asked for', async () => {
    const victim = actor('dns-tunnelling', 'victim');
    const zone = actor('dns-tunnelling', 'zone');
    const byZone = await api.get<InvestigationResponse>(`/api/v1/investigation?${windowQuery('dns', dayWindow)}&domain=${zone}`);
    expect(byZone.ipsForName).toEqual([{ value: victim, count: byZone.events }]);
    const byVictim = await api.get<InvestigationResponse>(`/api/v1/investigation?${windowQuery('dns', dayWindow)}&ip=${victim}&top=500`);
    const zoneNames = byVictim.namesForIp!.filter((n) => n.value.endsWith(zone));
    expect(zoneNames.reduce((n, c) => n + c.count, 0)).toBe(byZone.events);
  });
});

describe('the beaconing implant in the Squid log', () => {
  it('finds every check-in by the C2 domain, all from the implant, with absolute URLs', async () => {
    const victim = actor('beaconing-c2', 'victim');
    const c2Domain = actor('beaconing-c2', 'c2_domain');
    const checkIns = await all('proxy', `&domain=${c2Domain}`);
    const labelled = fs
      .readFileSync(demo.paths.labels, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"data_type":"proxy"') && line.includes('"attack":"beaconing-c2"')).length;
    expect(checkIns).toHaveLength(labelled);
    expect(checkIns.every((t) => t.srcIp === victim && t.host === c2Domain && t.url!.startsWith(`https://${c2Domain}/`))).toBe(true);
  });

  it('links the implant to the C2 host in the network view', async () => {
    const victim = actor('beaconing-c2', 'victim');
    const c2Domain = actor('beaconing-c2', 'c2_domain');
    const graph = await api.get<NetworkResponse>(`/api/v1/network?${windowQuery('proxy', dayWindow)}&domain=${c2Domain}`);
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([[victim, c2Domain]]);
    expect(graph.nodes.find((n) => n.id === c2Domain)).toMatchObject({ detail__kind: 'domain', color: 'purple' });
  });

  it('places the C2 server on the geo map with one count per check-in', async () => {
    const c2 = actor('beaconing-c2', 'c2');
    const c2Domain = actor('beaconing-c2', 'c2_domain');
    const checkIns = await all('proxy', `&domain=${c2Domain}`);
    const geo = await api.get<{ points: { ip: string; count: number; minScore: number; lat: number; lon: number }[] }>(`/api/v1/geo?${windowQuery('proxy', dayWindow)}&domain=${c2Domain}`);
    const server = geo.points.find((p) => p.ip === c2)!;
    expect(server).toMatchObject({ count: checkIns.length, lat: expect.any(Number), lon: expect.any(Number) });
    expect(server.minScore).toBe(Math.min(...checkIns.map((t) => t.score)));
    // The implant's private address has no location.
    expect(geo.points.map((p) => p.ip)).toEqual([c2]);
  });

  it('investigates a check-in URL and the C2 domain over the raw requests', async () => {
    const victim = actor('beaconing-c2', 'victim');
    const c2Domain = actor('beaconing-c2', 'c2_domain');
    const [first] = await all('proxy', `&domain=${c2Domain}`);
    const byUri = await api.get<InvestigationResponse>(`/api/v1/investigation?${windowQuery('proxy', dayWindow)}&uri=${encodeURIComponent(first.url!)}`);
    expect(byUri.topPeersByConnections.map((p) => p.ip)).toEqual([victim]);
    expect(byUri.uris).toEqual([{ value: first.url, count: byUri.events }]);
    const byDomain = await api.get<InvestigationResponse>(`/api/v1/investigation?${windowQuery('proxy', dayWindow)}&domain=${c2Domain}`);
    expect(byDomain.topPeersByConnections).toEqual([expect.objectContaining({ ip: victim, connections: byDomain.events, internal: true })]);
    expect(byDomain.uris!.reduce((n, u) => n + u.count, 0)).toBe(byDomain.events);
  });
});

describe('ingest summary of the demo day', () => {
  it('counts each data type under its own source, per minute', async () => {
    const summary = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${dayWindow.from}&to=${dayWindow.to}`);
    const totals = Object.fromEntries(summary.totals.map((t) => [`${t.dataType}/${t.source}`, t.count]));
    expect(totals).toEqual({ 'dns/demo-resolver': indexed.dns, 'proxy/demo-proxy': indexed.proxy });
    expect(indexed.dns).toBe(demo.counts.dns);
    expect(indexed.proxy).toBe(demo.counts.proxy);
    for (const dataType of ['dns', 'proxy'] as const) {
      const points = summary.points.filter((p) => p.dataType === dataType);
      expect(points.reduce((n, p) => n + p.count, 0)).toBe(indexed[dataType]);
      expect(new Set(points.map((p) => p.minute)).size).toBe(points.length);
    }
    const proxyOnly = await api.get<IngestSummaryResponse>(`/api/v1/ingest/summary?from=${dayWindow.from}&to=${dayWindow.to}&type=proxy`);
    expect(proxyOnly.totals).toEqual([{ dataType: 'proxy', source: 'demo-proxy', count: indexed.proxy }]);
  });
});
