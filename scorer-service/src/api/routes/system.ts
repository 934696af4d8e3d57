import type { FastifyInstance } from 'fastify';
import {
  enrichJobCreateSchema,
  jobParamsSchema,
  jobsListQuerySchema,
  modelsQuerySchema,
  retrainJobCreateSchema,
  scoreJobCreateSchema,
  type HealthResponse,
  type ModelView,
} from '../contract';
import { ApiError, parseInput } from '../errors';
import type { ApiDeps } from '../server';

export function registerSystemRoutes(app: FastifyInstance, { services, queues, metrics, version }: ApiDeps): void {
  app.get('/api/v1/jobs/:queue/:id', async (request) => {
    const params = parseInput(jobParamsSchema, request.params, 'path');
    const job = await queues.job(params.queue, params.id);
    if (!job) throw new ApiError(404, `no job ${params.id} on the ${params.queue} queue (finished jobs are kept for a while, then trimmed)`);
    return job;
  });

  app.get('/api/v1/jobs', async (request) => {
    const q = parseInput(jobsListQuerySchema, request.query, 'query');
    return queues.jobs(q.queue, q.state, q.limit);
  });

  app.post('/api/v1/jobs/score', async (request, reply) => {
    const body = parseInput(scoreJobCreateSchema, request.body, 'body');
    const window = { from: body.from, to: body.to };
    const created =
      body.parts === undefined
        ? await queues.enqueueScore({ dataType: body.dataType, window, trigger: 'api' })
        : await queues.enqueueScoreInParts({ dataType: body.dataType, window, parts: body.parts, model: 'train', trigger: 'api' });
    await services.audit.record('api', 'job.create', `${created.queue}/${created.id}`, { dataType: body.dataType, from: body.from, to: body.to, ...(body.parts ? { parts: body.parts } : {}) });
    reply.status(202);
    return created;
  });

  app.post('/api/v1/jobs/enrich', async (request, reply) => {
    const body = parseInput(enrichJobCreateSchema, request.body, 'body');
    const window = { from: body.from, to: body.to };
    // A job over a range nothing was scored in would complete having done nothing; say so now instead.
    if ((await services.runs.currentRunIds(body.dataType, window)).length === 0) {
      throw new ApiError(409, `no ${body.dataType} window overlapping ${body.from} .. ${body.to} has been scored; score it first (POST /api/v1/jobs/score)`);
    }
    const created = await queues.enqueueEnrich({ dataType: body.dataType, window });
    await services.audit.record('api', 'job.create', `${created.queue}/${created.id}`, { dataType: body.dataType, from: body.from, to: body.to });
    reply.status(202);
    return created;
  });

  app.post('/api/v1/jobs/retrain', async (request, reply) => {
    const body = parseInput(retrainJobCreateSchema, request.body, 'body');
    const latest = await services.models.latest(body.dataType);
    if (!latest) throw new ApiError(409, `no ${body.dataType} model exists yet to retrain; score a window first`);
    const created = await queues.enqueueRetrain({ dataType: body.dataType, window: latest.trainingWindow, reason: body.reason ?? 'api' });
    await services.audit.record('api', 'job.create', `${created.queue}/${created.id}`, { dataType: body.dataType, reason: body.reason });
    reply.status(202);
    return created;
  });

  app.get('/api/v1/models', async (request) => {
    const q = parseInput(modelsQuerySchema, request.query, 'query');
    const listing = await services.models.list(q.type, q.page, q.pageSize);
    const items: ModelView[] = listing.items.map((m) => ({ ...m, ...(m.evaluation ? { evaluation: m.evaluation } : {}) }));
    return { items, total: listing.total, page: q.page, pageSize: q.pageSize };
  });

  app.get('/api/v1/health', async (_request, reply): Promise<HealthResponse> => {
    const [opensearch, redis] = await Promise.all([
      services.client.cluster.health({}, { requestTimeout: 3_000, maxRetries: 0 }).then(
        (response) => ({ ok: response.body.status !== 'red', status: String(response.body.status) }),
        (error: Error) => ({ ok: false, error: error.message }),
      ),
      queues.ping().then(
        () => ({ ok: true }),
        (error: Error) => ({ ok: false, error: error.message }),
      ),
    ]);
    const ok = opensearch.ok && redis.ok;
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', opensearch, redis, version };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
