import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { BackoffPolicy, RetryListener } from '../adapters/opensearch/backoff';
import type { DataType } from '../domain/events';
import { prepareIndices, runIngest, type IngestProgress, type IngestSummary } from './pipeline';
import { loadState, lockState, saveState, type WatchState } from './watchState';

/**
 * `spothreat watch`: ingests each new file of a folder once. A file is taken when it is complete: not an
 * in-progress name (nfcapd writes `nfcapd.current.<pid>` and renames it when the interval closes) and no
 * longer growing (same size and modification time for the settle period). It is marked done only after
 * its ingest returned, i.e. after every record was acknowledged by OpenSearch.
 */

export interface FileEntry {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface Classified {
  ready: FileEntry[];
  growing: string[];
  ignored: string[];
  done: string[];
}

/** Names that are never complete files: in-progress captures, editor and download leftovers, hidden files. */
export function isInProgressName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.includes('.current') ||
    /\.(tmp|part|partial|swp|lock|filepart|crdownload)$/i.test(name) ||
    name.endsWith('~')
  );
}

/**
 * Sorts a folder listing into what to ingest now and what to leave. `previous` is the listing of the last
 * scan (empty on the first): a file that changed since then is still growing.
 */
export function classifyFiles(
  entries: readonly FileEntry[],
  state: Pick<WatchState, 'files'>,
  previous: ReadonlyMap<string, FileEntry>,
  now: number,
  settleMs: number,
  match?: RegExp,
): Classified {
  const out: Classified = { ready: [], growing: [], ignored: [], done: [] };
  for (const entry of entries) {
    if (isInProgressName(entry.name) || (match && !match.test(entry.name))) {
      out.ignored.push(entry.name);
      continue;
    }
    const record = state.files[entry.name];
    if (record && record.size === entry.size && record.mtimeMs === entry.mtimeMs) {
      out.done.push(entry.name);
      continue;
    }
    const before = previous.get(entry.name);
    const changedSinceLastScan = before !== undefined && (before.size !== entry.size || before.mtimeMs !== entry.mtimeMs);
    if (now - entry.mtimeMs < settleMs || changedSinceLastScan) {
      out.growing.push(entry.name);
      continue;
    }
    out.ready.push(entry);
  }
  out.ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

export function listFolder(dir: string): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!dirent.isFile()) continue;
    try {
      const stat = fs.statSync(path.join(dir, dirent.name));
      entries.push({ name: dirent.name, size: stat.size, mtimeMs: stat.mtimeMs });
    } catch {
      // Renamed or removed between listing and stat: the next scan sees it as it is then.
    }
  }
  return entries;
}

export interface WatchRequest {
  dir: string;
  dataType: DataType;
  format: string;
  indexPrefix: string;
  statePath: string;
  /** Take what is complete now, then return. */
  once: boolean;
  intervalMs: number;
  settleMs: number;
  match?: RegExp;
  sensor?: string;
  backoff?: BackoffPolicy;
  onRetry?: RetryListener;
  onProgress?: (progress: IngestProgress) => void;
  onFile?: (name: string, summary: IngestSummary) => void;
  onScan?: (classified: Classified) => void;
  /** First signal: finish the file under way and stop. */
  stop?: AbortSignal;
  /** Stop at once; the file under way is not marked and is taken again next time. */
  abort?: AbortSignal;
}

export interface WatchResult {
  ingested: string[];
  failed: string[];
  growing: string[];
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runWatch(client: Client, request: WatchRequest): Promise<WatchResult> {
  const key = { dir: request.dir, dataType: request.dataType, format: request.format, indexPrefix: request.indexPrefix };
  const release = lockState(request.statePath);
  const result: WatchResult = { ingested: [], failed: [], growing: [] };
  try {
    const state = loadState(request.statePath, key);
    await prepareIndices(client, request.indexPrefix, request.backoff, request.onRetry);
    let previous = new Map<string, FileEntry>();
    const stopped = () => request.stop?.aborted === true || request.abort?.aborted === true;
    while (!stopped()) {
      const entries = listFolder(request.dir);
      const classified = classifyFiles(entries, state, previous, Date.now(), request.settleMs, request.match);
      request.onScan?.(classified);
      result.growing = classified.growing;
      for (const entry of classified.ready) {
        if (stopped()) break;
        const summary = await runIngest(client, {
          dataType: request.dataType,
          format: request.format,
          files: [path.join(request.dir, entry.name)],
          indexPrefix: request.indexPrefix,
          sensor: request.sensor,
          backoff: request.backoff,
          onRetry: request.onRetry,
          onProgress: request.onProgress,
          signal: request.abort,
        });
        const file = summary.files[0];
        state.files[entry.name] = {
          size: entry.size,
          mtimeMs: entry.mtimeMs,
          status: file.error ? 'failed' : 'done',
          runId: summary.runId,
          at: summary.ended,
          read: file.read,
          indexed: file.indexed,
          duplicates: file.duplicates,
          rejected: file.rejected,
          ...(file.error ? { error: file.error } : {}),
        };
        saveState(request.statePath, state);
        (file.error ? result.failed : result.ingested).push(entry.name);
        request.onFile?.(entry.name, summary);
      }
      previous = new Map(entries.map((e) => [e.name, e]));
      if (request.once) break;
      await pause(request.intervalMs, request.stop);
    }
  } finally {
    release();
  }
  return result;
}
