import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Client } from '@opensearch-project/opensearch';
import type { OnDropDocument } from '@opensearch-project/opensearch/lib/Helpers';
import { bulkClientWithBackoff, DEFAULT_BACKOFF, withBackoff, type BackoffPolicy, type RetryListener } from '../adapters/opensearch/backoff';
import { indexDay, indexNames } from '../adapters/opensearch/client';
import { applyTemplates, conflictRefusal } from '../adapters/opensearch/templates';
import type { DataType, RawEvent } from '../domain/events';
import type { DecodeResult, Decoder } from './decoder';
import { eventId, rejectionId } from './ids';
import { getDecoder } from './registry';
import { MinuteCounter, minuteDocuments, totalsDocument, zeroCounts, type Counts, type RunMeta, type StatsDocument } from './stats';

/**
 * The ingest pipeline: decoder -> deterministic `_id` -> the client's bulk helper with `create`, so that an id
 * already present is counted as a duplicate and never written twice. Memory stays bounded: the helper pulls one
 * record at a time from the decoder's async iterable and holds at most `concurrency` bodies of `flushBytes`.
 * Rejected records (by the decoder, or by OpenSearch's mapping) go to the dead-letter index with their reason.
 * The counts always satisfy read = indexed + duplicates + rejected; a run that cannot say so fails.
 */

export interface BulkTuning {
  flushBytes: number;
  concurrency: number;
}

export const DEFAULT_BULK: BulkTuning = { flushBytes: 4_000_000, concurrency: 2 };

export interface IngestProgress {
  records: number;
  bytes: number;
  totalBytes: number;
  file: string;
}

export interface IngestRequest {
  dataType: DataType;
  format: string;
  files: readonly string[];
  indexPrefix: string;
  /** Name of the sensor or collector the files come from (ingest statistics); the host name by default. */
  sensor?: string;
  runId?: string;
  /** A decoder to use instead of the registry's (tests). */
  decoder?: Decoder;
  bulk?: Partial<BulkTuning>;
  backoff?: BackoffPolicy;
  onRetry?: RetryListener;
  onProgress?: (progress: IngestProgress) => void;
  /** Stops the run; it then fails as aborted and nothing is reported done. */
  signal?: AbortSignal;
  /** Make the written documents searchable before returning (on by default). */
  refresh?: boolean;
}

export interface FileSummary extends Counts {
  file: string;
  bytes: number;
  seconds: number;
  /** Set when the file could not be read to its end (unreadable, or not of the given format). */
  error?: string;
}

export interface IngestSummary extends Counts {
  runId: string;
  dataType: DataType;
  format: string;
  sensor: string;
  files: FileSummary[];
  /** Files with an `error`: their records read up to the error are counted, the rest were never read. */
  failedFiles: string[];
  bytes: number;
  seconds: number;
  recordsPerSecond: number;
  started: string;
  ended: string;
}

/** OpenSearch could not take the run's documents; nothing of the run may be reported done. */
export class IngestFailure extends Error {
  constructor(
    message: string,
    readonly acknowledged: number,
    readonly read: number,
  ) {
    super(message);
    this.name = 'IngestFailure';
  }
}

/** Raised when the counts do not add up: a bug, never an input problem. */
export class AccountingError extends Error {
  constructor(message: string) {
    super(`ingest accounting does not add up (a bug; please report it): ${message}`);
    this.name = 'AccountingError';
  }
}

/** Dead letters keep this much of the raw text; the full length is recorded beside it. */
export const MAX_RAW_CHARS = 32_768;

interface FileTally {
  file: string;
  read: number;
  /** Event documents handed to the bulk helper. */
  events: number;
  decodeRejected: number;
  duplicates: number;
  indexRejected: number;
  bytes: number;
  started: number;
  ended: number;
  error?: string;
}

type Operation =
  | { kind: 'event'; index: string; id: string; doc: RawEvent }
  | { kind: 'dead-letter'; index: string; id: string; doc: DeadLetter };

