import fs from 'node:fs';
import path from 'node:path';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { composeScoring, composeWorker, type WorkerProcess } from '../../scorer-service/src/composition';
import { loadConfig, type Config } from '../../scorer-service/src/config';
import { JobQueues, type JobState } from '../../scorer-service/src/queues/jobQueues';
import { nodePaths, startNode, stopNode } from '../../scorer-service/src/stack/opensearchNode';
import { portInUse } from '../../scorer-service/src/stack/processes';
import { startRedis, stopRedis } from '../../scorer-service/src/stack/redisServer';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, REPO, testScope } from './scoring.fixture';

/**
 * Faults on real services. Each fault gets throwaway servers of its own (a second Redis, a second OpenSearch
 * node, in a temporary SPOTHREAT_HOME on free ports): the shared ones are never stopped.
 */

jest.setTimeout(600_000);

const home = fs.mkdtempSync(path.join('/tmp', 'spothreat-faults-'));
const quiet = () => undefined;

async function freePort(from: number, to: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (!(await portInUse(port))) return port;
  }
  throw new Error(`no free port in ${from}..${to}`);
}

async function waitForJob(queues: JobQueues, id: string, until: (job: JobState) => boolean): Promise<JobState> {
  for (let i = 0; i < 2400; i += 1) {
    const job = await queues.job('score', id).catch(() => undefined);
    if (job && until(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${id} never reached the expected state`);
}

async function addWhenRedisIsBack(queues: JobQueues): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    try {
      return (await queues.enqueueScore({ dataType: 'flow', window: DAY, trigger: 'api' })).id;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error('could not enqueue after the Redis restart');
}

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('a Redis restart', () => {
  let redisConfig: Config;
  let worker: WorkerProcess | undefined;
  let queues: JobQueues | undefined;
  const scope = testScope('faults-redis');

  afterAll(async () => {
    await worker?.close();
    await queues?.close();
    const client = createOpenSearchClient(redisConfig);
    await cleanUp(client, scope, redisConfig.redis.port).catch(() => undefined);
    await client.close();
    await stopRedis(redisConfig);
  });

  it('is survived by the workers, which reconnect and take the next job', async () => {
    const port = await freePort(26000, 27000);
    const env = { ...scope.env, SPOTHREAT_HOME: path.join(home, 'redis-home'), SPOTHREAT_REDIS_PORT: String(port), SPOTHREAT_REDIS_URL: `redis://127.0.0.1:${port}` };
    redisConfig = loadConfig(env);
    expect((await startRedis(redisConfig, quiet)).started).toBe(true);
    const client = createOpenSearchClient(redisConfig);
    expect(await ingestCapture(client, scope.prefix)).toBe(FLOWS_IN_FILE);
    await client.close();

    worker = await composeWorker(redisConfig, { schedules: false, env, queues: ['score'] });
    await worker.workers.waitUntilReady();
    queues = new JobQueues({ redisUrl: redisConfig.redis.url, prefix: redisConfig.queues.prefix });
    const before = await queues.enqueueScore({ dataType: 'flow', window: DAY, trigger: 'api' });
    expect((await waitForJob(queues, before.id, (j) => j.state === 'completed' || j.state === 'failed')).state).toBe('completed');

    await stopRedis(redisConfig);
    expect((await startRedis(redisConfig, quiet)).started).toBe(true);

    // The restarted Redis kept nothing (no persistence): the job below is new, taken by the same worker.
    const afterId = await addWhenRedisIsBack(queues);
    const after = await waitForJob(queues, afterId, (j) => j.state === 'completed' || j.state === 'failed');
    expect(after.failedReason).toBeUndefined();
    expect(after.state).toBe('completed');
    expect(after.result).toMatchObject({ events: FLOWS_IN_FILE, suspicious: 50 });
  });
});

