import type { FastifyInstance } from 'fastify';
import {
  allowlistCreateSchema,
  allowlistDeleteSchema,
  allowlistListQuerySchema,
  allowlistParamsSchema,
  auditQuerySchema,
  feedbackCreateSchema,
  feedbackListQuerySchema,
  storyboardListQuerySchema,
  storyboardSaveSchema,
  type AllowlistCreate,
  type AllowlistEntry,
  type FeedbackRecord,
  type FeedbackResponse,
  type StoryboardEntry,
} from '../contract';
import type { ScoringServices } from '../../composition';
import type { DataType } from '../../domain/events';
import type { StoredAllowlistEntry, StoredFeedback } from '../../adapters/opensearch/feedbackStore';
import { termClause, type Query } from '../../adapters/opensearch/queries';
import type { StoredStory } from '../../adapters/opensearch/storyboardStore';
import { ApiError, parseInput } from '../errors';
import type { ApiDeps } from '../server';
import { suppressedBy } from '../threatService';

export function feedbackView(id: string, f: StoredFeedback): FeedbackRecord {
  const view: FeedbackRecord = {
    id,
    dataType: f.data_type,
    threatId: f.threat_id,
    rating: f.rating,
    author: f.author,
    createdAt: f['@timestamp'],
    eventTimestamp: f.event_timestamp,
    srcIp: f.src_ip,
    words: f.words,
  };
  if (f.comment !== undefined) view.comment = f.comment;
  if (f.dst_ip !== undefined) view.dstIp = f.dst_ip;
  if (f.src_port !== undefined) view.srcPort = f.src_port;
  if (f.dst_port !== undefined) view.dstPort = f.dst_port;
  if (f.domain !== undefined) view.domain = f.domain;
  if (f.url !== undefined) view.url = f.url;
  return view;
}

async function allowlistView(services: ScoringServices, id: string, e: StoredAllowlistEntry): Promise<AllowlistEntry> {
  const now = new Date().toISOString();
  const match: AllowlistEntry['match'] = {};
  if (e.match.src_ip !== undefined) match.srcIp = e.match.src_ip;
  if (e.match.dst_ip !== undefined) match.dstIp = e.match.dst_ip;
  if (e.match.src_port !== undefined) match.srcPort = e.match.src_port;
  if (e.match.dst_port !== undefined) match.dstPort = e.match.dst_port;
  if (e.match.domain !== undefined) match.domain = e.match.domain;
  const active = !e.deleted && (e.expires_at === undefined || e.expires_at > now);
  return {
    id,
    ...(e.data_type ? { dataType: e.data_type } : {}),
    match,
    author: e.author,
    reason: e.reason,
    createdAt: e['@timestamp'],
    ...(e.expires_at ? { expiresAt: e.expires_at } : {}),
    active,
    suppressed: active ? await suppressedBy(services, e) : 0,
  };
}

async function createAllowlistEntry(deps: ApiDeps, body: AllowlistCreate): Promise<AllowlistEntry> {
  if (body.expiresAt !== undefined && body.expiresAt <= new Date().toISOString()) throw new ApiError(400, 'expiresAt is in the past');
  const stored: StoredAllowlistEntry = {
    '@timestamp': new Date().toISOString(),
    ...(body.dataType ? { data_type: body.dataType } : {}),
    match: {
      ...(body.match.srcIp !== undefined ? { src_ip: body.match.srcIp } : {}),
      ...(body.match.dstIp !== undefined ? { dst_ip: body.match.dstIp } : {}),
      ...(body.match.srcPort !== undefined ? { src_port: body.match.srcPort } : {}),
      ...(body.match.dstPort !== undefined ? { dst_port: body.match.dstPort } : {}),
      ...(body.match.domain !== undefined ? { domain: body.match.domain } : {}),
    },
    author: body.author,
    reason: body.reason,
    ...(body.expiresAt ? { expires_at: body.expiresAt } : {}),
  };
  const id = await deps.services.feedback.addAllowlistEntry(stored);
  await deps.services.audit.record(body.author, 'allowlist.create', id, { match: stored.match, reason: body.reason, dataType: body.dataType, expiresAt: body.expiresAt });
  return allowlistView(deps.services, id, stored);
}

