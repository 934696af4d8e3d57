import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import { composeScoring, composeWorker, type ScoringServices } from '../composition';
import { indexNames } from '../adapters/opensearch/client';
import type { Window } from '../adapters/opensearch/queries';
import { windowKey } from '../adapters/opensearch/queries';
import { DATA_TYPES, type DataType } from '../domain/events';
import { runIngest, type IngestSummary } from '../ingest/pipeline';
import type { QueueKind } from '../queues/jobs';
import { stackUp } from '../stack/stack';
import { GENERATOR_VERSION } from './generator/day';
import { writeDemoDay, MANIFEST_FILE, type WrittenDemoDay } from './generator/files';
import { detectFormat } from './detectFormat';
import { LabelIndex, parseLabelsJsonl, precisionAtK, type PrecisionReport, type RankedRecord } from './labelMatch';

/**
 * `spothreat demo`: from nothing to a scored, browsable day. Every step goes through the product's own paths —
 * the generator writes files, ingest decodes and indexes them, BullMQ workers train and score — so the demo
 * shows what a user's own deployment does, not a shortcut.
 */

export interface DemoOptions {
  seed: number;
  events: number;
  hosts?: number;
  day?: string;
  /** A folder of the user's own files instead of the generated day. */
  dataDir?: string;
  log: (line: string) => void;
  /** Top events printed per data type. */
  show: number;
}

export interface InputGroup {
  dataType: DataType;
  format: string;
  files: string[];
}

export interface DemoResult {
  source: { generated?: { directory: string; counts: WrittenDemoDay['counts'] }; dataDir?: string; skipped: { file: string; reason: string }[] };
  ingest: Pick<IngestSummary, 'dataType' | 'format' | 'read' | 'indexed' | 'duplicates' | 'rejected' | 'seconds'>[];
  scoring: { dataType: DataType; window: Window; jobId: string; state: string; result?: Record<string, unknown>; failedReason?: string }[];
  top: { dataType: DataType; rank: number; score: number; time: string; summary: string; explanation: string; heuristics: string[]; attack?: string }[];
  precision?: {
    /** Each data type's own ranked list. */
    byType: { dataType: DataType; k100: PrecisionReport; k1000: PrecisionReport }[];
    /** The three lists merged rank by rank, the way an analyst works them side by side. */
    merged: { k100: PrecisionReport; k1000: PrecisionReport };
    attacksInTop100: string[];
    attacksInTop1000: string[];
    attacks: string[];
  };
}

/** Merges ranked lists by taking each list's next item in turn. */
export function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const merged: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) merged.push(list[i]);
  return merged;
}

const RANKED_PER_TYPE = 1000;

/** Collects the generated day (reusing it when the same seed and size were generated before). */
function generatedInput(config: Config, options: DemoOptions): { groups: InputGroup[]; written: WrittenDemoDay; directory: string } {
  const name = `seed-${options.seed}-events-${options.events}${options.hosts ? `-hosts-${options.hosts}` : ''}${options.day ? `-${options.day}` : ''}`;
  const directory = path.join(config.home, 'demo', name);
  const manifest = path.join(directory, MANIFEST_FILE);
  let written: WrittenDemoDay | undefined;
  if (fs.existsSync(manifest)) {
    const before = JSON.parse(fs.readFileSync(manifest, 'utf8')) as WrittenDemoDay;
    if (before.generatorVersion === GENERATOR_VERSION) {
      written = before;
      options.log(`using the demo day generated before in ${directory}`);
    } else {
      options.log(`the demo day in ${directory} comes from an older generator (version ${before.generatorVersion ?? 1}, now ${GENERATOR_VERSION}): generating it again`);
    }
  }
  if (written === undefined) {
    options.log(`generating a day of an enterprise network (${options.events.toLocaleString('en-US')} events, seed ${options.seed}) in ${directory}`);
    fs.rmSync(directory, { recursive: true, force: true });
    written = writeDemoDay(directory, {
      seed: options.seed,
      events: options.events,
      ...(options.hosts ? { hosts: options.hosts } : {}),
      ...(options.day ? { day: options.day } : {}),
    });
  }
  const groups = DATA_TYPES.map((dataType) => ({
    dataType,
    format: written.formats[dataType],
    files: written.files[dataType].map((file) => path.join(directory, file)),
  })).filter((group) => group.files.length > 0);
  return { groups, written, directory };
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(65536);
    const size = fs.readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, size);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      // A truncated gzip stream still yields its first bytes with `finishFlush`.
      return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).subarray(0, 65536);
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

function listFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile() && !entry.name.startsWith('.')) files.push(full);
  }
  return files.sort();
}

