import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import type { Client } from '@opensearch-project/opensearch';
import { indexDay, indexNames } from '../adapters/opensearch/client';
import { removeTemplates } from '../adapters/opensearch/templates';
import { repoRoot } from '../config';
import { benchDecode } from '../ingest/bench/decodeBench';
import { eventId } from '../ingest/ids';
import { DEFAULT_BULK, prepareIndices, runIngest, type BulkTuning } from '../ingest/pipeline';
import { getDecoder } from '../ingest/registry';

/**
 * `npm run bench:ingest`: flow ingest throughput on a file of ~1M flows made from the real nfdump export in
 * ../shared/data, three figures from the same run:
 *
 *   decode only       the nfdump-csv decoder reading the file and building documents, nothing sent
 *   raw bulk          the same documents, decoded and serialised beforehand, sent with the same bulk settings:
 *                     what this OpenSearch node can take on this machine (the ceiling)
 *   decode + index    `spothreat ingest` end to end (decode, ids, bulk with create, statistics)
 *
 * and the ratio decode+index / raw bulk. Targets: the ratio >= 0.8, decode only >= 300k flows/s.
 */

export const REAL_NFDUMP_CSV = path.join(repoRoot, '..', 'shared', 'data', 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz');

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** nfdump's `YYYY-MM-DD HH:MM:SS[.mmm]` for an epoch in ms, read and written as UTC. */
function nfdumpTime(ms: number, withMillis: boolean): string {
  const d = new Date(ms);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMillis ? `${text}.${pad(d.getUTCMilliseconds(), 3)}` : text;
}

function parseNfdumpTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/**
 * Writes `flows` records: the real export's flows over and over, each copy shifted a minute later than the
 * previous one so that every record is a distinct event (distinct id) with realistic addresses, ports,
 * flags and counters. Returns the number of records written.
 */
export async function writeSyntheticFlowCsv(source: string, target: string, flows: number): Promise<number> {
  const text = zlib.gunzipSync(fs.readFileSync(source)).toString('utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  const records = lines.map((line) => {
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    const start = line.slice(0, first);
    return { start: parseNfdumpTime(start), end: parseNfdumpTime(line.slice(first + 1, second)), millis: start.includes('.'), rest: line.slice(second) };
  });
  const span = 60_000 * Math.ceil((Math.max(...records.map((r) => r.end)) - Math.min(...records.map((r) => r.start)) + 1) / 60_000);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const out = fs.createWriteStream(target);
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${header}\n`);
  let written = 0;
  let chunk: string[] = [];
  for (let copy = 0; written < flows; copy++) {
    const shift = copy * span;
    for (const r of records) {
      if (written >= flows) break;
      chunk.push(`${nfdumpTime(r.start + shift, r.millis)},${nfdumpTime(r.end + shift, r.millis)}${r.rest}`);
      written += 1;
      if (chunk.length === 10_000) {
        await write(`${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) await write(`${chunk.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}

export interface Rate {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  cpuSeconds: number;
}

export interface IngestBenchResult {
  file: string;
  flows: number;
  bulk: BulkTuning;
  rounds: RoundFigures[];
  decodeOnly: Rate & { recordsPerCpuSecond: number };
  rawBulk: Rate;
  decodeAndIndex: Rate & { indexed: number; duplicates: number; rejected: number };
  /** Mean over the rounds of decode+index records/s divided by raw bulk records/s. */
  ratio: number;
}

export interface RoundFigures {
  round: number;
  rawRecordsPerSecond: number;
  decodeAndIndexRecordsPerSecond: number;
  ratio: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return work().then((value) => {
    const used = process.cpuUsage(cpu);
    return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
  });
}

/** Decodes the file once and keeps each document as its bulk line (index, id, JSON), for the raw bulk phase. */
async function serialiseDocuments(file: string, target: string, prefix: string): Promise<number> {
  const out = fs.createWriteStream(target);
  let count = 0;
  let chunk: string[] = [];
  const flush = async () => {
    if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    chunk = [];
  };
  for await (const result of getDecoder('nfdump-csv').decode(file, 'flow', { file })) {
    if (!result.ok) continue;
    chunk.push(`${indexNames.raw(prefix, 'flow', indexDay(result.doc['@timestamp']))}\t${eventId('flow', result.doc)}\t${JSON.stringify(result.doc)}`);
    count += 1;
    if (chunk.length === 10_000) await flush();
  }
  if (chunk.length > 0) await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return count;
}

async function rawBulk(client: Client, serialised: string, bulk: BulkTuning): Promise<number> {
  const lines = readline.createInterface({ input: fs.createReadStream(serialised), crlfDelay: Infinity });
  let failed = 0;
  const stats = await client.helpers.bulk<string>({
    datasource: lines[Symbol.asyncIterator](),
    onDocument: (line) => {
      const firstTab = line.indexOf('\t');
      const secondTab = line.indexOf('\t', firstTab + 1);
      return [{ create: { _index: line.slice(0, firstTab), _id: line.slice(firstTab + 1, secondTab) } }, line.slice(secondTab + 1)];
    },
    flushBytes: bulk.flushBytes,
    concurrency: bulk.concurrency,
    onDrop: () => (failed += 1),
  });
  if (failed > 0) throw new Error(`raw bulk phase: OpenSearch refused ${failed} documents`);
  return stats.successful;
}

async function dropPrefix(client: Client, prefix: string): Promise<void> {
  await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
  await removeTemplates(client, prefix);
}

export interface IngestBenchOptions {
  flows: number;
  /** Rounds of the two indexing phases, back to back; the ratio is the mean of the rounds' ratios. */
  rounds?: number;
  workDir: string;
  bulk?: Partial<BulkTuning>;
  log: (line: string) => void;
}

export async function benchIngest(client: Client, options: IngestBenchOptions): Promise<IngestBenchResult> {
  const bulk = { ...DEFAULT_BULK, ...options.bulk };
  const rounds = Math.max(1, options.rounds ?? 1);
  const file = path.join(options.workDir, `flows-${options.flows}.csv`);
  if (!fs.existsSync(file)) {
    options.log(`writing ${options.flows} flows made from ${REAL_NFDUMP_CSV} to ${file}`);
    await writeSyntheticFlowCsv(REAL_NFDUMP_CSV, file, options.flows);
  }

  options.log('decode only');
  const decoded = await benchDecode(file, 'nfdump-csv', 'flow');

  const run = randomBytes(3).toString('hex');
  const rawPrefix = `bench-raw-${run}-`;
  const pipelinePrefix = `bench-pipeline-${run}-`;
  const serialised = path.join(options.workDir, `flows-${options.flows}-${run}.bulk`);
  try {
    options.log('decoding once more to keep the documents for the raw bulk phase');
    await serialiseDocuments(file, serialised, rawPrefix);
    const measureRaw = async () => {
      await prepareIndices(client, rawPrefix);
      const m = await measure(() => rawBulk(client, serialised, bulk));
      await dropPrefix(client, rawPrefix);
      return { ...m, rate: m.value / m.seconds };
    };
    const measurePipeline = async () => {
      await prepareIndices(client, pipelinePrefix);
      const m = await measure(() =>
        runIngest(client, { dataType: 'flow', format: 'nfdump-csv', files: [file], indexPrefix: pipelinePrefix, bulk, refresh: false, sensor: 'bench' }),
      );
      await dropPrefix(client, pipelinePrefix);
      return { ...m, rate: m.value.read / m.seconds };
    };
    // The machine is shared, so load from elsewhere comes and goes. Each round measures the two phases back
    // to back (in alternating order) and gives one ratio; the figures are totals over all rounds and the
    // ratio is the mean of the rounds' ratios.
    const perRound: RoundFigures[] = [];
    let rawRecords = 0;
    let rawSeconds = 0;
    let rawCpu = 0;
    let pipelineRecords = 0;
    let pipelineSeconds = 0;
    let pipelineCpu = 0;
    let last: Awaited<ReturnType<typeof measurePipeline>> | undefined;
    for (let round = 1; round <= rounds; round++) {
      const phases = round % 2 === 1 ? (['raw', 'pipeline'] as const) : (['pipeline', 'raw'] as const);
      const figures: Partial<RoundFigures> = { round };
      for (const phase of phases) {
        if (phase === 'raw') {
          options.log(`round ${round} of ${rounds}: raw bulk (the ceiling)`);
          const raw = await measureRaw();
          figures.rawRecordsPerSecond = Math.round(raw.rate);
          rawRecords += raw.value;
          rawSeconds += raw.seconds;
          rawCpu += raw.cpuSeconds;
        } else {
          options.log(`round ${round} of ${rounds}: decode + index (spothreat ingest)`);
          last = await measurePipeline();
          figures.decodeAndIndexRecordsPerSecond = Math.round(last.rate);
          pipelineRecords += last.value.read;
          pipelineSeconds += last.seconds;
          pipelineCpu += last.cpuSeconds;
        }
      }
      figures.ratio = round2(figures.decodeAndIndexRecordsPerSecond! / figures.rawRecordsPerSecond!);
      options.log(`  raw bulk ${figures.rawRecordsPerSecond} records/s, decode + index ${figures.decodeAndIndexRecordsPerSecond} records/s, ratio ${figures.ratio}`);
      perRound.push(figures as RoundFigures);
    }
    return {
      file,
      flows: options.flows,
      bulk,
      rounds: perRound,
      decodeOnly: {
        records: decoded.records,
        seconds: decoded.seconds,
        recordsPerSecond: Math.round(decoded.recordsPerSecond),
        cpuSeconds: decoded.cpuSeconds,
        recordsPerCpuSecond: Math.round(decoded.recordsPerCpuSecond),
      },
      rawBulk: { records: rawRecords, seconds: rawSeconds, recordsPerSecond: Math.round(rawRecords / rawSeconds), cpuSeconds: rawCpu },
      decodeAndIndex: {
        records: pipelineRecords,
        seconds: pipelineSeconds,
        recordsPerSecond: Math.round(pipelineRecords / pipelineSeconds),
        cpuSeconds: pipelineCpu,
        indexed: last!.value.indexed,
        duplicates: last!.value.duplicates,
        rejected: last!.value.rejected,
      },
      ratio: round2(perRound.reduce((sum, r) => sum + r.ratio, 0) / perRound.length),
    };
  } finally {
    fs.rmSync(serialised, { force: true });
    await dropPrefix(client, rawPrefix);
    await dropPrefix(client, pipelinePrefix);
  }
}