function storyView(id: string, s: StoredStory): StoryboardEntry {
  return {
    id,
    dataType: s.data_type,
    anchor: s.anchor,
    from: s.from,
    to: s.to,
    title: s.title,
    summary: s.summary,
    author: s.author,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

export function registerAnalystRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { services, queues } = deps;

  app.post('/api/v1/feedback', async (request, reply): Promise<FeedbackResponse> => {
    const body = parseInput(feedbackCreateSchema, request.body, 'body');
    const threat = await services.suspicious.get(body.dataType, body.threatId);
    if (!threat) throw new ApiError(404, `no ${body.dataType} threat with id ${body.threatId}`);
    const doc = threat.doc;
    const now = new Date().toISOString();
    const documents = body.dataType === 'flow' && doc.destination ? [doc.source.ip, doc.destination.ip] : [doc.source.ip];
    const stored: StoredFeedback = {
      '@timestamp': now,
      data_type: body.dataType,
      threat_id: body.threatId,
      rating: body.rating,
      author: body.author,
      ...(body.comment !== undefined ? { comment: body.comment } : {}),
      event_timestamp: doc['@timestamp'],
      src_ip: doc.source.ip,
      ...(doc.destination?.ip ? { dst_ip: doc.destination.ip } : {}),
      ...(doc.source.port !== undefined ? { src_port: doc.source.port } : {}),
      ...(doc.destination?.port !== undefined ? { dst_port: doc.destination.port } : {}),
      ...(doc.dns?.question.name ? { domain: doc.dns.question.name } : doc.url?.domain ? { domain: doc.url.domain } : {}),
      ...(doc.url?.original ? { url: doc.url.original } : {}),
      words: doc.spothreat.words,
      documents,
      window: { from: doc.spothreat.window.from, to: doc.spothreat.window.to },
    };
    const id = await services.feedback.addFeedback(stored);
    await services.suspicious.setRating(threat, { rating: body.rating, by: body.author, at: now });
    await services.audit.record(body.author, 'feedback.create', body.threatId, { rating: body.rating, dataType: body.dataType, feedbackId: id, comment: body.comment });
    const response: FeedbackResponse = { feedback: feedbackView(id, stored) };
    if (body.rating === 3) {
      // Benign: retrain on the event's window with every benign rating folded in, then re-rank that window.
      response.retrainJob = await queues.enqueueRetrain({ dataType: body.dataType, window: stored.window, reason: `feedback ${id}` });
    }
    if (body.allowlist) response.allowlistEntry = await createAllowlistEntry(deps, { ...body.allowlist, dataType: body.dataType, author: body.author });
    reply.status(201);
    return response;
  });

  app.get('/api/v1/feedback', async (request) => {
    const q = parseInput(feedbackListQuerySchema, request.query, 'query');
    const filter: Query[] = [];
    if (q.type) filter.push(termClause('data_type', q.type));
    if (q.rating) filter.push(termClause('rating', q.rating));
    if (q.from || q.to) filter.push({ range: { '@timestamp': { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } });
    const page = await services.feedback.listFeedback(filter, (q.page - 1) * q.pageSize, q.pageSize);
    return { items: page.items.map(({ id, record }) => feedbackView(id, record)), total: page.total, page: q.page, pageSize: q.pageSize };
  });

  app.post('/api/v1/allowlist', async (request, reply) => {
    const body = parseInput(allowlistCreateSchema, request.body, 'body');
    reply.status(201);
    return createAllowlistEntry(deps, body);
  });

  app.get('/api/v1/allowlist', async (request) => {
    const q = parseInput(allowlistListQuerySchema, request.query, 'query');
    const page = await services.feedback.listAllowlist(q.includeExpired ? undefined : new Date().toISOString(), (q.page - 1) * q.pageSize, q.pageSize);
    const items = [];
    for (const { id, entry } of page.items) items.push(await allowlistView(services, id, entry));
    return { items, total: page.total, page: q.page, pageSize: q.pageSize };
  });

  app.delete('/api/v1/allowlist/:id', async (request, reply) => {
    const { id } = parseInput(allowlistParamsSchema, request.params, 'path');
    const body = parseInput(allowlistDeleteSchema, request.body, 'body');
    const entry = await services.feedback.getAllowlistEntry(id);
    if (!entry || entry.deleted) throw new ApiError(404, `no allowlist entry ${id}`);
    await services.feedback.deleteAllowlistEntry(id, body.author);
    await services.audit.record(body.author, 'allowlist.delete', id, { reason: body.reason, match: entry.match });
    reply.status(204);
  });

  app.put('/api/v1/storyboard', async (request) => {
    const body = parseInput(storyboardSaveSchema, request.body, 'body');
    if (body.from >= body.to) throw new ApiError(400, '"from" must be before "to"', [{ path: 'from', message: '"from" must be before "to"' }]);
    const { id, story } = await services.storyboard.save({
      data_type: body.dataType,
      anchor: body.anchor,
      from: body.from,
      to: body.to,
      title: body.title,
      summary: body.summary,
      author: body.author,
    });
    await services.audit.record(body.author, 'storyboard.save', id, { title: body.title, anchor: body.anchor, dataType: body.dataType });
    return storyView(id, story);
  });

  app.get('/api/v1/storyboard', async (request) => {
    const q = parseInput(storyboardListQuerySchema, request.query, 'query');
    const page = await services.storyboard.list(q.type as DataType | undefined, q, (q.page - 1) * q.pageSize, q.pageSize);
    return { items: page.items.map(({ id, story }) => storyView(id, story)), total: page.total, page: q.page, pageSize: q.pageSize };
  });

  app.get('/api/v1/audit', async (request) => {
    const q = parseInput(auditQuerySchema, request.query, 'query');
    const page = await services.audit.list(q, (q.page - 1) * q.pageSize, q.pageSize);
    return {
      items: page.items.map(({ id, entry }) => ({ id, at: entry['@timestamp'], actor: entry.actor, action: entry.action, target: entry.target, details: entry.details })),
      total: page.total,
      page: q.page,
      pageSize: q.pageSize,
    };
  });
}
