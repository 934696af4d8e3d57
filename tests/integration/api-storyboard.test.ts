import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InvestigationResponse, StoryboardAnalysisResponse, StoryboardEntry } from '../../scorer-service/src/api/contract';
import { ApiHarness, windowQuery } from './api-http.fixture';
import { DAY as CAPTURE_DAY, NFDUMP_CSV, REPO } from './scoring.fixture';

/**
 * The storyboard on real flows: the analyst's title and summary saved and read back, and the incident progression,
 * impact analysis, geo points and timeline of an anchor IP. Two captures give every direction:
 * - Stratosphere scenario 005's Zeek conn.log (one record per connection, times relative to the epoch): the infected
 *   host 192.168.1.116 opens connections to 20 peers (outbound), and only the router 192.168.1.2 sends to it
 *   (inbound, one ICMP message);
 * - the CTU nfdump export (one record per direction): every peer of 147.32.82.62 is seen both ways (two-way).
 */

const CONN_LOG = path.join(REPO, '..', 'shared', 'data', 'stratosphere-zeek-labeled', 'security-datasets-for-testing', '005-zeek-scenario-malicious', 'conn.log.gz');
const CONN_DAY = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-02T00:00:00.000Z' };
const INFECTED = '192.168.1.116';
const ROUTER = '192.168.1.2';
const CAPTURE_HOST = '147.32.82.62';
const CAPTURE_PEER = '147.32.80.119';

const contextDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-storyboard-'));
const contextFile = path.join(contextDir, 'network-context.csv');
fs.writeFileSync(contextFile, ['192.168.1.0/24,Lab LAN', `${ROUTER},Lab VPN gateway`, '147.32.80.0/24,Campus DMZ', ''].join('\n'));

const api = new ApiHarness('api-storyboard', {
  SPOTHREAT_NETWORK_CONTEXT: contextFile,
  SPOTHREAT_INTERNAL_RANGES: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,147.32.0.0/16',
});
const connQuery = windowQuery('flow', CONN_DAY);
const captureQuery = windowQuery('flow', CAPTURE_DAY);

beforeAll(async () => {
  await api.ingest('flow', 'zeek', [CONN_LOG], 'lab-tap');
  await api.ingest('flow', 'nfdump-csv', [NFDUMP_CSV], 'campus-collector');
  await api.start();
});

afterAll(async () => {
  await api.stop();
  fs.rmSync(contextDir, { recursive: true, force: true });
});

