import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyFiles, isInProgressName, type FileEntry } from './watch';
import { loadState, lockState, saveState, statePathFor } from './watchState';

const now = 1_000_000;
const entry = (name: string, size = 100, ageMs = 60_000): FileEntry => ({ name, size, mtimeMs: now - ageMs });
const noState = { files: {} };

describe('choosing the files a watch takes', () => {
  it.each(['nfcapd.current.4242', '.hidden', 'conn.log.tmp', 'x.part', 'dump.pcap~', 'upload.filepart'])('leaves the in-progress name %s', (name) => {
    expect(isInProgressName(name)).toBe(true);
  });

  it.each(['nfcapd.201801121537', 'conn.log.gz', 'access.log'])('takes the finished name %s', (name) => {
    expect(isInProgressName(name)).toBe(false);
  });

  it('takes settled files oldest first and leaves in-progress ones', () => {
    const c = classifyFiles([entry('b', 1, 90_000), entry('nfcapd.current.1'), entry('a', 1, 120_000)], noState, new Map(), now, 5_000);
    expect(c.ready.map((e) => e.name)).toEqual(['a', 'b']);
    expect(c.ignored).toEqual(['nfcapd.current.1']);
  });

  it('leaves a file modified within the settle time', () => {
    const c = classifyFiles([entry('fresh', 10, 1_000)], noState, new Map(), now, 5_000);
    expect(c.growing).toEqual(['fresh']);
    expect(c.ready).toEqual([]);
  });

  it('leaves a file whose size changed since the last scan, however old its time stamp', () => {
    const previous = new Map([['log', entry('log', 50)]]);
    const c = classifyFiles([entry('log', 80)], noState, previous, now, 5_000);
    expect(c.growing).toEqual(['log']);
  });

  it('skips a file already done with the same size and time, and takes it again when it changed', () => {
    const done = entry('f', 100);
    const state = { files: { f: { size: 100, mtimeMs: done.mtimeMs, status: 'done' as const, runId: 'r', at: '', read: 1, indexed: 1, duplicates: 0, rejected: 0 } } };
    expect(classifyFiles([done], state, new Map(), now, 5_000).done).toEqual(['f']);
    expect(classifyFiles([entry('f', 120)], state, new Map(), now, 5_000).ready.map((e) => e.name)).toEqual(['f']);
  });

  it('takes only names matching --match', () => {
    const c = classifyFiles([entry('nfcapd.1'), entry('notes.txt')], noState, new Map(), now, 0, /^nfcapd\./);
    expect(c.ready.map((e) => e.name)).toEqual(['nfcapd.1']);
    expect(c.ignored).toEqual(['notes.txt']);
  });
});

describe('the watch state file', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-state-'));
  const key = { dir: '/data/flows', dataType: 'flow' as const, format: 'nfcapd', indexPrefix: 'p-', opensearchUrl: 'http://127.0.0.1:9200' };
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('keeps one state per folder, type, format and destination', () => {
    expect(statePathFor(home, key)).not.toBe(statePathFor(home, { ...key, indexPrefix: 'q-' }));
    expect(statePathFor(home, key)).toBe(statePathFor(home, { ...key, dir: '/data/flows/' }));
  });

  it('starts empty and reads back what was saved', () => {
    const file = statePathFor(home, key);
    const state = loadState(file, key);
    expect(state.files).toEqual({});
    state.files.a = { size: 1, mtimeMs: 2, status: 'done', runId: 'r', at: 't', read: 3, indexed: 3, duplicates: 0, rejected: 0 };
    saveState(file, state);
    expect(loadState(file, key).files.a.read).toBe(3);
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('names the state file when it is damaged', () => {
    const file = path.join(home, 'damaged.json');
    fs.writeFileSync(file, '{"version":1,');
    expect(() => loadState(file, key)).toThrow(new RegExp(`${file} is not valid JSON`));
  });

  it('lets one watcher hold the lock and takes over a lock whose process is gone', () => {
    const file = path.join(home, 'locked.json');
    const release = lockState(file);
    fs.writeFileSync(`${file}.lock`, String(process.ppid));
    expect(() => lockState(file)).toThrow(/another spothreat watch/);
    fs.writeFileSync(`${file}.lock`, '999999999');
    const again = lockState(file);
    again();
    release();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