export interface DeadLetter {
  '@timestamp': string;
  ingest: { run_id: string };
  rejected: {
    data_type: DataType;
    format: string;
    file: string;
    record: number;
    stage: 'decode' | 'index';
    reason: string;
    raw: string;
    raw_bytes: number;
    raw_truncated: boolean;
  };
}

export function deadLetter(
  meta: RunMeta,
  where: { file: string; record: number; format: string },
  stage: 'decode' | 'index',
  reason: string,
  raw: string,
): DeadLetter {
  const truncated = raw.length > MAX_RAW_CHARS;
  return {
    '@timestamp': new Date().toISOString(),
    ingest: { run_id: meta.runId },
    rejected: {
      data_type: meta.dataType,
      format: where.format,
      file: where.file,
      record: where.record,
      stage,
      reason,
      raw: truncated ? raw.slice(0, MAX_RAW_CHARS) : raw,
      raw_bytes: Buffer.byteLength(raw),
      raw_truncated: truncated,
    },
  };
}

/** A queue the dead-letter bulk helper reads while the main one runs; the producer waits when it is long. */
class DeadLetterQueue implements AsyncIterable<Operation> {
  private items: Operation[] = [];
  private closed = false;
  private wakeReader?: () => void;
  private wakeWriters: (() => void)[] = [];

  constructor(private readonly highWater: number) {}

  push(op: Operation): void {
    this.items.push(op);
    this.wakeReader?.();
  }

  close(): void {
    this.closed = true;
    this.wakeReader?.();
  }

  async roomToWrite(): Promise<void> {
    while (this.items.length >= this.highWater && !this.closed) await new Promise<void>((resolve) => this.wakeWriters.push(resolve));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Operation> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        if (this.items.length < this.highWater) this.wakeWriters.splice(0).forEach((wake) => wake());
        yield next;
      } else if (this.closed) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
        this.wakeReader = undefined;
      }
    }
  }
}

function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

function dropReason(drop: OnDropDocument<unknown>): string {
  const error = drop.error;
  if (!error) return `status ${drop.status}`;
  const cause = error.caused_by ? ` (${error.caused_by.type}: ${error.caused_by.reason})` : '';
  return `${error.type}: ${error.reason}${cause}`;
}

function targetIndex(drop: OnDropDocument<unknown>): string | undefined {
  const operation = drop.operation as unknown as Record<string, { _index?: string } | undefined>;
  return (operation.create ?? operation.index)?._index;
}