describe('storyboard text', () => {
  const story = { dataType: 'flow', anchor: { ip: INFECTED }, from: CONN_DAY.from, to: CONN_DAY.to, author: 'ana' };
  let first: StoryboardEntry;

  it('saves the title and summary of an anchor and window and reads them back', async () => {
    const saved = await api.call<StoryboardEntry>('PUT', '/api/v1/storyboard', { ...story, title: 'Simda polling', summary: 'The host polls /login.php on generated domains.' });
    expect(saved.status).toBe(200);
    first = saved.body;
    expect(first).toMatchObject({ ...story, title: 'Simda polling', summary: 'The host polls /login.php on generated domains.', id: expect.any(String) });
    expect(first.createdAt).toBe(first.updatedAt);
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${INFECTED}`);
    expect(analysis.story).toEqual(first);
  });

  it('updates the same story on a second save, keeping when it was created', async () => {
    const again = await api.call<StoryboardEntry>('PUT', '/api/v1/storyboard', { ...story, title: 'Simda C&C polling', summary: 'Confirmed: 200 generated domains.', author: 'ben' });
    expect(again.body).toMatchObject({ id: first.id, createdAt: first.createdAt, title: 'Simda C&C polling', author: 'ben' });
    expect(again.body.updatedAt >= first.updatedAt).toBe(true);
    const listed = await api.get<{ items: StoryboardEntry[]; total: number }>(`/api/v1/storyboard?from=${CONN_DAY.from}&to=${CONN_DAY.to}&type=flow`);
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toEqual(again.body);
    const audit = await api.get<{ items: { action: string; actor: string; target: string }[] }>('/api/v1/audit?action=storyboard.save');
    expect(audit.items.map((a) => [a.actor, a.target])).toEqual([
      ['ben', first.id],
      ['ana', first.id],
    ]);
  });

  it('keeps stories of other windows and anchors apart, and lists the briefings of a range', async () => {
    const hour = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T01:00:00.000Z' };
    const other = await api.call<StoryboardEntry>('PUT', '/api/v1/storyboard', { ...story, ...hour, title: 'First hour', summary: 'Start of the polling.' });
    expect(other.body.id).not.toBe(first.id);
    const capture = await api.call<StoryboardEntry>('PUT', '/api/v1/storyboard', { ...story, anchor: { ip: CAPTURE_HOST }, ...CAPTURE_DAY, title: 'Campus host', summary: 'Two-way traffic with one peer.' });
    expect(capture.status).toBe(200);
    const ofHour = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${windowQuery('flow', hour)}&ip=${INFECTED}`);
    expect(ofHour.story?.title).toBe('First hour');
    const ofRouter = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${ROUTER}`);
    expect(ofRouter.story).toBeUndefined();
    const connBriefings = await api.get<{ items: StoryboardEntry[] }>(`/api/v1/storyboard?from=${CONN_DAY.from}&to=${CONN_DAY.to}`);
    expect(connBriefings.items.map((s) => s.title).sort()).toEqual(['First hour', 'Simda C&C polling']);
    const everything = await api.get<{ total: number }>(`/api/v1/storyboard?from=${CONN_DAY.from}&to=${CAPTURE_DAY.to}&pageSize=1`);
    expect(everything.total).toBe(3);
    expect((await api.get<{ total: number }>(`/api/v1/storyboard?from=${CONN_DAY.from}&to=${CAPTURE_DAY.to}&type=dns`)).total).toBe(0);
  });

  it('refuses a story without a title, with a backwards window or with two anchors', async () => {
    expect((await api.call('PUT', '/api/v1/storyboard', { ...story, summary: 'x' })).status).toBe(400);
    expect((await api.call('PUT', '/api/v1/storyboard', { ...story, from: CONN_DAY.to, to: CONN_DAY.from, title: 't', summary: 's' })).status).toBe(400);
    expect((await api.call('PUT', '/api/v1/storyboard', { ...story, anchor: { ip: INFECTED, domain: 'example.com' }, title: 't', summary: 's' })).status).toBe(400);
  });
});

describe('incident progression and impact', () => {
  it('splits the peers of the infected host into inbound (the router) and outbound (what it contacted)', async () => {
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${INFECTED}&top=100`);
    const byDirection = Object.fromEntries(analysis.progression.map((g) => [g.direction, g]));
    expect(analysis.progression.map((g) => g.direction)).toEqual(['inbound', 'outbound', 'two-way']);
    expect(byDirection.inbound.count).toBe(1);
    expect(byDirection.inbound.contexts).toEqual([{ name: 'Lab VPN gateway', count: 1, ips: [ROUTER] }]);
    expect(byDirection.outbound.count).toBe(20);
    const outboundIps = byDirection.outbound.contexts.flatMap((c) => c.ips);
    expect(outboundIps).toEqual(expect.arrayContaining(['8.8.8.8', '104.239.157.210', '192.168.1.255']));
    const external = byDirection.outbound.contexts.find((c) => c.name === 'external')!;
    expect(external.ips).toContain('8.8.8.8');
    expect(byDirection.outbound.contexts.find((c) => c.name === 'Lab LAN')?.ips).toEqual(['192.168.1.255']);
    expect(byDirection['two-way'].count).toBe(0);

    expect(analysis.impact).toMatchObject({ inbound: 1, outbound: 20, twoWay: 0 });
    const categories = Object.fromEntries(analysis.impact.byCategory.map((c) => [c.category, c.count]));
    expect(categories.VPN).toBe(1);
    expect(categories.external).toBe(external.count);
    expect(analysis.impact.byCategory.reduce((n, c) => n + c.count, 0)).toBe(21);
  });

  it('counts every peer in the progression and impact whatever the length of the top lists', async () => {
    // With the default top of 20, the quiet router (one ICMP message) is neither among the top peers by connections
    // nor by bytes; it is still an inbound peer of the incident.
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${INFECTED}&top=5`);
    expect(analysis.impact).toMatchObject({ inbound: 1, outbound: 20, twoWay: 0 });
    expect(analysis.progression[0].contexts).toEqual([{ name: 'Lab VPN gateway', count: 1, ips: [ROUTER] }]);
  });

  it('finds every peer of the campus host two-way, named by its network context', async () => {
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${captureQuery}&ip=${CAPTURE_HOST}&top=100`);
    const [inbound, outbound, twoWay] = analysis.progression;
    expect(inbound.count + outbound.count).toBe(0);
    expect(twoWay.count).toBeGreaterThan(0);
    const dmz = twoWay.contexts.find((c) => c.name === 'Campus DMZ')!;
    expect(dmz.ips).toContain(CAPTURE_PEER);
    expect(analysis.impact.twoWay).toBe(twoWay.count);
    expect(analysis.impact.byCategory.find((c) => c.category === 'DMZ')!.count).toBeGreaterThanOrEqual(dmz.count);
    expect(analysis.story?.title).toBe('Campus host');
  });

  it('agrees with the investigation of the same anchor', async () => {
    const found = await api.get<InvestigationResponse>(`/api/v1/investigation?${connQuery}&ip=${INFECTED}&top=100`);
    const peers = new Map(found.topPeersByConnections.map((p) => [p.ip, p]));
    expect(peers.size).toBe(21);
    expect(peers.get(ROUTER)).toMatchObject({ direction: 'inbound', connections: 1, internal: true, context: 'Lab VPN gateway' });
    expect(peers.get('104.239.157.210')).toMatchObject({ direction: 'outbound', connections: 103, internal: false });
    const byBytes = found.topPeersByBytes.map((p) => p.bytes);
    expect(byBytes).toEqual([...byBytes].sort((a, b) => b - a));
    expect(found.events).toBe(found.topPeersByConnections.reduce((n, p) => n + p.connections, 0));
    expect(found.pairs!.every((p) => p.srcIp === INFECTED || p.dstIp === INFECTED)).toBe(true);
  });

  it('refuses a flow investigation or analysis around a domain or URI with 400', async () => {
    for (const route of ['investigation', 'storyboard/analysis']) {
      const byDomain = await api.call<{ message: string }>('GET', `/api/v1/${route}?${connQuery}&domain=example.com`);
      expect(byDomain.status).toBe(400);
      expect(byDomain.body.message).toMatch(/needs an ip/);
      expect((await api.call('GET', `/api/v1/${route}?${connQuery}&uri=${encodeURIComponent('/login.php')}`)).status).toBe(400);
    }
  });
});

