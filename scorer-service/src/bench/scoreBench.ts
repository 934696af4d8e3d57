/**
 * `npm run bench:score`: the scorer over the real local OpenSearch and Redis, each figure beside a baseline
 * measured in the same run (never a timed assertion in the test suite).
 *
 *   scan          raw point-in-time read of a day window: events/s (the baseline)
 *   train         the train-and-score of the window with the default fused ranking: one pass trains the LDA and
 *                 feeds the heuristics and samples, the autoencoder trains, the version is registered with its
 *                 autoencoder and the window's fusion state, and pass 2 ranks (for reference)
 *   score         read + score + write of the same window with that registered model (`--model latest`): its
 *                 autoencoder and window state are loaded, one pass; events/s and the ratio to the scan (target
 *                 >= 0.7: scoring should cost little beyond reading)
 *   score, new window   the registered model on a window it was not trained on (the day's first half): its
 *                 autoencoder is loaded but the window must be observed first (pass 1 + pass 2)
 *   lda           the registered-model score with Spot's LDA ranking (SPOTHREAT_RANKING=lda) beside it
 *   RSS           peak resident memory of training and scoring windows of growing size with the fused ranking, each
 *                 in a fresh process (the kernel's max RSS, so no earlier run's heap is counted), and the trend in
 *                 MB per million events (the corpus grows with distinct (IP, word) pairs, the samples and the heap
 *                 have fixed sizes, not with events)
 *   feedback      seconds from the API call rating the top event benign to the new model version serving the
 *                 re-ranked window (target <= 60 s), on a one-hour window of the same data
 *
 * The synthetic day (a network of clients with habits, servers, and a trickle of odd flows) is indexed once under
 * the prefix `spothreat-bench-` (or `--prefix`, which must start with it) and reused by later runs; `--fresh`
 * rebuilds it. `--no-trend` and `--no-feedback` leave those parts out (for one large window); `--trend-only` runs
 * only the RSS trend on an indexed day. `--clients N` fixes the network's size (index the day under a prefix of its
 * own: an indexed day is reused when its event count matches).
 *
 * Usage: tsx scorer-service/src/bench/scoreBench.ts [--events N] [--clients N] [--quick] [--fresh] [--prefix P] [--no-trend] [--no-feedback] [--trend-only]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createOpenSearchClient, indexNames } from '../adapters/opensearch/client';
import { openWindowRead } from '../adapters/opensearch/pitReader';
import { applyTemplates } from '../adapters/opensearch/templates';
import { composeApi, composeScoring, composeWorker } from '../composition';
import { loadConfig } from '../config';
import type { Window } from '../adapters/opensearch/queries';
import { DAY, DAY_START, indexSyntheticDay } from './syntheticFlows';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const fresh = process.argv.includes('--fresh');
const EVENTS = Number(argValue('--events') ?? (quick ? 200_000 : 2_000_000));
const PREFIX = argValue('--prefix') ?? 'spothreat-bench-';
const trendRuns = !process.argv.includes('--no-trend');
const trendOnly = process.argv.includes('--trend-only');
/** Child mode of the RSS trend: train and score the day's first N hours in this fresh process, print its peak RSS. */
const rssWindowHours = argValue('--rss-window');
const feedbackRun = !process.argv.includes('--no-feedback');
/** A fixed number of clients (default: one per 400 flows): `--clients` with two sizes shows memory against events on one network. */
const CLIENTS = argValue('--clients') === undefined ? undefined : Number(argValue('--clients'));
if (!PREFIX.startsWith('spothreat-bench-')) throw new Error(`--prefix must start with spothreat-bench-, got ${PREFIX}`);

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** Peak RSS while `work` runs, sampled every 100 ms (after a full GC when node runs with --expose-gc). */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; startMb: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: mb(peak), startMb: mb(start) };
  } finally {
    clearInterval(timer);
  }
}

