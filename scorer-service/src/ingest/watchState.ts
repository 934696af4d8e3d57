import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataType } from '../domain/events';
import type { Counts } from './stats';

/**
 * What `spothreat watch` has done with the files of one folder, kept in a JSON file under the state folder
 * so that a restarted watcher skips what is done. A file's entry is written only after its ingest returned,
 * which is after OpenSearch acknowledged every one of its records.
 */

export interface FileRecord extends Counts {
  size: number;
  mtimeMs: number;
  /** `done`: every record accounted for. `failed`: the file could not be read to its end; retried only if it changes. */
  status: 'done' | 'failed';
  runId: string;
  at: string;
  error?: string;
}

export interface WatchState {
  version: 1;
  dir: string;
  dataType: DataType;
  format: string;
  indexPrefix: string;
  files: Record<string, FileRecord>;
}

export interface WatchKey {
  dir: string;
  dataType: DataType;
  format: string;
  indexPrefix: string;
  opensearchUrl: string;
}

/** One state file per folder, data type, format and destination. */
export function statePathFor(home: string, key: WatchKey): string {
  const dir = path.resolve(key.dir);
  const digest = createHash('sha1').update([dir, key.dataType, key.format, key.indexPrefix, key.opensearchUrl].join('\u001f')).digest('hex').slice(0, 16);
  return path.join(home, 'watch', `${path.basename(dir) || 'root'}-${key.dataType}-${digest}.json`);
}

export function loadState(file: string, key: Omit<WatchKey, 'opensearchUrl'>): WatchState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { version: 1, dir: path.resolve(key.dir), dataType: key.dataType, format: key.format, indexPrefix: key.indexPrefix, files: {} };
    }
    throw new Error(`cannot read the watch state ${file}: ${(error as Error).message}`);
  }
  let state: WatchState;
  try {
    state = JSON.parse(text) as WatchState;
  } catch (error) {
    throw new Error(`the watch state ${file} is not valid JSON (${(error as Error).message}); move it away to start over`);
  }
  if (state.version !== 1 || typeof state.files !== 'object' || state.files === null) {
    throw new Error(`the watch state ${file} is not a version 1 state; move it away to start over`);
  }
  return state;
}

/** Written to a temporary file and renamed, so a crash leaves the old state or the new one, never half of one. */
export function saveState(file: string, state: WatchState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes sure one watcher at a time works on a state file. A lock left by a process that is gone is taken
 * over. Returns the function that releases it.
 */
export function lockState(file: string): () => void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new Error(`another spothreat watch (pid ${holder}) is working on this folder (lock ${lock})`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not take the lock ${lock}`);
}
