/**
 * `npm run bench:scale`: one window scored in parts by 1, 2 and 4 `spothreat worker` processes on the real Redis
 * and OpenSearch, under an index and queue prefix of its own (removed at the end).
 *
 *   model       trained once in this process on the window and registered with its autoencoder and the window's
 *               fusion state (heuristic verdicts, reference values, document frequencies); every run scores with
 *               that version, ranked by the default fused score, each part reading only its slice
 *   warm-up     one raw PIT scan of the window, so the first run does not pay for cold caches (its rate printed)
 *   runs        for each process count: the processes are started and ready, then the window is queued as PARTS
 *               part jobs under one merge job; the time is from queueing to the merge job's completion (so the
 *               sandbox threads' first start in each process is inside it, as in a real deployment)
 *   identity    the written suspicious documents (ids, ranks, fused scores) of every process count against those of
 *               one process
 *
 * Every process runs one job at a time (SPOTHREAT_WORKER_CONCURRENCY=1). On a machine with two cores, four
 * processes cannot beat two; the figure is printed anyway.
 *
 * Usage: tsx scorer-service/src/bench/scaleBench.ts [--events N] [--parts N] [--processes 1,2,4]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createOpenSearchClient, indexNames } from '../adapters/opensearch/client';
import { openWindowRead } from '../adapters/opensearch/pitReader';
import { applyTemplates, removeTemplates } from '../adapters/opensearch/templates';
import { composeQueues, composeScoring, type ScoringServices } from '../composition';
import { loadConfig } from '../config';
import type { JobState } from '../queues/jobQueues';
import { QUEUES, type QueueKind } from '../queues/jobs';
import { DAY, indexSyntheticDay } from './syntheticFlows';
import { startWorkerProcesses, stopWorkerProcesses } from './workerProcesses';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const EVENTS = Number(argValue('--events') ?? 400_000);
const PARTS = Number(argValue('--parts') ?? 4);
const PROCESS_COUNTS = (argValue('--processes') ?? '1,2,4').split(',').map(Number);

/** Rank and fused score of every document of the window's current run, by id. */
async function writtenRanks(services: ScoringServices, maxResults: number): Promise<Map<string, string>> {
  const runIds = await services.runs.currentRunIds('flow', DAY);
  const page = await services.suspicious.search('flow', { terms: { 'spothreat.run_id': runIds } }, [{ 'spothreat.rank': 'asc' }], 0, maxResults);
  return new Map(page.items.map((item) => [item.id, `${item.doc.spothreat.rank} ${item.doc.spothreat.fused?.score ?? item.doc.spothreat.score}`]));
}

function sameDocuments(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([id, rankAndScore]) => b.get(id) === rankAndScore);
}

async function main(): Promise<void> {
  const suffix = randomBytes(3).toString('hex');
  const prefix = `spothreat-scale-${suffix}-`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPOTHREAT_INDEX_PREFIX: prefix,
    SPOTHREAT_QUEUE_PREFIX: `spothreat-scale-${suffix}`,
    SPOTHREAT_WORKER_CONCURRENCY: '1',
    SPOTHREAT_SCHEDULE_FLOW: '',
    SPOTHREAT_SCHEDULE_DNS: '',
    SPOTHREAT_SCHEDULE_PROXY: '',
  };
  const config = loadConfig(env);
  const client = createOpenSearchClient(config);
  const queues = composeQueues(config);
  const workers: ChildProcess[] = [];
  try {
    await applyTemplates(client, prefix);
    await indexSyntheticDay(client, indexNames.raw(prefix, 'flow', DAY.from.slice(0, 10).replace(/-/g, '.')), EVENTS);
    const services = await composeScoring(config, { client });
    const trainStarted = Date.now();
    const trained = await services.scorer.train({ dataType: 'flow', window: DAY, trigger: 'bench' });
    const trainSeconds = (Date.now() - trainStarted) / 1000;
    const modelVersion = trained.model.version;
    process.stderr.write(`model v${modelVersion} trained on ${trained.events} events in ${trainSeconds.toFixed(1)} s\n`);
    // The first runs would otherwise pay for OpenSearch's cold caches: one raw scan of the window first, timed as a
    // reference for what reading alone costs in this process.
    const scanStarted = Date.now();
    let scanned = 0;
    const read = await openWindowRead(client, services.mapping.flow, DAY, { pageSize: config.scoring.pageSize });
    for await (const page of read.pages) scanned += page.length;
    const scanSeconds = (Date.now() - scanStarted) / 1000;
    process.stderr.write(`raw PIT scan of the window (warm-up): ${Math.round(scanned / scanSeconds)} events/s\n`);

    const waitFor = async (kind: QueueKind, id: string): Promise<JobState> => {
      for (;;) {
        const job = await queues.job(kind, id);
        if (job?.state === 'completed') return job;
        if (job?.state === 'failed') throw new Error(`${kind} job ${id} failed: ${job.failedReason}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const runs: { processes: number; seconds: number; eventsPerSecond: number; suspicious: number; identicalToOneProcess: boolean }[] = [];
    let reference: Map<string, string> | undefined;
    let ranking = '';
    for (const processes of PROCESS_COUNTS) {
      workers.push(...(await startWorkerProcesses(processes, env, ['--queues', 'score'])));
      const started = Date.now();
      // The version holds this window's state (it was trained on it), so the parts go straight to the score queue.
      const mergeId = await queues.enqueuePartsFlow({ dataType: 'flow', window: DAY, modelVersion, parts: PARTS, trigger: 'bench' });
      const done = await waitFor('score', mergeId);
      ranking = String(done.result?.ranking);
      const seconds = (Date.now() - started) / 1000;
      await stopWorkerProcesses(workers.splice(0));
      const written = await writtenRanks(services, config.scoring.maxResults);
      reference ??= written;
      const events = Number(done.result?.events);
      const run = {
        processes,
        seconds,
        eventsPerSecond: Math.round(events / seconds),
        suspicious: written.size,
        identicalToOneProcess: sameDocuments(written, reference),
      };
      runs.push(run);
      process.stderr.write(
        `${processes} process(es), ${PARTS} parts, ${ranking} ranking: ${run.eventsPerSecond} events/s (${seconds.toFixed(1)} s), ` +
          `${run.suspicious} documents, ${run.identicalToOneProcess ? 'identical to' : 'DIFFERENT from'} the first run\n`,
      );
    }
    const figures = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      events: EVENTS,
      parts: PARTS,
      ranking,
      maxResults: config.scoring.maxResults,
      train: { seconds: trainSeconds, modelVersion },
      warmUpScan: { events: scanned, seconds: scanSeconds, eventsPerSecond: Math.round(scanned / scanSeconds) },
      runs,
      identical: runs.every((run) => run.identicalToOneProcess),
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    await services.close();
    if (!figures.identical) process.exitCode = 1;
  } finally {
    await stopWorkerProcesses(workers);
    for (const kind of QUEUES) await queues.queue(kind).obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
    await removeTemplates(client, prefix);
    await client.close();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