/** The child of the RSS trend: one window trained and scored with the fused ranking, then the process's max RSS. */
async function rssWindow(env: NodeJS.ProcessEnv, hours: number): Promise<void> {
  const config = loadConfig(env);
  const services = await composeScoring(config);
  const window = { from: DAY.from, to: new Date(DAY_START + hours * 3_600_000).toISOString() };
  const summary = await services.scorer.score({ dataType: 'flow', window, model: 'train', trigger: 'bench' });
  await services.close();
  // ru_maxrss: the kernel's peak resident set of this process, in KiB.
  process.stdout.write(`${JSON.stringify({ events: summary.events, peakMb: Math.round(process.resourceUsage().maxRSS / 1024), ranking: summary.ranking })}\n`);
}

/** Peak RSS of a window trained and scored in a fresh process (see `rssWindow`). */
function rssInChild(hours: number, env: NodeJS.ProcessEnv): Promise<{ events: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--rss-window', String(hours), '--prefix', PREFIX], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the RSS run of ${hours} h exited with ${code}`));
      const { events, peakMb } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { events: number; peakMb: number };
      resolve({ events, peakMb });
    });
  });
}

/** Peak RSS of the fused train-and-score at growing windows, each in a fresh process, and the MB per million events. */
async function rssTrend(env: NodeJS.ProcessEnv): Promise<{ trend: { events: number; peakMb: number }[]; mbPerMillion: number }> {
  const trend: { events: number; peakMb: number }[] = [];
  for (const hours of quick ? [3, 12] : [3, 6, 12, 24]) trend.push(await rssInChild(hours, env));
  const first = trend[0];
  const last = trend[trend.length - 1];
  return { trend, mbPerMillion: ((last.peakMb - first.peakMb) / Math.max(1, last.events - first.events)) * 1e6 };
}

