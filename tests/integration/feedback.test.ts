import { randomBytes } from 'node:crypto';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import type { FeedbackResponse, ModelView, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { composeApi, composeWorker, type ApiProcess, type WorkerProcess } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { cleanUp, DAY, ingestCapture, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const TOKEN = randomBytes(24).toString('hex');
const scope = testScope('feedback', { SPOTHREAT_API_TOKEN: TOKEN, SPOTHREAT_DUPFACTOR: '1000' });
const env = scope.env;
const config = loadConfig(env);
const client = createOpenSearchClient(config);
let api: ApiProcess;
let worker: WorkerProcess;
let base: string;

async function call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as T };
}

const list = () => call<ThreatsResponse>('GET', `/api/v1/threats?type=flow&from=${DAY.from}&to=${DAY.to}&pageSize=100`);

beforeAll(async () => {
  await ingestCapture(client, scope.prefix);
  api = await composeApi(config);
  base = await api.app.listen({ host: '127.0.0.1', port: 0 });
  worker = await composeWorker(config, { schedules: false, env, queues: ['score', 'retrain'] });
  await worker.workers.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await cleanUp(client, scope, config.redis.port);
  await client.close();
});

async function waitForJob(queue: string, id: string): Promise<{ state: string; result?: Record<string, unknown>; failedReason?: string }> {
  for (let i = 0; i < 1200; i += 1) {
    const job = await call<{ state: string; result?: Record<string, unknown>; failedReason?: string }>('GET', `/api/v1/jobs/${queue}/${id}`);
    if (job.body.state === 'completed' || job.body.state === 'failed') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${queue}/${id} did not finish`);
}

describe('the feedback loop, end to end on OpenSearch and Redis', () => {
  it('a benign rating retrains the model and moves the event and its look-alikes out of the top list', async () => {
    const scored = await call<{ id: string }>('POST', '/api/v1/jobs/score', { dataType: 'flow', from: DAY.from, to: DAY.to });
    expect(scored.status).toBe(202);
    expect((await waitForJob('score', scored.body.id)).state).toBe('completed');
    const before = await list();
    expect(before.body.total).toBe(50);
    const rated: Threat = before.body.items[0];
    // Look-alikes: the same behaviour (same words) with the same host on one side, e.g. the server answering others alike.
    const isLookAlike = (t: Threat) => t.words.join(' ') === rated.words.join(' ') && (t.srcIp === rated.srcIp || t.dstIp === rated.dstIp);
    const lookAlikes = before.body.items.filter((t) => t.id !== rated.id && isLookAlike(t));
    const modelsBefore = await call<{ items: ModelView[] }>('GET', '/api/v1/models?type=flow');
    const versionBefore = modelsBefore.body.items[0].version;

    const feedback = await call<FeedbackResponse>('POST', '/api/v1/feedback', {
      dataType: 'flow',
      threatId: rated.id,
      rating: 3,
      author: 'ana',
      comment: 'our backup job',
    });
    expect(feedback.status).toBe(201);
    const retrain = await waitForJob('retrain', feedback.body.retrainJob!.id);
    expect(retrain.failedReason).toBeUndefined();
    expect(retrain.state).toBe('completed');
    // The retraining job re-ranked the rated window itself: nothing was re-ingested.
    const afterRetrain = await list();
    expect(afterRetrain.body.items.map((t) => t.id)).not.toContain(rated.id);

    // The retraining re-ranked the window already; scoring it once more (Spot's way, a fresh model) agrees.
    const rescored = await call<{ id: string }>('POST', '/api/v1/jobs/score', { dataType: 'flow', from: DAY.from, to: DAY.to });
    const rescoredJob = await waitForJob('score', rescored.body.id);
    expect(rescoredJob.state).toBe('completed');
    const after = await list();
    const afterIds = new Set(after.body.items.map((t) => t.id));
    expect(afterIds.has(rated.id)).toBe(false);
    for (const lookAlike of lookAlikes) expect(afterIds.has(lookAlike.id)).toBe(false);
    expect(after.body.items.filter(isLookAlike)).toEqual([]);
    expect(rescoredJob.result).toMatchObject({ explainedByFeedback: expect.any(Number) });
    expect(Number(rescoredJob.result!.explainedByFeedback)).toBeGreaterThanOrEqual(1 + lookAlikes.length);

    const models = await call<{ items: ModelView[] }>('GET', '/api/v1/models?type=flow');
    const newest = models.body.items[0];
    expect(newest.version).toBeGreaterThan(versionBefore);
    expect(newest.active).toBe(true);
    expect(newest.feedbackRows).toBe(1);
    expect(newest.trigger).toMatch(/feedback|api/);
    expect(models.body.items.some((m) => m.trigger === 'feedback' && m.feedbackRows === 1)).toBe(true);
  });
});