describe('OpenSearch stopping during a job', () => {
  let nodeConfig: Config;
  let worker: WorkerProcess | undefined;
  let queues: JobQueues | undefined;
  const scope = testScope('faults-os', { SPOTHREAT_LDA_ITERATIONS: '1500', SPOTHREAT_JOB_ATTEMPTS: '8', SPOTHREAT_JOB_BACKOFF_MS: '3000' });

  afterAll(async () => {
    await worker?.close();
    for (const kind of ['score', 'train', 'retrain', 'enrich'] as const) await queues?.queue(kind).obliterate({ force: true }).catch(() => undefined);
    await queues?.close();
    if (nodeConfig) await stopNode(nodeConfig);
  });

  it('fails the attempt, retries once the node is back, and leaves only complete results', async () => {
    const port = await freePort(9250, 9290);
    const nodeHome = path.join(home, 'os-home');
    const env = {
      ...scope.env,
      SPOTHREAT_HOME: nodeHome,
      SPOTHREAT_OPENSEARCH_PORT: String(port),
      SPOTHREAT_OPENSEARCH_URL: `http://127.0.0.1:${port}`,
      SPOTHREAT_OPENSEARCH_HEAP: '512m',
    };
    nodeConfig = loadConfig(env);
    // The node's distribution comes from the shared node's cache: no download.
    const cached = path.join(REPO, '.spothreat', 'cache', path.basename(nodePaths(nodeConfig).cacheZip));
    // A copy of the distribution saves a Maven fetch; without one, startNode fetches it.
    fs.mkdirSync(path.dirname(nodePaths(nodeConfig).cacheZip), { recursive: true });
    if (fs.existsSync(cached)) fs.copyFileSync(cached, nodePaths(nodeConfig).cacheZip);
    fs.chmodSync(home, 0o755);
    expect((await startNode(nodeConfig, quiet)).started).toBe(true);
    const client = createOpenSearchClient(nodeConfig, { maxRetries: 0, requestTimeoutMs: 10_000 });
    expect(await ingestCapture(client, scope.prefix)).toBe(FLOWS_IN_FILE);

    worker = await composeWorker(nodeConfig, { schedules: false, env, queues: ['score'] });
    await worker.workers.waitUntilReady();
    queues = new JobQueues({ redisUrl: nodeConfig.redis.url, prefix: nodeConfig.queues.prefix, attempts: 8, backoffMs: 3000 });
    const { id } = await queues.enqueueScore({ dataType: 'flow', window: DAY, trigger: 'api' });
    await waitForJob(queues, id, (j) => j.state === 'active' && j.progress >= 5);
    await stopNode(nodeConfig);
    const failedOnce = await waitForJob(queues, id, (j) => j.attemptsMade >= 1 || j.state === 'failed');
    expect(failedOnce.state).not.toBe('completed');
    expect((await startNode(nodeConfig, quiet)).started).toBe(true);

    const done = await waitForJob(queues, id, (j) => j.state === 'completed' || j.state === 'failed');
    expect(done.state).toBe('completed');
    expect(done.attemptsMade).toBeGreaterThanOrEqual(2);

    // Exactly one complete run of the window; its 50 documents and nothing else; no half-stored model served.
    const scoring = await composeScoring(nodeConfig, { client });
    const runs = await client.search({ index: `${scope.prefix}models`, body: { query: { term: { kind: 'run' } }, size: 100 } as never });
    expect(runs.body.hits.hits).toHaveLength(1);
    await client.indices.refresh({ index: `${scope.prefix}suspicious-*` });
    const all = await client.count({ index: `${scope.prefix}suspicious-*` });
    expect(all.body.count).toBe(50);
    const current = await scoring.runs.currentRunIds('flow', DAY);
    expect(current).toEqual([(done.result as { runId: string }).runId]);
    const latest = await scoring.models.latest('flow');
    expect(latest?.version).toBe((done.result as { modelVersion: number }).modelVersion);
    await client.close();
  });
});