async function main(): Promise<void> {
  const token = randomBytes(24).toString('hex');
  const queuePrefix = `spothreat-bench-${randomBytes(3).toString('hex')}`;
  const env = {
    ...process.env,
    SPOTHREAT_INDEX_PREFIX: PREFIX,
    SPOTHREAT_QUEUE_PREFIX: queuePrefix,
    SPOTHREAT_API_TOKEN: token,
    SPOTHREAT_SCHEDULE_FLOW: '',
    SPOTHREAT_SCHEDULE_DNS: '',
    SPOTHREAT_SCHEDULE_PROXY: '',
  };
  if (rssWindowHours !== undefined) return rssWindow(env, Number(rssWindowHours));
  const config = loadConfig(env);
  const client = createOpenSearchClient(config);
  await applyTemplates(client, PREFIX);
  const rawIndex = indexNames.raw(PREFIX, 'flow', DAY.from.slice(0, 10).replace(/-/g, '.'));
  const existing = await client.count({ index: rawIndex, ignore_unavailable: true, allow_no_indices: true }).then((r) => Number(r.body.count), () => 0);
  if (fresh || existing !== EVENTS) {
    await client.indices.delete({ index: rawIndex }, { ignore: [404] });
    await indexSyntheticDay(client, rawIndex, EVENTS, CLIENTS);
  }

  if (trendOnly) {
    const { trend, mbPerMillion } = await rssTrend(env);
    process.stdout.write(`${JSON.stringify({ events: EVENTS, rss: { trend, mbPerMillionEvents: Number(mbPerMillion.toFixed(1)) } }, null, 2)}\n`);
    process.stderr.write(`fused train+score peak RSS by window, each in a fresh process: ${trend.map((t) => `${t.events} ev -> ${t.peakMb} MB`).join(', ')}; trend ${mbPerMillion.toFixed(1)} MB per million events\n`);
    await client.close();
    return;
  }
  const services = await composeScoring(config, { client });
  const mapping = services.mapping.flow;

  // Baseline: the raw scan. The first read of a day warms OpenSearch's caches and the page cache, so the scan
  // runs once before and once after the scoring, and the faster of the two is the baseline (the harder one to match).
  const scan = async () => {
    const started = Date.now();
    let events = 0;
    const read = await openWindowRead(client, mapping, DAY, { pageSize: config.scoring.pageSize });
    for await (const page of read.pages) events += page.length;
    return { events, seconds: (Date.now() - started) / 1000 };
  };
  const scanBefore = await scan();

  // Train on the day and score it (the version is registered with its autoencoder and the day's window state),
  // then read + score + write with that registered model (one pass), and watch RSS.
  const trained = await withPeakRss(() => services.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'bench' }));
  const scored = await withPeakRss(() => services.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'bench' }));
  // The registered model on a window it was not trained on: the autoencoder is loaded, the window observed first.
  const firstHalf: Window = { from: DAY.from, to: new Date(DAY_START + 12 * 3_600_000).toISOString() };
  const scoredNew = await withPeakRss(() => services.scorer.score({ dataType: 'flow', window: firstHalf, model: 'latest', trigger: 'bench' }));
  // The same day ranked Spot's way (SPOTHREAT_RANKING=lda) with the same version: one reading pass, no autoencoder.
  const ldaServices = await composeScoring(loadConfig({ ...env, SPOTHREAT_RANKING: 'lda' }), { client });
  const scoredLda = await ldaServices.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'bench' });
  const scanAfter = await scan();
  const fastest = scanAfter.seconds < scanBefore.seconds ? scanAfter : scanBefore;
  const scanned = fastest.events;
  const scanSeconds = fastest.seconds;
  const scanRate = scanned / scanSeconds;
  const scoreRate = scored.result.events / scored.result.seconds.total;
  const newWindowRate = scoredNew.result.events / scoredNew.result.seconds.total;
  const ldaRate = scoredLda.events / scoredLda.seconds.total;

  // RSS against window size: growing windows from the start of the day, each trained and scored (fused ranking).
  const { trend, mbPerMillion } = trendRuns ? await rssTrend(env) : { trend: [], mbPerMillion: Number.NaN };

  // Feedback latency on a one-hour window, through the API and a worker, as an analyst would see it.
  const feedbackFigures = async () => {
    const hour: Window = { from: new Date(DAY_START + 10 * 3_600_000).toISOString(), to: new Date(DAY_START + 11 * 3_600_000).toISOString() };
    const api = await composeApi(config);
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const worker = await composeWorker(config, { schedules: false, env, queues: ['retrain'] });
    await worker.workers.waitUntilReady();
    const hourSummary = await services.scorer.score({ dataType: 'flow', window: hour, model: 'train', trigger: 'bench' });
    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${base}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const list = await call('GET', `/api/v1/threats?type=flow&from=${hour.from}&to=${hour.to}&pageSize=1`);
    const top = (list.items as { id: string }[])[0];
    const feedbackStart = Date.now();
    await call('POST', '/api/v1/feedback', { dataType: 'flow', threatId: top.id, rating: 3, author: 'bench' });
    let serving = false;
    while (!serving && Date.now() - feedbackStart < 600_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await call('GET', `/api/v1/threats?type=flow&from=${hour.from}&to=${hour.to}&pageSize=1`);
      const item = (now.items as { id: string; modelVersion: number }[])[0];
      serving = item !== undefined && item.id !== top.id && item.modelVersion > hourSummary.modelVersion;
    }
    const feedbackSeconds = (Date.now() - feedbackStart) / 1000;
    // The bench's queues live under a prefix of their own: leave nothing of them in Redis.
    await worker.workers.close();
    for (const kind of ['score', 'train', 'retrain', 'enrich'] as const) await worker.queues.queue(kind).obliterate({ force: true }).catch(() => undefined);
    await worker.close();
    await api.close();
    return { windowEvents: hourSummary.events, secondsToNewModelServing: feedbackSeconds, served: serving, target: 60 };
  };
  const feedback = feedbackRun ? await feedbackFigures() : undefined;

  const ratioToScan = (rate: number): number => Number((rate / scanRate).toFixed(3));
  const figures = {
    events: EVENTS,
    scan: {
      // The scan and the scoring passes read through the same reader with the same _source filter.
      reads: '_source filtered to the flow field mapping (the fields scoring reads)',
      events: scanned,
      seconds: scanSeconds,
      eventsPerSecond: Math.round(scanRate),
      firstSeconds: scanBefore.seconds,
      secondSeconds: scanAfter.seconds,
    },
    score: {
      ranking: scored.result.ranking,
      model: 'latest (registered: its autoencoder and the window state stored with it are loaded)',
      windowState: scored.result.windowState,
      autoencoder: scored.result.autoencoder?.source,
      events: scored.result.events,
      seconds: scored.result.seconds,
      eventsPerSecond: Math.round(scoreRate),
      ratioToScan: ratioToScan(scoreRate),
      target: 0.7,
      peakRssMb: scored.peakMb,
      rssBeforeMb: scored.startMb,
    },
    scoreNewWindow: {
      window: firstHalf,
      windowState: scoredNew.result.windowState,
      autoencoder: scoredNew.result.autoencoder?.source,
      events: scoredNew.result.events,
      seconds: scoredNew.result.seconds,
      eventsPerSecond: Math.round(newWindowRate),
      ratioToScan: ratioToScan(newWindowRate),
      peakRssMb: scoredNew.peakMb,
    },
    scoreLdaRanking: { events: scoredLda.events, seconds: scoredLda.seconds, eventsPerSecond: Math.round(ldaRate), ratioToScan: ratioToScan(ldaRate) },
    trainAndScore: {
      ranking: trained.result.ranking,
      seconds: trained.result.seconds,
      autoencoderSeconds: trained.result.autoencoder?.seconds,
      eventsPerSecond: Math.round(trained.result.events / trained.result.seconds.total),
      ratioToScan: ratioToScan(trained.result.events / trained.result.seconds.total),
      peakRssMb: trained.peakMb,
      rssBeforeMb: trained.startMb,
    },
    rss: { ranking: trained.result.ranking, trend, mbPerMillionEvents: Number.isFinite(mbPerMillion) ? Number(mbPerMillion.toFixed(1)) : undefined },
    feedback,
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  process.stderr.write(
    [
      `${EVENTS} events; scan ${figures.scan.eventsPerSecond} ev/s (${figures.scan.reads})`,
      `fused ranking ${figures.score.ranking}, registered model: read+score+write ${figures.score.eventsPerSecond} ev/s; ratio ${figures.score.ratioToScan} (target >= 0.7); peak RSS ${scored.peakMb} MB; window state ${figures.score.windowState}`,
      `fused ranking, registered model on a window it was not trained on (${figures.scoreNewWindow.events} events, observed first): ${figures.scoreNewWindow.eventsPerSecond} ev/s; ratio ${figures.scoreNewWindow.ratioToScan}`,
      `fused ranking, train+score ${figures.trainAndScore.eventsPerSecond} ev/s (ratio ${figures.trainAndScore.ratioToScan}; autoencoder ${figures.trainAndScore.autoencoderSeconds?.toFixed(1)} s); peak RSS ${trained.peakMb} MB`,
      `lda ranking, registered model: read+score+write ${figures.scoreLdaRanking.eventsPerSecond} ev/s; ratio ${figures.scoreLdaRanking.ratioToScan}`,
      trend.length > 0
        ? `fused train+score peak RSS by window, each in a fresh process: ${trend.map((t) => `${t.events} ev -> ${t.peakMb} MB`).join(', ')}; trend ${figures.rss.mbPerMillionEvents} MB per million events`
        : 'RSS trend not run (--no-trend)',
      feedback
        ? `feedback: ${feedback.secondsToNewModelServing.toFixed(1)} s from the API call to the new model serving (target <= 60 s)${feedback.served ? '' : ' -- NOT reached'}`
        : 'feedback latency not run (--no-feedback)',
    ].join('\n') + '\n',
  );
  await services.close();
  await client.close();
}

main().catch((error) => {
  process.stderr.write(`bench:score failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
