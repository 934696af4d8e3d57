import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createOpenSearchClient } from '../../adapters/opensearch/client';
import { loadConfig } from '../../config';
import type { DataType } from '../../domain/events';
import { IngestFailure } from '../../ingest/pipeline';
import { runWatch } from '../../ingest/watch';
import { statePathFor } from '../../ingest/watchState';
import { info, UserError } from '../output';
import { backoffFor, dataTypeArgument, describeSummary, formatOption, progressReporter, retriesOption, retryNotice } from './ingest';

interface WatchCliOptions {
  format: string;
  once?: boolean;
  interval: number;
  settle: number;
  match?: RegExp;
  sensor?: string;
  retries: number;
  json?: boolean;
}

/** Watch output is a stream: one JSON object per line, so a consumer can read it as it comes. */
function jsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new InvalidArgumentError(`not a regular expression: ${(error as Error).message}`);
  }
}

export function registerWatch(program: Command): void {
  dataTypeArgument(program.command('watch'))
    .description(
      'ingest every new file of a folder exactly once, remembering what is done across restarts; ' +
        'in-progress files (nfcapd .current, *.tmp, *.part) and files still growing are left until complete',
    )
    .argument('<dir>', 'folder to watch')
    .addOption(formatOption())
    .option('--once', 'take the files that are complete now, then exit')
    .addOption(new Option('--interval <seconds>', 'time between scans of the folder').argParser(seconds).default(10))
    .addOption(new Option('--settle <seconds>', 'a file must be unchanged this long before it is taken').argParser(seconds).default(5))
    .addOption(new Option('--match <regex>', 'take only file names matching this regular expression').argParser(regex))
    .option('--sensor <name>', 'sensor or collector the files come from, for the ingest statistics (default: this host name)')
    .addOption(retriesOption())
    .option('--json', 'print one JSON summary line per ingested file on stdout (and no progress bar)')
    .action(async (dataType: DataType, dir: string, opts: WatchCliOptions) => {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
      const config = loadConfig();
      const client = createOpenSearchClient(config);
      const statePath = statePathFor(config.home, { dir, dataType, format: opts.format, indexPrefix: config.indexPrefix, opensearchUrl: config.opensearch.url });
      const stop = new AbortController();
      const abort = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        if (!stop.signal.aborted) {
          info(`${signal}: finishing the file under way, then stopping (again to stop at once)`);
          stop.abort();
        } else {
          abort.abort();
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const backoff = backoffFor(opts.retries);
      const progress = progressReporter(!opts.json);
      if (!opts.json) info(`watching ${dir} for ${dataType} files (${opts.format}); state in ${statePath}`);
      try {
        const result = await runWatch(client, {
          dir,
          dataType,
          format: opts.format,
          indexPrefix: config.indexPrefix,
          statePath,
          once: opts.once === true,
          intervalMs: opts.interval * 1000,
          settleMs: opts.settle * 1000,
          match: opts.match,
          sensor: opts.sensor,
          backoff,
          onRetry: retryNotice,
          onProgress: progress.update,
          onFile: (name, summary) => {
            progress.stop();
            if (opts.json) jsonLine({ file: name, ...summary });
            else describeSummary(summary);
          },
          stop: stop.signal,
          abort: abort.signal,
        });
        if (opts.once && !opts.json && result.growing.length > 0) info(`still being written, left for the next run: ${result.growing.join(', ')}`);
        if (opts.once && opts.json) jsonLine({ done: true, ingested: result.ingested, failed: result.failed, growing: result.growing });
        if (result.failed.length > 0) {
          throw new UserError(`${result.failed.length} file(s) could not be read to the end and are not marked done: ${result.failed.join(', ')}`);
        }
      } catch (error) {
        if (error instanceof IngestFailure) throw new UserError(error.message);
        throw error;
      } finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await client.close();
      }
    });
}
