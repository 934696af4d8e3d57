import type { DataType } from '../domain/events';
import { hashId } from './ids';

/**
 * Ingest statistics for the ingest-summary view (Spot's `<type>_ingest_summary`: events per minute), kept per
 * source file and data type, plus one document per file and per run. Minute documents are keyed by data
 * type, sensor, file and minute, so ingesting a file again overwrites its counts instead of adding to them.
 */

export interface Counts {
  read: number;
  indexed: number;
  duplicates: number;
  rejected: number;
}

export const zeroCounts = (): Counts => ({ read: 0, indexed: 0, duplicates: 0, rejected: 0 });

interface MinuteBucket {
  file: string;
  minute: string;
  /** Events whose time falls in the minute (documents sent, whatever became of them). */
  events: number;
  duplicates: number;
  rejected: number;
}

const MINUTE_MS = 60_000;

/** The start of the UTC minute of an ISO timestamp, as ISO (`2018-01-12T15:37:00.000Z`). */
export function minuteOf(timestamp: string): string {
  // Decoders write UTC with a `Z`; the common case needs no date parsing.
  if (timestamp.length >= 17 && timestamp.endsWith('Z') && timestamp[10] === 'T') return `${timestamp.slice(0, 16)}:00.000Z`;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return 'invalid';
  return new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS).toISOString();
}

export class MinuteCounter {
  private readonly buckets = new Map<string, MinuteBucket>();

  // Records mostly arrive in time order, so the bucket of the previous record is usually the right one.
  private last?: { file: string; prefix: string; bucket: MinuteBucket };

  private bucket(file: string, timestamp: string): MinuteBucket {
    const last = this.last;
    if (last && last.file === file && timestamp.startsWith(last.prefix) && timestamp.endsWith('Z')) return last.bucket;
    const minute = minuteOf(timestamp);
    const key = `${file}\u0000${minute}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { file, minute, events: 0, duplicates: 0, rejected: 0 };
      this.buckets.set(key, bucket);
    }
    if (minute !== 'invalid' && timestamp.endsWith('Z') && timestamp[10] === 'T') this.last = { file, prefix: timestamp.slice(0, 16), bucket };
    return bucket;
  }

  event(file: string, timestamp: string): void {
    this.bucket(file, timestamp).events += 1;
  }

  duplicate(file: string, timestamp: string): void {
    this.bucket(file, timestamp).duplicates += 1;
  }

  rejected(file: string, timestamp: string): void {
    this.bucket(file, timestamp).rejected += 1;
  }

  get size(): number {
    return this.buckets.size;
  }

  *entries(): Iterable<MinuteBucket> {
    yield* this.buckets.values();
  }
}

export interface RunMeta {
  runId: string;
  dataType: DataType;
  format: string;
  sensor: string;
}

export interface StatsDocument {
  id: string;
  doc: {
    '@timestamp': string;
    ingest: Record<string, string | number | undefined>;
  };
}

export function minuteDocuments(counter: MinuteCounter, meta: RunMeta): StatsDocument[] {
  const docs: StatsDocument[] = [];
  for (const b of counter.entries()) {
    if (b.minute === 'invalid') continue;
    docs.push({
      id: hashId(['minute', meta.dataType, meta.sensor, b.file, b.minute].join('\u001f')),
      doc: {
        '@timestamp': b.minute,
        ingest: {
          kind: 'minute',
          run_id: meta.runId,
          data_type: meta.dataType,
          format: meta.format,
          sensor: meta.sensor,
          file: b.file,
          read: b.events,
          indexed: b.events - b.duplicates - b.rejected,
          duplicates: b.duplicates,
          rejected: b.rejected,
        },
      },
    });
  }
  return docs;
}

export interface TotalsLine extends Counts {
  file?: string;
  files?: number;
  bytes: number;
  seconds: number;
  started: string;
  ended: string;
  status: 'completed' | 'failed';
  error?: string;
}

export function totalsDocument(kind: 'file' | 'run', meta: RunMeta, line: TotalsLine): StatsDocument {
  return {
    id: hashId([kind, meta.runId, line.file ?? ''].join('\u001f')),
    doc: {
      '@timestamp': line.ended,
      ingest: {
        kind,
        run_id: meta.runId,
        data_type: meta.dataType,
        format: meta.format,
        sensor: meta.sensor,
        file: line.file,
        files: line.files,
        status: line.status,
        error: line.error,
        read: line.read,
        indexed: line.indexed,
        duplicates: line.duplicates,
        rejected: line.rejected,
        bytes: line.bytes,
        seconds: line.seconds,
        records_per_second: line.seconds > 0 ? Math.round(line.read / line.seconds) : 0,
        started: line.started,
        ended: line.ended,
      },
    },
  };
}
