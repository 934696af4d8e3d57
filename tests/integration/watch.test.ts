import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createOpenSearchClient, indexNames } from '../../scorer-service/src/adapters/opensearch/client';
import { removeTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import { loadConfig } from '../../scorer-service/src/config';
import type { IngestSummary } from '../../scorer-service/src/ingest/pipeline';
import { loadState, statePathFor } from '../../scorer-service/src/ingest/watchState';

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'scorer-service', 'bin', 'spothreat.cjs');
const nfdumpCsv = path.join(repo, '..', 'shared', 'data', 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz');

// The project's testTimeout is not applied to a single project run by jest 30; these tests start CLI processes.
jest.setTimeout(300_000);

const config = loadConfig();
const client = createOpenSearchClient(config);
const prefix = `t-watch-${randomBytes(4).toString('hex')}-`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-watch-home-'));
const env = { ...process.env, SPOTHREAT_HOME: home, SPOTHREAT_INDEX_PREFIX: prefix };

const [header, ...flows] = zlib.gunzipSync(fs.readFileSync(nfdumpCsv)).toString('utf8').trimEnd().split('\n');
/** The real export cut into parts with distinct flows, each a valid nfdump csv file. */
const part = (from: number, to: number) => `${[header, ...flows.slice(from, to)].join('\n')}\n`;

function writeSettled(dir: string, name: string, text: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const past = new Date(Date.now() - 120_000);
  fs.utimesSync(file, past, past);
}

function watchOnce(dir: string): { code: number | null; lines: Record<string, unknown>[]; stderr: string } {
  const run = spawnSync(process.execPath, [cli, 'watch', 'flow', '--format', 'nfdump-csv', '--once', '--settle', '0', '--json', dir], {
    cwd: repo,
    encoding: 'utf8',
    env,
  });
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr };
}

async function flowCount(): Promise<number> {
  const index = indexNames.rawPattern(prefix, 'flow');
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.count({ index, allow_no_indices: true, ignore_unavailable: true });
  return (res.body as { count: number }).count;
}

const stateOf = (dir: string) => {
  const key = { dir, dataType: 'flow' as const, format: 'nfdump-csv', indexPrefix: prefix, opensearchUrl: config.opensearch.url };
  return loadState(statePathFor(home, key), key);
};

async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
  await removeTemplates(client, prefix);
  await client.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('spothreat watch against the real OpenSearch', () => {
  it('ingests each file once across restarts and leaves in-progress files alone', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'flows-'));
    writeSettled(dir, 'a.csv', part(0, 1500));
    writeSettled(dir, 'b.csv', part(1500, 3000));
    writeSettled(dir, 'nfcapd.current.4242', part(3000, 3100));

    const first = watchOnce(dir);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const ingestedFirst = first.lines.filter((l) => 'runId' in l) as unknown as (IngestSummary & { file: string })[];
    expect(ingestedFirst.map((l) => l.file).sort()).toEqual(['a.csv', 'b.csv']);
    expect(ingestedFirst.every((l) => l.duplicates === 0 && l.rejected === 0)).toBe(true);
    expect(await flowCount()).toBe(3000);

    writeSettled(dir, 'c.csv', part(3000, flows.length));
    const second = watchOnce(dir);
    expect(second.code).toBe(0);
    const ingestedSecond = second.lines.filter((l) => 'runId' in l) as unknown as (IngestSummary & { file: string })[];
    expect(ingestedSecond.map((l) => l.file)).toEqual(['c.csv']);
    expect(ingestedSecond[0]).toMatchObject({ read: flows.length - 3000, indexed: flows.length - 3000, duplicates: 0 });
    expect(await flowCount()).toBe(flows.length);

    const third = watchOnce(dir);
    expect(third.code).toBe(0);
    expect(third.lines.at(-1)).toMatchObject({ done: true, ingested: [] });
    expect(Object.keys(stateOf(dir).files).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('keeps watching, waits for a growing file to settle, stops cleanly on SIGTERM and does not take a file twice after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'live-'));
    const before = await flowCount();
    const watcher = spawn(process.execPath, [cli, 'watch', 'flow', '--format', 'nfdump-csv', '--interval', '0.2', '--settle', '3', '--json', dir], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    watcher.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => watcher.on('exit', (code) => resolve(code)));
    try {
      // Written in pieces, as a collector would: the watcher must end up with the whole file.
      const growing = path.join(dir, 'growing.csv');
      const text = part(100, 700);
      const step = Math.ceil(text.length / 10);
      for (let i = 0; i < text.length; i += step) {
        fs.appendFileSync(growing, text.slice(i, i + step));
        await new Promise((r) => setTimeout(r, 100));
      }
      await until(() => stateOf(dir).files['growing.csv']?.size === fs.statSync(growing).size, 'the watcher to record growing.csv');
      expect(stateOf(dir).files['growing.csv']).toMatchObject({ status: 'done', read: 600 });
    } finally {
      watcher.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/spothreat:/);
    expect(await flowCount()).toBe(before);

    const restarted = watchOnce(dir);
    expect(restarted.code).toBe(0);
    expect(restarted.lines.at(-1)).toMatchObject({ done: true, ingested: [] });
  });
});
