import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { composeScoring, composeWorker, type WorkerProcess } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { JobQueues, type JobState } from '../../scorer-service/src/queues/jobQueues';
import type { QueueKind } from '../../scorer-service/src/queues/jobs';
import { applySchedules } from '../../scorer-service/src/queues/schedules';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, REPO, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const cli = path.join(REPO, 'scorer-service', 'bin', 'spothreat.cjs');
const scope = testScope('jobs', { SPOTHREAT_JOB_LOCK_MS: '4000', SPOTHREAT_STALLED_INTERVAL_MS: '2000' });
const env = scope.env;
const config = loadConfig(env);
const client = createOpenSearchClient(config);
const queues = new JobQueues({ redisUrl: config.redis.url, prefix: config.queues.prefix });
const children: ChildProcess[] = [];
let worker: WorkerProcess | undefined;

async function waitForJob(kind: QueueKind, id: string, until: (job: JobState) => boolean, what: string): Promise<JobState> {
  for (let i = 0; i < 1200; i += 1) {
    const job = await queues.job(kind, id);
    if (job && until(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${kind}/${id} never became ${what}`);
}

async function currentDocs(): Promise<Map<string, number>> {
  const scoring = await composeScoring(config, { client });
  const runIds = await scoring.runs.currentRunIds('flow', DAY);
  const page = await scoring.suspicious.search('flow', { terms: { 'spothreat.run_id': runIds } }, [{ 'spothreat.rank': 'asc' }], 0, 1000);
  return new Map(page.items.map((item) => [item.id, item.doc.spothreat.score]));
}

function startWorkerProcess(extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [cli, 'worker', '--no-schedules'], { cwd: REPO, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return child;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before ${pattern}: ${seen}`)));
  });
}

beforeAll(async () => {
  expect(await ingestCapture(client, scope.prefix)).toBe(FLOWS_IN_FILE);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await worker?.close();
  await queues.close();
  await cleanUp(client, scope, config.redis.port);
  await client.close();
});

describe('BullMQ jobs on the real Redis', () => {
  it('keeps one scheduler per data type under a stable id, updated in place and removed when emptied', async () => {
    const scoreQueue = queues.queue('score');
    const settings = { patterns: { flow: '5 * * * *', dns: '10 * * * *', proxy: '' }, window: 'hour' as const, timezone: 'UTC' };
    await applySchedules(scoreQueue, settings);
    await applySchedules(scoreQueue, { ...settings, patterns: { ...settings.patterns, flow: '15 * * * *' } });
    let schedulers = await scoreQueue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['score-dns', 'score-flow']);
    expect(schedulers.find((s) => s.key === 'score-flow')?.pattern).toBe('15 * * * *');
    const result = await applySchedules(scoreQueue, { ...settings, patterns: { flow: '', dns: '', proxy: '' } });
    expect(result.removed.sort()).toEqual(['dns', 'flow']);
    schedulers = await scoreQueue.getJobSchedulers();
    expect(schedulers).toHaveLength(0);
  });

  it('runs a score job in a sandboxed worker thread, reporting progress and its summary', async () => {
    worker = await composeWorker(config, { schedules: false, env });
    await worker.workers.waitUntilReady();
    const { id } = await queues.enqueueScore({ dataType: 'flow', window: DAY, trigger: 'api' });
    const job = await waitForJob('score', id, (j) => j.state === 'completed' || j.state === 'failed', 'finished');
    expect(job.failedReason).toBeUndefined();
    expect(job.state).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.result).toMatchObject({ events: FLOWS_IN_FILE, suspicious: 50, trained: true });
    expect((await currentDocs()).size).toBe(50);
    // An enrich job re-enriches the window's run and ends at 100 %, like the score job.
    const enrich = await queues.enqueueEnrich({ dataType: 'flow', window: DAY });
    const enriched = await waitForJob('enrich', enrich.id, (j) => j.state === 'completed' || j.state === 'failed', 'finished');
    expect(enriched.failedReason).toBeUndefined();
    expect(enriched.result).toMatchObject({ reenriched: 50 });
    expect(enriched.progress).toBe(100);
    await worker.close();
    worker = undefined;
  });

  it('re-runs a job whose worker process was killed, on another worker, ending with the same documents', async () => {
    // A slow fit (many iterations) so the kill lands while the job runs; the reference is the same window scored
    // in this process with the same settings.
    const slow = { SPOTHREAT_LDA_ITERATIONS: '1500' };
    const reference = await composeScoring(loadConfig({ ...env, ...slow }), { client });
    await reference.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
    const expected = await currentDocs();
    expect(expected.size).toBe(50);

    const first = startWorkerProcess(slow);
    await waitForOutput(first, /worker ready/);
    const { id } = await queues.enqueueScore({ dataType: 'flow', window: DAY, trigger: 'api' });
    await waitForJob('score', id, (j) => j.state === 'active' && j.progress >= 5, 'active');
    first.kill('SIGKILL');

    const second = startWorkerProcess(slow);
    await waitForOutput(second, /worker ready/);
    const job = await waitForJob('score', id, (j) => j.state === 'completed' || j.state === 'failed', 'finished');
    expect(job.failedReason).toBeUndefined();
    expect(job.state).toBe('completed');
    const after = await currentDocs();
    expect([...after.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [docId, score] of expected) expect(after.get(docId)).toBeCloseTo(score, 12);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
  });
});
