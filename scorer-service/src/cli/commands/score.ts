import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../../config';
import { composeScoring } from '../../composition';
import { DATA_TYPES, type DataType } from '../../domain/events';
import type { ModelChoice } from '../../scoring/windowScorer';
import { windowFromOptions, type WindowOptions } from '../../scoring/windows';
import { info, printJson, UserError } from '../output';
import { registerServe } from './serve';
import { registerTrain } from './train';
import { registerWorker } from './worker';

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
    .option('--json', 'print a machine-readable summary on stdout (and no progress bar)')
    .action(async (dataType: DataType, opts: WindowOptions & { model: string; json?: boolean }) => {
      const window = windowArgument(opts);
      const model = modelChoice(opts.model);
      const services = await composeScoring(loadConfig());
      const bar = percentBar(!opts.json);
      try {
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