/** Statuses that say the document itself is wrong for the index; anything else is the cluster's problem. */
function isDocumentProblem(status: number): boolean {
  return status === 400;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Installs the templates (with backoff while the cluster comes up) and refuses to go on over conflicts. Also
 * creates the dead-letter and statistics indices, so that views over them work before the first rejection
 * and no ingest run pays for creating them.
 */
export async function prepareIndices(client: Client, indexPrefix: string, backoff: BackoffPolicy = DEFAULT_BACKOFF, onRetry?: RetryListener): Promise<void> {
  const result = await withBackoff(backoff, () => applyTemplates(client, indexPrefix), onRetry);
  if (!result.ok) {
    throw new Error(conflictRefusal('existing indices conflict with the templates, so ingest would be rejected; nothing was written', result.conflicts));
  }
  for (const index of [indexNames.deadLetters(indexPrefix), indexNames.ingestStats(indexPrefix)]) {
    const created = await withBackoff(backoff, () => client.indices.create({ index }, { ignore: [400] }), onRetry);
    const error = (created.body as { error?: { type?: string; reason?: string } }).error;
    if (created.statusCode === 400 && error?.type !== 'resource_already_exists_exception') {
      throw new Error(`could not create ${index}: ${error?.reason ?? 'status 400'}`);
    }
  }
}

export async function runIngest(client: Client, request: IngestRequest): Promise<IngestSummary> {
  const decoder = request.decoder ?? getDecoder(request.format);
  if (!decoder.dataTypes.includes(request.dataType)) {
    throw new Error(`format '${decoder.format}' does not carry ${request.dataType} records (it carries ${decoder.dataTypes.join(', ')})`);
  }
  const files = [...new Set(request.files)];
  const meta: RunMeta = {
    runId: request.runId ?? newRunId(),
    dataType: request.dataType,
    format: decoder.format,
    sensor: request.sensor ?? os.hostname(),
  };
  const prefix = request.indexPrefix;
  const deadLetterIndex = indexNames.deadLetters(prefix);
  const bulk = { ...DEFAULT_BULK, ...request.bulk };
  const backoff = request.backoff ?? DEFAULT_BACKOFF;
  const bulkClient = bulkClientWithBackoff(client, backoff, request.onRetry);
  const startedAt = Date.now();
  const tallies = new Map<string, FileTally>(files.map((file) => [file, { file, read: 0, events: 0, decodeRejected: 0, duplicates: 0, indexRejected: 0, bytes: 0, started: 0, ended: 0 }]));
  const minutes = new MinuteCounter();
  const totalBytes = files.reduce((sum, f) => sum + fileSize(f), 0);
  let recordsRead = 0;
  let bytesDone = 0;
  let decodeDeadLettersSent = 0;
  let fatal: Error | undefined;

  const deadLetters = new DeadLetterQueue(2_000);

  async function* operations(): AsyncGenerator<Operation> {
    for (const file of files) {
      const tally = tallies.get(file)!;
      tally.started = Date.now();
      let fileBytes = 0;
      const onBytes = (bytes: number) => {
        fileBytes = bytes;
      };
      try {
        for await (const result of decoder.decode(file, request.dataType, { file, onBytes })) {
          tally.read += 1;
          recordsRead += 1;
          if (result.ok) {
            const doc = result.doc;
            // The file as named here is the accounting key; the decoder contract says they agree.
            if (doc.spothreat.file !== file) doc.spothreat.file = file;
            const timestamp = doc['@timestamp'];
            tally.events += 1;
            minutes.event(file, timestamp);
            yield { kind: 'event', index: indexNames.raw(prefix, request.dataType, indexDay(timestamp)), id: eventId(request.dataType, doc), doc };
          } else {
            tally.decodeRejected += 1;
            decodeDeadLettersSent += 1;
            yield {
              kind: 'dead-letter',
              index: deadLetterIndex,
              id: rejectionId(request.dataType, meta.format, file, result.record, result.raw),
              doc: deadLetter(meta, { file, record: result.record, format: meta.format }, 'decode', result.reason, result.raw),
            };
          }
          if ((recordsRead & 255) === 0) {
            // Decoding a buffered file is a chain of microtasks; without a turn of the event loop now and then,
            // bulk responses that arrived meanwhile wait, and OpenSearch sits idle with fewer requests in flight.
            await new Promise<void>((resolve) => setImmediate(resolve));
            if ((recordsRead & 1023) === 0) {
              request.onProgress?.({ records: recordsRead, bytes: bytesDone + fileBytes, totalBytes, file });
              await deadLetters.roomToWrite();
            }
          }
        }
      } catch (error) {
        tally.error = error instanceof Error ? error.message : String(error);
      }
      tally.ended = Date.now();
      tally.bytes = Math.max(fileBytes, fileSize(file));
      bytesDone += tally.bytes;
      request.onProgress?.({ records: recordsRead, bytes: bytesDone, totalBytes, file });
    }
  }

  const failRun = (message: string) => {
    if (!fatal) fatal = new Error(message);
    mainHelper.abort();
    deadLetterHelper.abort();
  };

  const onDocument = (op: Operation) =>
    op.kind === 'event'
      ? ([{ create: { _index: op.index, _id: op.id } }, op.doc] as const)
      : ([{ index: { _index: op.index, _id: op.id } }, op.doc] as const);

  const mainHelper = bulkClient.helpers.bulk<Operation>({
    datasource: operations(),
    onDocument: (op) => [...onDocument(op)],
    flushBytes: bulk.flushBytes,
    concurrency: bulk.concurrency,
    retries: backoff.retries,
    wait: backoff.baseDelayMs,
    onDrop: (drop: OnDropDocument<unknown>) => {
      if (targetIndex(drop) === deadLetterIndex) return failRun(`OpenSearch did not store a rejected record in ${deadLetterIndex}: ${dropReason(drop)}`);
      const doc = drop.document as RawEvent;
      const tally = tallies.get(doc.spothreat?.file);
      if (!tally) return failRun(`OpenSearch reported a document this run did not send: ${dropReason(drop)}`);
      if (drop.status === 409) {
        tally.duplicates += 1;
        minutes.duplicate(tally.file, doc['@timestamp']);
      } else if (isDocumentProblem(drop.status)) {
        tally.indexRejected += 1;
        minutes.rejected(tally.file, doc['@timestamp']);
        const raw = JSON.stringify(doc);
        deadLetters.push({
          kind: 'dead-letter',
          index: deadLetterIndex,
          id: rejectionId(request.dataType, doc.spothreat.format, tally.file, doc.spothreat.record, raw),
          doc: deadLetter(meta, { file: tally.file, record: doc.spothreat.record, format: doc.spothreat.format }, 'index', dropReason(drop), raw),
        });
      } else {
        failRun(`OpenSearch refused a document with status ${drop.status}: ${dropReason(drop)}`);
      }
    },
  });

  let indexDeadLettersFailed = 0;
  const deadLetterHelper = bulkClient.helpers.bulk<Operation>({
    datasource: deadLetters[Symbol.asyncIterator](),
    onDocument: (op) => [...onDocument(op)],
    flushBytes: 1_000_000,
    concurrency: 1,
    retries: backoff.retries,
    wait: backoff.baseDelayMs,
    onDrop: (drop: OnDropDocument<unknown>) => {
      indexDeadLettersFailed += 1;
      failRun(`OpenSearch did not store a rejected record in ${deadLetterIndex}: ${dropReason(drop)}`);
    },
  });

  const abortListener = () => failRun('the ingest was stopped before it finished');
  request.signal?.addEventListener('abort', abortListener, { once: true });

  const describeFailure = (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    const acknowledged = mainHelper.stats.successful + mainHelper.stats.failed;
    return new IngestFailure(
      `OpenSearch failed during the ingest (${reason}); ${acknowledged} of ${recordsRead} records read were acknowledged before it. ` +
        'Nothing is marked done; run the same command again to finish (ids are deterministic, nothing will be duplicated).',
      acknowledged,
      recordsRead,
    );
  };

  let mainStats;
  try {
    mainStats = await mainHelper;
  } catch (error) {
    deadLetters.close();
    deadLetterHelper.abort();
    await deadLetterHelper.catch(() => undefined);
    throw describeFailure(error);
  } finally {
    request.signal?.removeEventListener('abort', abortListener);
  }
  deadLetters.close();
  let deadLetterStats;
  try {
    deadLetterStats = await deadLetterHelper;
  } catch (error) {
    throw describeFailure(error);
  }
  if (fatal) throw describeFailure(fatal);

  const endedAt = Date.now();
  const summaries: FileSummary[] = [];
  const totals = zeroCounts();
  let duplicates = 0;
  let indexRejected = 0;
  for (const t of tallies.values()) {
    const indexed = t.events - t.duplicates - t.indexRejected;
    const line: FileSummary = {
      file: t.file,
      read: t.read,
      indexed,
      duplicates: t.duplicates,
      rejected: t.decodeRejected + t.indexRejected,
      bytes: t.bytes,
      seconds: (t.ended - t.started) / 1000,
    };
    if (t.error) line.error = t.error;
    if (line.read !== line.indexed + line.duplicates + line.rejected || t.read !== t.events + t.decodeRejected) {
      throw new AccountingError(`${t.file}: read ${line.read}, indexed ${line.indexed}, duplicates ${line.duplicates}, rejected ${line.rejected}`);
    }
    summaries.push(line);
    totals.read += line.read;
    totals.indexed += line.indexed;
    totals.duplicates += line.duplicates;
    totals.rejected += line.rejected;
    duplicates += t.duplicates;
    indexRejected += t.indexRejected;
  }
  // Cross-check against what OpenSearch acknowledged: every document written or refused is in these counts.
  if (mainStats.successful !== totals.indexed + decodeDeadLettersSent || mainStats.failed !== duplicates + indexRejected) {
    throw new AccountingError(
      `OpenSearch acknowledged ${mainStats.successful} writes and ${mainStats.failed} refusals; the run counted ${totals.indexed} events and ` +
        `${decodeDeadLettersSent} dead letters written, ${duplicates} duplicates and ${indexRejected} refused`,
    );
  }
  if (deadLetterStats.successful !== indexRejected || indexDeadLettersFailed > 0) {
    throw new AccountingError(`${indexRejected} documents were refused but ${deadLetterStats.successful} of their dead letters were stored`);
  }
  if (totals.read !== totals.indexed + totals.duplicates + totals.rejected) {
    throw new AccountingError(`read ${totals.read} != indexed ${totals.indexed} + duplicates ${totals.duplicates} + rejected ${totals.rejected}`);
  }

  const seconds = (endedAt - startedAt) / 1000;
  const summary: IngestSummary = {
    runId: meta.runId,
    dataType: meta.dataType,
    format: meta.format,
    sensor: meta.sensor,
    ...totals,
    files: summaries,
    failedFiles: summaries.filter((f) => f.error !== undefined).map((f) => f.file),
    bytes: summaries.reduce((sum, f) => sum + f.bytes, 0),
    seconds,
    recordsPerSecond: seconds > 0 ? Math.round(totals.read / seconds) : 0,
    started: new Date(startedAt).toISOString(),
    ended: new Date(endedAt).toISOString(),
  };
  try {
    await writeStatistics(bulkClient, prefix, meta, minutes, summary, tallies);
    if (request.refresh !== false) {
      await withBackoff(backoff, () =>
        client.indices.refresh({ index: `${indexNames.rawPattern(prefix, meta.dataType)},${deadLetterIndex},${indexNames.ingestStats(prefix)}`, allow_no_indices: true, ignore_unavailable: true }),
      );
    }
  } catch (error) {
    throw describeFailure(error);
  }
  return summary;
}

async function writeStatistics(
  client: Client,
  prefix: string,
  meta: RunMeta,
  minutes: MinuteCounter,
  summary: IngestSummary,
  tallies: Map<string, FileTally>,
): Promise<void> {
  const docs: StatsDocument[] = minuteDocuments(minutes, meta);
  for (const f of summary.files) {
    const t = tallies.get(f.file)!;
    docs.push(
      totalsDocument('file', meta, {
        ...f,
        started: new Date(t.started || Date.parse(summary.started)).toISOString(),
        ended: new Date(t.ended || Date.parse(summary.ended)).toISOString(),
        status: f.error ? 'failed' : 'completed',
      }),
    );
  }
  docs.push(
    totalsDocument('run', meta, {
      read: summary.read,
      indexed: summary.indexed,
      duplicates: summary.duplicates,
      rejected: summary.rejected,
      files: summary.files.length,
      bytes: summary.bytes,
      seconds: summary.seconds,
      started: summary.started,
      ended: summary.ended,
      status: summary.failedFiles.length > 0 ? 'failed' : 'completed',
      error: summary.failedFiles.length > 0 ? `${summary.failedFiles.length} file(s) could not be read to the end` : undefined,
    }),
  );
  const index = indexNames.ingestStats(prefix);
  const failures: string[] = [];
  const stats = await client.helpers.bulk<StatsDocument>({
    datasource: docs,
    onDocument: (d) => [{ index: { _index: index, _id: d.id } }, d.doc],
    onDrop: (drop) => failures.push(dropReason(drop)),
  });
  if (failures.length > 0 || stats.failed > 0) throw new Error(`ingest statistics were not stored: ${failures.slice(0, 3).join('; ')}`);
}
