import type { ChildProcess } from 'node:child_process';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { composeScoring } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { JobQueues, type JobState } from '../../scorer-service/src/queues/jobQueues';
import type { QueueKind } from '../../scorer-service/src/queues/jobs';
import { startWorkerProcesses, stopWorkerProcesses } from '../../scorer-service/src/bench/workerProcesses';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const PARTS = 4;
const scope = testScope('scale');
const env = scope.env;
const config = loadConfig(env);
const client = createOpenSearchClient(config);
const queues = new JobQueues({ redisUrl: config.redis.url, prefix: config.queues.prefix });
const children: ChildProcess[] = [];

interface WrittenDoc {
  rank: number;
  score: number;
  heuristics: string[];
}

async function waitForJob(kind: QueueKind, id: string): Promise<JobState> {
  for (let i = 0; i < 1200; i += 1) {
    const job = await queues.job(kind, id);
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${kind}/${id} never finished`);
}

/** The documents of the window's current run, by id. */
async function currentDocs(): Promise<Map<string, WrittenDoc>> {
  const scoring = await composeScoring(config, { client });
  const runIds = await scoring.runs.currentRunIds('flow', DAY);
  const page = await scoring.suspicious.search('flow', { terms: { 'spothreat.run_id': runIds } }, [{ 'spothreat.rank': 'asc' }], 0, 1000);
  return new Map(
    page.items.map((item) => {
      const { rank, score, heuristics } = item.doc.spothreat;
      return [item.id, { rank, score, heuristics }];
    }),
  );
}

beforeAll(async () => {
  expect(await ingestCapture(client, scope.prefix)).toBe(FLOWS_IN_FILE);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await queues.close();
  await cleanUp(client, scope, config.redis.port);
  await client.close();
});

describe('one window scored in parts by several worker processes', () => {
  it('writes exactly the documents of one worker when two processes share the parts, with the top scores of a whole-window run', async () => {
    // One process: the train job registers the model, then queues the parts and the merge.
    const one = await startWorkerProcesses(1, env);
    children.push(...one);
    const train = await queues.enqueueScoreInParts({ dataType: 'flow', window: DAY, parts: PARTS, model: 'train', trigger: 'api' });
    const trained = await waitForJob(train.queue, train.id);
    expect(trained.failedReason).toBeUndefined();
    const modelVersion = (trained.result as { model: { version: number } }).model.version;
    const mergeJobId = String(trained.result?.mergeJobId);
    const merged = await waitForJob('score', mergeJobId);
    expect(merged.failedReason).toBeUndefined();
    expect(merged.result).toMatchObject({ events: FLOWS_IN_FILE, parts: PARTS, suspicious: 50, modelVersion });
    const byOne = await currentDocs();
    await stopWorkerProcesses(one);
    expect(byOne.size).toBe(50);

    // Two processes, the same model version: the same ids, ranks, scores and tags.
    const two = await startWorkerProcesses(2, env);
    children.push(...two);
    const again = await queues.enqueueScoreInParts({ dataType: 'flow', window: DAY, parts: PARTS, model: modelVersion, trigger: 'api' });
    const mergedAgain = await waitForJob(again.queue, again.id);
    expect(mergedAgain.failedReason).toBeUndefined();
    expect(mergedAgain.result).toMatchObject({ events: FLOWS_IN_FILE, parts: PARTS, suspicious: 50 });
    const byTwo = await currentDocs();
    await stopWorkerProcesses(two);
    expect([...byTwo.entries()].sort()).toEqual([...byOne.entries()].sort());

    // The parts hold every event once, so their merged top scores are a whole-window run's (ties may pick others).
    // Parts rank by Spot's LDA score (the fused ranking needs the whole window's samples), so the comparison is
    // with a whole-window run of that ranking.
    const whole = await composeScoring(loadConfig({ ...env, SPOTHREAT_RANKING: 'lda' }), { client });
    const summary = await whole.scorer.score({ dataType: 'flow', window: DAY, model: modelVersion, trigger: 'cli' });
    expect(summary.events).toBe(FLOWS_IN_FILE);
    const wholeScores = [...(await currentDocs()).values()].map((doc) => doc.score).sort((a, b) => a - b);
    expect([...byOne.values()].map((doc) => doc.score).sort((a, b) => a - b)).toEqual(wholeScores);
  });
});