describe('geo and timeline', () => {
  it('places the located peers with their direction relative to the anchor', async () => {
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${INFECTED}&top=100`);
    expect(analysis.geo.length).toBeGreaterThan(0);
    const google = analysis.geo.find((p) => p.ip === '8.8.8.8')!;
    expect(google).toMatchObject({ direction: 'outbound', count: 71, lat: expect.any(Number), lon: expect.any(Number) });
    expect(analysis.geo.every((p) => p.direction === 'outbound')).toBe(true);
    // Private addresses have no location.
    expect(analysis.geo.some((p) => p.ip.startsWith('192.168.'))).toBe(false);
  });

  it('orders the timeline oldest first, each entry a conversation of the anchor within the window', async () => {
    const analysis = await api.get<StoryboardAnalysisResponse>(`/api/v1/storyboard/analysis?${connQuery}&ip=${INFECTED}`);
    const timeline = analysis.timeline;
    expect(timeline.length).toBeGreaterThan(0);
    expect(timeline.map((t) => t.start)).toEqual(timeline.map((t) => t.start).sort());
    for (const entry of timeline) {
      expect(entry.srcIp === INFECTED || entry.dstIp === INFECTED).toBe(true);
      expect(entry.start >= CONN_DAY.from && entry.end < CONN_DAY.to && entry.start <= entry.end).toBe(true);
      expect(entry.events).toBeGreaterThan(0);
    }
    const router = timeline.find((t) => t.srcIp === ROUTER)!;
    expect(router).toMatchObject({ dstIp: INFECTED, protocol: 'icmp', events: 1 });
    expect(timeline.reduce((n, t) => n + t.events, 0)).toBe(282);
  });
});
