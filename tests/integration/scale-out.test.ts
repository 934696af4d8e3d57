import type { ChildProcess } from 'node:child_process';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { randomBytes } from 'node:crypto';
import { composeApi, composeScoring } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { JobQueues, type JobState } from '../../scorer-service/src/queues/jobQueues';
import type { QueueKind } from '../../scorer-service/src/queues/jobs';
import { startWorkerProcesses, stopWorkerProcesses } from '../../scorer-service/src/bench/workerProcesses';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, plantPortScan, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const token = randomBytes(24).toString('hex');
const scope = testScope('scale', { SPOTHREAT_API_TOKEN: token });
const env = scope.env;
const config = loadConfig(env);
const client = createOpenSearchClient(config);
const queues = new JobQueues({ redisUrl: config.redis.url, prefix: config.queues.prefix });
const children: ChildProcess[] = [];

interface WrittenDoc {
  rank: number;
  score: number;
  fused: number | undefined;
  heuristics: string[];
  autoencoderError: number | undefined;
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
      const { rank, score, heuristics, fused, autoencoder } = item.doc.spothreat;
      return [item.id, { rank, score, fused: fused?.score, heuristics, autoencoderError: autoencoder?.error }];
    }),
  );
}

/** Asks the HTTP API to train on the day and score it in `parts` parts; returns the first job. */
async function scoreInPartsThroughApi(parts: number): Promise<{ queue: QueueKind; id: string }> {
  const api = await composeApi(config);
  try {
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const reply = await fetch(`${base}/api/v1/jobs/score`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dataType: 'flow', from: DAY.from, to: DAY.to, parts }),
    });
    expect(reply.status).toBe(202);
    return (await reply.json()) as { queue: QueueKind; id: string };
  } finally {
    await api.close();
  }
}

/**
 * Scores the day in `parts` part jobs (after the job that reads the whole window: train through the API, or
 * observe with a version) and returns the merge job's result.
 */
async function scoreInParts(parts: number, model: 'train' | number): Promise<Record<string, unknown>> {
  const first = model === 'train' ? await scoreInPartsThroughApi(parts) : await queues.enqueueScoreInParts({ dataType: 'flow', window: DAY, parts, model, trigger: 'api' });
  expect(first.queue).toBe('train');
  const done = await waitForJob(first.queue, first.id);
  expect(done.failedReason).toBeUndefined();
  const merged = await waitForJob('score', String(done.result?.mergeJobId));
  expect(merged.failedReason).toBeUndefined();
  return { ...merged.result, modelVersion: (done.result as { model?: { version: number }; modelVersion?: number }).model?.version ?? done.result?.modelVersion };
}

/**
 * A port scan planted in the day: 45 single-packet probes from one host to 45 ports of another. The heuristic needs
 * 30 probed pairs, so a part that judged only its own slice (about 15 of them each in three parts) would miss it.
 */
const PROBES = 45;
const EVENTS = FLOWS_IN_FILE + PROBES;

beforeAll(async () => {
  expect(await ingestCapture(client, scope.prefix)).toBe(FLOWS_IN_FILE);
  await plantPortScan(client, scope.prefix, PROBES);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await queues.close();
  await cleanUp(client, scope, config.redis.port);
  await client.close();
});

describe('one window scored in parts by several worker processes, ranked by the fused score', () => {
  it('writes the same documents (ids, ranks, fused scores, tags) in 1 part, in 3 parts on 2 processes, and in one whole-window run', async () => {
    // One process, one part: the train job registers the model with the window's state, then queues part and merge.
    const one = await startWorkerProcesses(1, env);
    children.push(...one);
    const single = await scoreInParts(1, 'train');
    expect(single).toMatchObject({ events: EVENTS, parts: 1, suspicious: 50 });
    expect(String(single.ranking)).toMatch(/^fisher\(/);
    const modelVersion = Number(single.modelVersion);
    const byOne = await currentDocs();
    await stopWorkerProcesses(one);
    expect(byOne.size).toBe(50);
    expect([...byOne.values()].every((doc) => typeof doc.fused === 'number')).toBe(true);
    // The planted scan is judged on the whole window, so its probes carry the tag and rank among the top.
    expect([...byOne.values()].filter((doc) => doc.heuristics.includes('port-scan')).length).toBeGreaterThan(0);
    const ranks = [...byOne.values()].sort((a, b) => a.rank - b.rank);
    expect(ranks.map((doc) => doc.rank)).toEqual(Array.from({ length: 50 }, (_v, i) => i + 1));
    for (let i = 1; i < ranks.length; i += 1) expect(ranks[i].fused!).toBeLessThanOrEqual(ranks[i - 1].fused!);

    // Two processes, three parts, the same version: an observe job stores the window's state, the parts use it.
    const two = await startWorkerProcesses(2, env);
    children.push(...two);
    const three = await scoreInParts(3, modelVersion);
    expect(three).toMatchObject({ events: EVENTS, parts: 3, suspicious: 50, modelVersion });
    const byThree = await currentDocs();
    await stopWorkerProcesses(two);
    expect([...byThree.entries()].sort()).toEqual([...byOne.entries()].sort());

    // One process over the whole window with the same version: the same fused ranking.
    const whole = await composeScoring(config, { client });
    const summary = await whole.scorer.score({ dataType: 'flow', window: DAY, model: modelVersion, trigger: 'cli' });
    expect(summary).toMatchObject({ events: EVENTS, ranking: single.ranking });
    expect(summary.autoencoder?.source).toBe('registered');
    expect([...(await currentDocs()).entries()].sort()).toEqual([...byOne.entries()].sort());
  });
});