/** Groups a user's folder by detected format; files Spothreat cannot read are listed with the reason. */
export function dataDirInput(directory: string): { groups: InputGroup[]; skipped: { file: string; reason: string }[] } {
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) throw new Error(`--data ${directory}: not a folder`);
  const groups = new Map<string, InputGroup>();
  const skipped: { file: string; reason: string }[] = [];
  for (const file of listFiles(directory)) {
    let detected;
    try {
      detected = detectFormat(readHead(file));
    } catch (error) {
      detected = `unreadable: ${(error as Error).message}`;
    }
    if (typeof detected === 'string') {
      skipped.push({ file, reason: detected });
      continue;
    }
    const key = `${detected.dataType}/${detected.format}`;
    const group = groups.get(key) ?? { ...detected, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return { groups: [...groups.values()], skipped };
}

/**
 * The UTC days that hold events of a data type, as scoring windows (Spot scored a day at a time). Only days with
 * data: captures often carry odd clocks (1970 from relative timestamps), and the span between two such days is empty.
 */
async function dayWindows(client: Client, indexPrefix: string, dataType: DataType): Promise<Window[]> {
  const response = await client.search({
    index: indexNames.rawPattern(indexPrefix, dataType),
    ignore_unavailable: true,
    allow_no_indices: true,
    body: { size: 0, aggs: { days: { date_histogram: { field: '@timestamp', calendar_interval: '1d', min_doc_count: 1 } } } } as never,
  });
  const buckets = (response.body as { aggregations?: { days?: { buckets?: { key: number }[] } } }).aggregations?.days?.buckets ?? [];
  const day = 86_400_000;
  return buckets.map((b) => ({ from: new Date(b.key).toISOString(), to: new Date(b.key + day).toISOString() }));
}

async function waitForJob(services: { job(kind: QueueKind, id: string): Promise<{ state: string; progress: number; result?: Record<string, unknown>; failedReason?: string } | undefined> }, id: string, onProgress: (p: number) => void) {
  for (;;) {
    const state = await services.job('score', id);
    if (state && (state.state === 'completed' || state.state === 'failed')) return state;
    if (state) onProgress(state.progress);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function describeEvent(dataType: DataType, doc: Record<string, unknown>): string {
  const d = doc as {
    source?: { ip?: string; port?: number };
    destination?: { ip?: string; port?: number };
    network?: { transport?: string; bytes?: number };
    dns?: { question?: { name?: string; type?: string }; response_code?: string };
    url?: { original?: string };
    http?: { request?: { method?: string }; response?: { status_code?: number } };
  };
  if (dataType === 'flow') {
    return `${d.source?.ip}:${d.source?.port ?? '-'} -> ${d.destination?.ip}:${d.destination?.port ?? '-'} ${d.network?.transport ?? ''} ${d.network?.bytes ?? 0} B`;
  }
  if (dataType === 'dns') return `${d.source?.ip} asked ${d.dns?.question?.type ?? '?'} ${d.dns?.question?.name} -> ${d.dns?.response_code ?? '?'}`;
  return `${d.source?.ip} ${d.http?.request?.method ?? ''} ${d.url?.original} -> ${d.http?.response?.status_code ?? '?'}`;
}

/** Provenance (file and record) of the raw events behind suspicious ones, for matching against labels. */
async function provenanceOf(client: Client, raws: { index: string; id: string }[]): Promise<Map<string, RankedRecord & { label?: string; labelDetail?: string }>> {
  const found = new Map<string, RankedRecord & { label?: string; labelDetail?: string }>();
  for (let i = 0; i < raws.length; i += 500) {
    const chunk = raws.slice(i, i + 500);
    const response = await client.mget({ body: { docs: chunk.map((r) => ({ _index: r.index, _id: r.id, _source: ['spothreat'] })) } as never });
    for (const doc of (response.body as { docs: { _id: string; _index: string; found?: boolean; _source?: { spothreat?: { file: string; record: number; label?: string; label_detail?: string } } }[] }).docs) {
      const p = doc._source?.spothreat;
      if (doc.found && p) found.set(`${doc._index}/${doc._id}`, { file: p.file, record: p.record, label: p.label, labelDetail: p.label_detail });
    }
  }
  return found;
}

export async function runDemo(config: Config, options: DemoOptions): Promise<DemoResult> {
  const log = options.log;
  log('bringing up the local OpenSearch and Redis');
  const stack = await stackUp(config, log);
  log(`opensearch: ${stack.opensearch}; redis: ${stack.redis}`);

  const result: DemoResult = { source: { skipped: [] }, ingest: [], scoring: [], top: [] };
  let groups: InputGroup[];
  let labels: LabelIndex | undefined;
  if (options.dataDir) {
    const input = dataDirInput(options.dataDir);
    groups = input.groups;
    result.source = { dataDir: options.dataDir, skipped: input.skipped };
    for (const s of input.skipped) log(`not ingested: ${s.file}: ${s.reason}`);
    if (groups.length === 0) throw new Error(`--data ${options.dataDir}: no file Spothreat can read`);
  } else {
    const generated = generatedInput(config, options);
    groups = generated.groups;
    result.source = { generated: { directory: generated.directory, counts: generated.written.counts }, skipped: [] };
    const labelsFile = path.join(generated.directory, 'labels.jsonl');
    labels = new LabelIndex(parseLabelsJsonl(fs.readFileSync(labelsFile, 'utf8'), labelsFile));
  }

  const services: ScoringServices = await composeScoring(config);
  const worker = await composeWorker(config, { queues: ['score'], schedules: false });
  try {
    for (const group of groups) {
      log(`ingesting ${group.files.length} ${group.format} file(s) as ${group.dataType}`);
      const summary = await runIngest(services.client, { dataType: group.dataType, format: group.format, files: group.files, indexPrefix: config.indexPrefix, sensor: 'demo' });
      result.ingest.push({ dataType: summary.dataType, format: summary.format, read: summary.read, indexed: summary.indexed, duplicates: summary.duplicates, rejected: summary.rejected, seconds: summary.seconds });
      log(`  read ${summary.read} = indexed ${summary.indexed} + duplicates ${summary.duplicates} + rejected ${summary.rejected} (${summary.recordsPerSecond} records/s)`);
    }

    await worker.workers.waitUntilReady();
    const ingestedTypes = [...new Set(groups.map((g) => g.dataType))];
    const jobs: { dataType: DataType; window: Window; id: string }[] = [];
    for (const dataType of ingestedTypes) {
      for (const window of await dayWindows(services.client, config.indexPrefix, dataType)) {
        const { id } = await worker.queues.enqueueScore({ dataType, window, model: 'train', trigger: 'demo' });
        jobs.push({ dataType, window, id });
        log(`queued scoring job ${id}: ${dataType} ${windowKey(window)}`);
      }
    }
    for (const job of jobs) {
      const state = await waitForJob(worker.queues, job.id, () => undefined);
      result.scoring.push({ dataType: job.dataType, window: job.window, jobId: job.id, state: state.state, result: state.result, failedReason: state.failedReason });
      log(`scoring job ${job.id} (${job.dataType}) ${state.state}${state.failedReason ? `: ${state.failedReason}` : ''}`);
    }

    const rankedByType = new Map<DataType, RankedRecord[]>();
    for (const dataType of ingestedTypes) {
      const ranked: RankedRecord[] = [];
      rankedByType.set(dataType, ranked);
      const page = await services.suspicious.search(dataType, { match_all: {} }, [{ 'spothreat.fused.rank': { order: 'asc', missing: '_last' } }, { 'spothreat.rank': 'asc' }], 0, RANKED_PER_TYPE);
      const provenance = await provenanceOf(services.client, page.items.map((item) => item.doc.spothreat.raw));
      page.items.forEach((item, position) => {
        const raw = provenance.get(`${item.doc.spothreat.raw.index}/${item.doc.spothreat.raw.id}`);
        const attack = raw ? (labels ? labels.attackOf(raw.file, raw.record) : raw.label && !/benign|background/i.test(raw.label) ? raw.labelDetail ?? raw.label : undefined) : undefined;
        if (raw) ranked.push({ file: raw.file, record: raw.record });
        if (position < options.show) {
          result.top.push({
            dataType,
            rank: (item.doc.spothreat as { fused?: { rank?: number } }).fused?.rank ?? item.doc.spothreat.rank,
            score: item.doc.spothreat.score,
            time: String((item.doc as unknown as Record<string, unknown>)['@timestamp']),
            summary: describeEvent(dataType, item.doc as unknown as Record<string, unknown>),
            explanation: item.doc.spothreat.explanation,
            heuristics: item.doc.spothreat.heuristics,
            ...(attack ? { attack } : {}),
          });
        }
      });
    }

    if (labels) {
      const truth = labels;
      const byType = [...rankedByType].map(([dataType, ranked]) => ({ dataType, k100: precisionAtK(ranked, truth, 100), k1000: precisionAtK(ranked, truth, 1000) }));
      const merged = interleave([...rankedByType.values()]);
      const found = (k: 'k100' | 'k1000') => [...new Set(byType.flatMap((t) => Object.keys(t[k].byAttack)))].sort();
      result.precision = {
        byType,
        merged: { k100: precisionAtK(merged, truth, 100), k1000: precisionAtK(merged, truth, 1000) },
        attacksInTop100: found('k100'),
        attacksInTop1000: found('k1000'),
        attacks: truth.attacks(),
      };
    }
    return result;
  } finally {
    await worker.close();
    await services.close();
  }
}
