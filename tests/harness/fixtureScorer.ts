/**
 * FIXTURE scorer: a small in-process stand-in for `spothreat serve`, answering the routes of docs/api.md from
 * made-up threats. The harness uses it only when no live scorer URL is configured; browser tests say which one
 * they ran against. Retraining jobs move waiting -> active -> completed on a clock, like BullMQ jobs would.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { DataType, JobView, Peer, StoryboardEntry, Threat } from '../../grafana-app/src/api/types';
import { threatsToGeoPoints, threatsToNetwork } from '../../grafana-app/src/frames/threatRows';
import { makeThreats } from '../../grafana-app/src/test/fixtures';

export const FIXTURE_DAY = Date.UTC(2026, 10, 20);
const DAY_MS = 86_400_000;
const JOB_ACTIVE_AFTER_MS = 600;
const JOB_DONE_AFTER_MS = 2500;

type Reply = { status: number; body?: unknown };

export function createFixtureScorer(token: string) {
  const threats: Record<DataType, Threat[]> = {
    flow: makeThreats(600, { dataType: 'flow', start: FIXTURE_DAY, seed: 1 }),
    dns: makeThreats(300, { dataType: 'dns', start: FIXTURE_DAY, seed: 2 }),
    proxy: makeThreats(300, { dataType: 'proxy', start: FIXTURE_DAY, seed: 3 }),
  };
  const jobs = new Map<string, { job: JobView; queuedAt: number }>();
  const stories = new Map<string, StoryboardEntry>();
  const firstFlow = threats.flow[0];
  stories.set('story-1', {
    id: 'story-1',
    dataType: 'flow',
    anchor: { ip: firstFlow.srcIp },
    from: new Date(FIXTURE_DAY).toISOString(),
    to: new Date(FIXTURE_DAY + DAY_MS).toISOString(),
    title: `Beaconing from ${firstFlow.srcIp}`,
    summary: 'A finance workstation opened short connections to hosts abroad every few minutes overnight. Two destinations are on a blocklist.',
    author: 'analyst',
    createdAt: new Date(FIXTURE_DAY + DAY_MS).toISOString(),
    updatedAt: new Date(FIXTURE_DAY + DAY_MS).toISOString(),
  });

  const jobView = (id: string): JobView | undefined => {
    const entry = jobs.get(id);
    if (!entry) {
      return undefined;
    }
    const age = Date.now() - entry.queuedAt;
    const state = age < JOB_ACTIVE_AFTER_MS ? 'waiting' : age < JOB_DONE_AFTER_MS ? 'active' : 'completed';
    return {
      ...entry.job,
      state,
      progress: state === 'completed' ? 100 : state === 'active' ? 50 : 0,
      startedAt: state === 'waiting' ? undefined : new Date(entry.queuedAt + JOB_ACTIVE_AFTER_MS).toISOString(),
      finishedAt: state === 'completed' ? new Date(entry.queuedAt + JOB_DONE_AFTER_MS).toISOString() : undefined,
      result: state === 'completed' ? { modelVersion: 4, feedbackRows: 1 } : undefined,
    };
  };

  const inWindow = (list: Threat[], q: URLSearchParams) => {
    const from = Number(q.get('from') ?? 0);
    const to = Number(q.get('to') ?? Number.MAX_SAFE_INTEGER);
    const ip = q.get('ip');
    const domain = q.get('domain')?.toLowerCase();
    const rated = q.get('rated');
    return list.filter((t) => {
      const time = Date.parse(t.timestamp);
      return (
        time >= from &&
        time < to &&
        (!ip || t.srcIp === ip || t.dstIp === ip) &&
        (!domain || [t.dnsQuery, t.url, t.domain].some((v) => v?.toLowerCase().includes(domain))) &&
        (rated === null || (rated === 'true') === (t.rating !== undefined))
      );
    });
  };

  const peersOf = (list: Threat[], anchor: string): Peer[] => {
    const peers = new Map<string, Peer>();
    for (const t of list) {
      const peer = t.srcIp === anchor ? t.dstIp : t.srcIp;
      if (!peer) {
        continue;
      }
      const seen = peers.get(peer) ?? { ip: peer, direction: t.srcIp === anchor ? 'outbound' : 'inbound', connections: 0, bytes: 0, packets: 0, firstSeen: t.timestamp, lastSeen: t.timestamp, internal: t.srcIp !== anchor, geo: t.srcIp === anchor ? t.dstGeo : t.srcGeo };
      seen.connections += 1;
      seen.bytes += (t.srcBytes ?? 0) + (t.dstBytes ?? 0);
      seen.packets += (t.srcPackets ?? 0) + (t.dstPackets ?? 0);
      seen.firstSeen = t.timestamp < seen.firstSeen ? t.timestamp : seen.firstSeen;
      seen.lastSeen = t.timestamp > seen.lastSeen ? t.timestamp : seen.lastSeen;
      peers.set(peer, seen);
    }
    return [...peers.values()];
  };

  const analysis = (type: DataType, q: URLSearchParams) => {
    const anchor = q.get('ip') ?? q.get('domain') ?? q.get('uri') ?? '';
    const related = inWindow(threats[type], q);
    const peers = peersOf(related, anchor);
    const group = (direction: Peer['direction']) => {
      const members = peers.filter((p) => p.direction === direction);
      const contexts = new Map<string, string[]>();
      members.forEach((p) => contexts.set(p.internal ? 'internal' : 'external', [...(contexts.get(p.internal ? 'internal' : 'external') ?? []), p.ip]));
      return { direction, count: members.length, contexts: [...contexts].map(([name, ips]) => ({ name, count: ips.length, ips })) };
    };
    return {
      dataType: type,
      anchor: { ip: q.get('ip') ?? undefined, domain: q.get('domain') ?? undefined, uri: q.get('uri') ?? undefined },
      progression: [group('inbound'), group('outbound'), group('two-way')],
      impact: {
        inbound: peers.filter((p) => p.direction === 'inbound').length,
        outbound: peers.filter((p) => p.direction === 'outbound').length,
        twoWay: peers.filter((p) => p.direction === 'two-way').length,
        byCategory: [
          { category: 'external', count: peers.filter((p) => !p.internal).length },
          { category: 'DMZ', count: peers.filter((p) => p.internal).length },
        ],
      },
      geo: threatsToGeoPoints(related).map((p) => ({ ...p, direction: 'outbound' as const })),
      timeline: related
        .map((t) => ({ start: t.timestamp, end: t.timestamp, srcIp: t.srcIp, dstIp: t.dstIp, dstPort: t.dstPort, protocol: t.protocol, events: 1, bytes: t.srcBytes }))
        .sort((a, b) => a.start.localeCompare(b.start)),
      story: [...stories.values()].find((s) => s.anchor.ip === anchor || s.anchor.domain === anchor || s.anchor.uri === anchor),
    };
  };

  function route(method: string, path: string, q: URLSearchParams, body: any): Reply {
    const type = (q.get('type') ?? 'flow') as DataType;
    const limit = Number(q.get('limit') ?? 250);
    if (method === 'GET' && path === 'health') {
      return { status: 200, body: { status: 'ok', opensearch: { ok: true, status: 'fixture' }, redis: { ok: true }, version: 'fixture' } };
    }
    if (method === 'GET' && path === 'threats') {
      const matching = inWindow(threats[type], q);
      const page = Number(q.get('page') ?? 1);
      const pageSize = Number(q.get('pageSize') ?? 50);
      return { status: 200, body: { items: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pageSize, suppressed: 0 } };
    }
    if (method === 'GET' && path === 'network') {
      return { status: 200, body: threatsToNetwork(inWindow(threats[type], q).slice(0, limit)) };
    }
    if (method === 'GET' && path === 'geo') {
      return { status: 200, body: { points: threatsToGeoPoints(inWindow(threats[type], q).slice(0, limit)) } };
    }
    if (method === 'POST' && path === 'feedback') {
      const threat = threats[body.dataType as DataType]?.find((t) => t.id === body.threatId);
      if (!threat) {
        return { status: 404, body: { statusCode: 404, error: 'Not Found', message: `no threat ${body.threatId}` } };
      }
      threat.rating = body.rating;
      threat.ratedBy = body.author;
      const feedback = { id: `fb-${threat.id}`, ...body, createdAt: new Date().toISOString(), eventTimestamp: threat.timestamp, srcIp: threat.srcIp, words: threat.words };
      if (body.rating !== 3) {
        return { status: 201, body: { feedback } };
      }
      const id = `fixture-retrain-${jobs.size + 1}`;
      jobs.set(id, {
        queuedAt: Date.now(),
        job: { id, queue: 'retrain', name: 'retrain', state: 'waiting', progress: 0, data: { dataType: threat.dataType }, attemptsMade: 0, createdAt: new Date().toISOString() },
      });
      return { status: 201, body: { feedback, retrainJob: { queue: 'retrain', id } } };
    }
    const job = path.match(/^jobs\/([a-z]+)\/(.+)$/);
    if (method === 'GET' && job) {
      const view = jobView(decodeURIComponent(job[2]));
      return view ? { status: 200, body: view } : { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'no such job' } };
    }
    if (method === 'GET' && path === 'jobs') {
      const items = [...jobs.keys()].map((id) => jobView(id)!).reverse();
      return { status: 200, body: { items, counts: { completed: items.filter((j) => j.state === 'completed').length } } };
    }
    if (method === 'GET' && path === 'investigation') {
      const anchor = q.get('ip') ?? q.get('domain') ?? q.get('uri') ?? '';
      const related = inWindow(threats[type], q);
      const peers = peersOf(related, anchor);
      return {
        status: 200,
        body: {
          dataType: type,
          anchor: { ip: q.get('ip') ?? undefined, domain: q.get('domain') ?? undefined },
          events: related.length * 17,
          topPeersByConnections: [...peers].sort((a, b) => b.connections - a.connections).slice(0, 20),
          topPeersByBytes: [...peers].sort((a, b) => b.bytes - a.bytes).slice(0, 20),
          pairs:
            type === 'flow'
              ? related.slice(0, 20).map((t) => ({ srcIp: t.srcIp, dstIp: t.dstIp!, srcPort: t.srcPort, dstPort: t.dstPort, protocol: t.protocol, firstSeen: t.timestamp, lastSeen: t.timestamp, connections: 3, maxBytes: t.srcBytes ?? 0, avgBytes: (t.srcBytes ?? 0) / 2, maxPackets: t.srcPackets ?? 0, avgPackets: (t.srcPackets ?? 0) / 2 }))
              : undefined,
          namesForIp: type === 'dns' ? related.slice(0, 20).map((t) => ({ value: t.dnsQuery!, count: 2 })) : undefined,
        },
      };
    }
    if (method === 'GET' && path === 'storyboard') {
      const items = [...stories.values()];
      return { status: 200, body: { items, total: items.length, page: 1, pageSize: 100 } };
    }
    if (method === 'PUT' && path === 'storyboard') {
      const id = `story-${stories.size + 1}`;
      const now = new Date().toISOString();
      const entry: StoryboardEntry = { id, ...body, createdAt: now, updatedAt: now };
      stories.set(id, entry);
      return { status: 200, body: entry };
    }
    if (method === 'GET' && path === 'storyboard/analysis') {
      return { status: 200, body: analysis(type, q) };
    }
    if (method === 'GET' && path === 'ingest/summary') {
      const from = Number(q.get('from'));
      const to = Number(q.get('to'));
      const points = [];
      // One point per ten minutes keeps a week of fixture data small; the shape is a daily wave per pipeline.
      for (let t = Math.ceil(from / 600_000) * 600_000; t < to && points.length < 6000; t += 600_000) {
        const hour = new Date(t).getUTCHours();
        const wave = 1 + Math.sin(((hour - 6) / 24) * 2 * Math.PI);
        points.push({ minute: new Date(t).toISOString(), dataType: 'flow', source: 'nfcapd', count: Math.round(900 * wave + 200) });
        points.push({ minute: new Date(t).toISOString(), dataType: 'dns', source: 'pcap', count: Math.round(400 * wave + 50) });
        points.push({ minute: new Date(t).toISOString(), dataType: 'proxy', source: 'squid', count: Math.round(250 * wave + 30) });
      }
      const totals = ['flow', 'dns', 'proxy'].map((dataType) => ({
        dataType,
        source: dataType === 'flow' ? 'nfcapd' : dataType === 'dns' ? 'pcap' : 'squid',
        count: points.filter((p) => p.dataType === dataType).reduce((sum, p) => sum + p.count, 0),
      }));
      return { status: 200, body: { points, totals } };
    }
    if (method === 'GET' && path === 'models') {
      const items = (['flow', 'dns', 'proxy'] as DataType[]).flatMap((dataType) =>
        [3, 2, 1].map((version) => ({
          id: `${dataType}-v${version}`,
          dataType,
          version,
          algorithm: 'lda',
          params: { topics: 20 },
          trainingWindow: { from: new Date(FIXTURE_DAY - (4 - version) * DAY_MS).toISOString(), to: new Date(FIXTURE_DAY - (3 - version) * DAY_MS).toISOString() },
          trainedAt: new Date(FIXTURE_DAY - (3 - version) * DAY_MS + 3_600_000).toISOString(),
          trigger: version === 3 ? 'feedback' : 'schedule',
          events: 120_000 * version,
          documents: 800,
          vocabulary: 4200,
          feedbackRows: version === 3 ? 12 : 0,
          evaluation: { pr_auc: 0.41 + version / 20, precision_at_100: 0.3 + version / 10 },
          active: version === 3,
        }))
      );
      return { status: 200, body: { items, total: items.length, page: 1, pageSize: 100 } };
    }
    return { status: 404, body: { statusCode: 404, error: 'Not Found', message: `fixture scorer has no ${method} /api/v1/${path}` } };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string) {
    const url = new URL(pathAndQuery, 'http://fixture');
    const path = url.pathname.replace(/^\/api\/v1\//, '');
    let reply: Reply;
    if (path !== 'health' && req.headers.authorization !== `Bearer ${token}`) {
      reply = { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'missing or wrong bearer token' } };
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      reply = route(req.method ?? 'GET', path, url.searchParams, body);
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply.body ?? null));
  };
}
