import path from 'node:path';
import { type Command, Option } from 'commander';
import { createOpenSearchClient } from '../../adapters/opensearch/client';
import { benchIngest } from '../../bench/ingestBench';
import { loadConfig } from '../../config';
import { info, printJson } from '../output';
import { parseCount } from './ingest';

const fmt = (n: number) => n.toLocaleString('en-US');

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('throughput benchmarks: figures beside a baseline measured in the same run');

  bench
    .command('ingest')
    .description('flow ingest records/s: decode only, raw bulk indexing of the same documents (the ceiling), and decode + index')
    .addOption(new Option('--flows <n>', 'flows in the generated file').argParser(parseCount).default(1_000_000))
    .addOption(new Option('--rounds <n>', 'rounds of the two indexing phases, back to back in alternating order; the ratio is their mean').argParser(parseCount).default(2))
    .addOption(new Option('--flush-bytes <n>', 'bulk request size in bytes').argParser(parseCount))
    .addOption(new Option('--concurrency <n>', 'bulk requests in flight').argParser(parseCount))
    .option('--json', 'print the figures as JSON on stdout')
    .action(async (opts: { flows: number; rounds: number; flushBytes?: number; concurrency?: number; json?: boolean }) => {
      const config = loadConfig();
      const client = createOpenSearchClient(config, { requestTimeoutMs: 120_000 });
      try {
        const bulk = {
          ...(opts.flushBytes !== undefined ? { flushBytes: opts.flushBytes } : {}),
          ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
        };
        const result = await benchIngest(client, { flows: opts.flows, rounds: opts.rounds, workDir: path.join(config.home, 'bench'), bulk, log: info });
        if (opts.json) return printJson(result);
        const line = (name: string, r: { records: number; seconds: number; recordsPerSecond: number; cpuSeconds: number }) =>
          info(`${name.padEnd(16)} ${fmt(r.records).padStart(10)} records in ${r.seconds.toFixed(1).padStart(6)} s = ${fmt(r.recordsPerSecond).padStart(9)} records/s (node CPU ${r.cpuSeconds.toFixed(1)} s)`);
        info(`file ${result.file}; bulk flushBytes ${fmt(result.bulk.flushBytes)}, concurrency ${result.bulk.concurrency}; ${result.rounds.length} round(s)`);
        line('decode only', result.decodeOnly);
        info(`${''.padEnd(16)} ${fmt(result.decodeOnly.recordsPerCpuSecond).padStart(45)} records per CPU second (target >= 300,000)`);
        line('raw bulk', result.rawBulk);
        line('decode + index', result.decodeAndIndex);
        for (const r of result.rounds) info(`round ${r.round}: raw bulk ${fmt(r.rawRecordsPerSecond)} records/s, decode + index ${fmt(r.decodeAndIndexRecordsPerSecond)} records/s, ratio ${r.ratio.toFixed(2)}`);
        info(`ratio decode+index / raw bulk: ${result.ratio.toFixed(2)}, mean of the rounds (target >= 0.80)`);
      } finally {
        await client.close();
      }
    });
}
