import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { createOpenSearchClient } from '../../adapters/opensearch/client';
import { DEFAULT_BACKOFF, type BackoffPolicy, type RetryListener } from '../../adapters/opensearch/backoff';
import { loadConfig } from '../../config';
import { DATA_TYPES, type DataType } from '../../domain/events';
import { IngestFailure, prepareIndices, runIngest, type IngestProgress, type IngestSummary } from '../../ingest/pipeline';
import { FORMATS } from '../../ingest/registry';
import { info, printJson, UserError } from '../output';

export interface IngestCliOptions {
  format: string;
  json?: boolean;
  sensor?: string;
  retries: number;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of 0 or more');
  return n;
}

export const dataTypeArgument = (command: Command): Command =>
  command.argument('<type>', `data type: ${DATA_TYPES.join(', ')}`, (value: string) => {
    if (!(DATA_TYPES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${DATA_TYPES.join(', ')}`);
    return value;
  });

export const formatOption = () => new Option('--format <name>', 'input format').choices([...FORMATS]).makeOptionMandatory();

export const retriesOption = () =>
  new Option('--retries <n>', 'retries (with exponential backoff from 0.5 s) while OpenSearch is unreachable').argParser(parseCount).default(DEFAULT_BACKOFF.retries);

export function backoffFor(retries: number): BackoffPolicy {
  return { ...DEFAULT_BACKOFF, retries };
}

export const retryNotice: RetryListener = (attempt, delayMs, error) =>
  info(`OpenSearch: ${error instanceof Error ? error.message : String(error)}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`);

/** A progress bar on a terminal; nothing when output is piped or JSON was asked for. */
export function progressReporter(enabled: boolean): { update: (p: IngestProgress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  // The rate counts from the first progress report, so the time spent installing templates does not drag it down.
  let first: { at: number; records: number } | undefined;
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {records} records | {rate} records/s | {mb} of {totalMb} MB',
    stream: process.stderr,
    hideCursor: true,
  });
  let begun = false;
  return {
    update(p) {
      first ??= { at: Date.now(), records: p.records };
      const elapsed = (Date.now() - first.at) / 1000;
      const payload = {
        records: p.records,
        rate: elapsed > 0 ? Math.round((p.records - first.records) / elapsed) : 0,
        mb: (p.bytes / 1e6).toFixed(1),
        totalMb: (p.totalBytes / 1e6).toFixed(1),
      };
      if (!begun) {
        bar.start(Math.max(p.totalBytes, 1), 0, payload);
        begun = true;
      }
      bar.update(Math.min(p.bytes, p.totalBytes), payload);
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}

export function describeSummary(summary: IngestSummary): void {
  for (const f of summary.files) {
    info(`${f.file}: read ${f.read}, indexed ${f.indexed}, duplicates ${f.duplicates}, rejected ${f.rejected}${f.error ? ` — stopped: ${f.error}` : ''}`);
  }
  info(
    `${summary.dataType} (${summary.format}): read ${summary.read} = indexed ${summary.indexed} + duplicates ${summary.duplicates} + ` +
      `rejected ${summary.rejected} in ${summary.seconds.toFixed(1)} s (${summary.recordsPerSecond} records/s); run ${summary.runId}`,
  );
  if (summary.rejected > 0) info(`rejected records, with file, record number and reason, are in the dead-letter index (run ${summary.runId})`);
}

function checkPaths(paths: string[]): void {
  const problems: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      problems.push(`${p}: no such file`);
      continue;
    }
    if (stat.isDirectory()) problems.push(`${p}: is a folder (use \`spothreat watch\` for a folder)`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '));
}

export function registerIngest(program: Command): void {
  dataTypeArgument(program.command('ingest'))
    .description('decode telemetry files and index them into the daily raw indices (each event once, whatever the file name)')
    .argument('<paths...>', 'files to ingest')
    .addOption(formatOption())
    .option('--sensor <name>', 'sensor or collector the files come from, for the ingest statistics (default: this host name)')
    .addOption(retriesOption())
    .option('--json', 'print a machine-readable summary on stdout (and no progress bar)')
    .action(async (dataType: DataType, paths: string[], opts: IngestCliOptions) => {
      checkPaths(paths);
      const config = loadConfig();
      const client = createOpenSearchClient(config);
      const backoff = backoffFor(opts.retries);
      const progress = progressReporter(!opts.json);
      let summary: IngestSummary;
      try {
        await prepareIndices(client, config.indexPrefix, backoff, retryNotice);
        summary = await runIngest(client, {
          dataType,
          format: opts.format,
          files: paths,
          indexPrefix: config.indexPrefix,
          sensor: opts.sensor,
          backoff,
          onRetry: retryNotice,
          onProgress: progress.update,
        });
      } catch (error) {
        if (error instanceof IngestFailure) throw new UserError(error.message);
        if (error instanceof Error && /ECONNREFUSED|connect|ENOTFOUND/i.test(error.message)) {
          throw new UserError(`OpenSearch at ${config.opensearch.url} is unreachable (${error.message}); start it with \`spothreat stack up\``);
        }
        throw error;
      } finally {
        progress.stop();
        await client.close();
      }
      if (opts.json) printJson(summary);
      else describeSummary(summary);
      if (summary.failedFiles.length > 0) {
        throw new UserError(`${summary.failedFiles.length} file(s) could not be read to the end: ${summary.failedFiles.join(', ')}`);
      }
    });
}
