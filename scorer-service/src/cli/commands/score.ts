import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../../config';
import { composeQueues, composeScoring } from '../../composition';
import type { JobQueues, JobState } from '../../queues/jobQueues';
import type { QueueKind } from '../../queues/jobs';
import { DATA_TYPES, type DataType } from '../../domain/events';
import type { ModelChoice } from '../../scoring/windowScorer';
import { windowFromOptions, type WindowOptions } from '../../scoring/windows';
import { info, printJson, UserError } from '../output';
import { registerServe } from './serve';
import { registerTrain } from './train';
import { registerWorker } from './worker';
import { applyTemplatesAtStart } from './templatesAtStart';

/** A percent bar on a terminal; silent when piped or when --json was asked for. */
export function percentBar(enabled: boolean): { update: (percent: number, stage: string) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: '{stage} [{bar}] {percentage}%', stream: process.stderr, hideCursor: true, clearOnComplete: true });
  bar.start(100, 0, { stage: 'starting' });
  return { update: (percent, stage) => bar.update(percent, { stage: stage.padEnd(9) }), stop: () => bar.stop() };
}

export function dataTypeArgument(value: string): DataType {
  if (!(DATA_TYPES as readonly string[]).includes(value)) throw new UserError(`data type must be one of ${DATA_TYPES.join(', ')}, got "${value}"`);
  return value as DataType;
}

export function addWindowOptions(command: Command): Command {
  return command
    .option('--day <yyyy-mm-dd>', 'the UTC day to work on')
    .option('--hour <yyyy-mm-ddThh>', 'the UTC hour to work on')
    .option('--from <time>', 'start of a custom window (ISO-8601 or epoch ms), with --to')
    .option('--to <time>', 'end of a custom window (exclusive)');
}

export function windowArgument(options: WindowOptions) {
  try {
    return windowFromOptions(options);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

function modelChoice(value: string): ModelChoice {
  if (value === 'train' || value === 'latest') return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new UserError(`--model must be train, latest or a version number, got "${value}"`);
}

/** Registers every scorer-service command: score, train, serve, worker. */
export function registerScorerCommands(program: Command): void {
  registerScore(program);
  registerTrain(program);
  registerServe(program);
  registerWorker(program);
}

export function registerScore(program: Command): void {
  addWindowOptions(
    program
      .command('score')
      .description(
        "Score one window of raw events in OpenSearch: train the data type's model on it (or use a registered one), " +
          'rank every event, and write the top MAXRESULTS at or under TOL, enriched, to the suspicious index.',
      )
      .argument('<type>', `data type: ${DATA_TYPES.join(', ')}`, dataTypeArgument),
  )
    .addOption(new Option('--model <choice>', 'train (on this window, as Spot did), latest, or a version number').default('train'))
    .option('--parts <n>', 'scale out: queue the window as n part jobs for `spothreat worker` processes (any host) and wait for their merged run', partsArgument)
    .option('--timeout <seconds>', 'with --parts: how long to wait for the workers', (value) => positiveNumber(value, '--timeout'), 3600)
    .option('--json', 'print a machine-readable summary on stdout (and no progress bar)')
    .action(async (dataType: DataType, opts: WindowOptions & { model: string; json?: boolean; parts?: number; timeout: number }) => {
      const window = windowArgument(opts);
      const model = modelChoice(opts.model);
      if (opts.parts !== undefined) {
        if (model === 'latest') throw new UserError('--parts needs --model train or a version number (the part jobs must all use one version)');
        await scoreInParts(dataType, window, model, opts.parts, opts.timeout, Boolean(opts.json));
        return;
      }
      const services = await composeScoring(loadConfig());
      const bar = percentBar(!opts.json);
      try {
        await applyTemplatesAtStart(services.config, services.client);
        const summary = await services.scorer.score({ dataType, window, model, trigger: 'cli', onProgress: bar.update });
        bar.stop();
        if (opts.json) printJson(summary);
        else {
          info(
            `${dataType} ${window.from} .. ${window.to}: ${summary.events} events, ${summary.scored} scored with model v${summary.modelVersion}` +
              `${summary.trained ? ' (trained on this window)' : ''}, ${summary.suspicious} suspicious written, ${summary.unscorable} without words` +
              `, ${summary.seconds.total.toFixed(1)} s`,
          );
          for (const [reason, count] of Object.entries(summary.unscorableReasons)) info(`  not scored: ${count} x ${reason}`);
        }
      } finally {
        bar.stop();
        await services.close();
      }
    });
}

function positiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UserError(`${name} must be a number > 0, got "${value}"`);
  return n;
}

function partsArgument(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UserError(`--parts must be an integer from 1 to 256, got "${value}"`);
  return n;
}

/** Polls a job until it completes (its result) or fails (a UserError with its reason). */
async function finishedJob(queues: JobQueues, kind: QueueKind, id: string, deadline: number, what: string): Promise<JobState> {
  for (;;) {
    const job = await queues.job(kind, id);
    if (!job) throw new UserError(`${what} (${kind}/${id}) is gone from the queue`);
    if (job.state === 'completed') return job;
    if (job.state === 'failed') throw new UserError(`${what} (${kind}/${id}) failed: ${job.failedReason ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new UserError(`${what} (${kind}/${id}) is still ${job.state}; is a \`spothreat worker\` running against this Redis and prefix?`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * `score --parts N`: the window as queued work for the workers (train or observe, N parts, merge), waited for here.
 * The written run is the same as one process's (see scoring/slices.ts).
 */
async function scoreInParts(dataType: DataType, window: { from: string; to: string }, model: 'train' | number, parts: number, timeoutSeconds: number, json: boolean): Promise<void> {
  const queues = composeQueues(loadConfig());
  try {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const first = await queues.enqueueScoreInParts({ dataType, window, parts, model, trigger: 'cli' });
    if (!json) info(`queued ${first.queue}/${first.id} (${model === 'train' ? 'train' : `observe with v${model}`}), then ${parts} part jobs and a merge; waiting for the workers`);
    const head = await finishedJob(queues, first.queue, first.id, deadline, model === 'train' ? 'the train job' : 'the observe job');
    const mergeId = String(head.result?.mergeJobId);
    const merged = await finishedJob(queues, 'score', mergeId, deadline, 'the merge job');
    const summary = merged.result as Record<string, unknown> & { events: number; scored: number; suspicious: number; modelVersion: number; seconds: { total: number } };
    if (json) printJson(summary);
    else {
      info(
        `${dataType} ${window.from} .. ${window.to}: ${summary.events} events in ${parts} parts, ${summary.scored} scored with model v${summary.modelVersion}` +
          ` (${String(summary.ranking)}), ${summary.suspicious} suspicious written, ${summary.seconds.total.toFixed(1)} s from the merge job's creation`,
      );
    }
  } finally {
    await queues.close();
  }
}
