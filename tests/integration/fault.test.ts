import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOpenSearchClient, indexNames } from '../../scorer-service/src/adapters/opensearch/client';
import { REAL_NFDUMP_CSV, writeSyntheticFlowCsv } from '../../scorer-service/src/bench/ingestBench';
import { loadConfig } from '../../scorer-service/src/config';
import type { IngestSummary } from '../../scorer-service/src/ingest/pipeline';
import { loadState, statePathFor } from '../../scorer-service/src/ingest/watchState';
import { runningPid, startNode, stopNode } from '../../scorer-service/src/stack/opensearchNode';

/**
 * OpenSearch going away in the middle of an ingest. The shared node on 9200 is never touched: this test
 * starts a throwaway node of its own (its own state folder, port 9250, 512 MB heap), kills it while an
 * ingest is writing, and stops it for good at the end.
 */

jest.setTimeout(900_000);

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'scorer-service', 'bin', 'spothreat.cjs');
const sharedConfig = loadConfig();

// The node runs as a system user when the tests run as root, so its folder must be reachable by others.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-fault-'));
fs.chmodSync(home, 0o755);
const env = {
  ...process.env,
  SPOTHREAT_HOME: home,
  SPOTHREAT_OPENSEARCH_PORT: process.env.SPOTHREAT_FAULT_PORT ?? '9250',
  SPOTHREAT_OPENSEARCH_HEAP: '512m',
  SPOTHREAT_INDEX_PREFIX: 'fault-',
};
delete env.SPOTHREAT_OPENSEARCH_URL;
const config = loadConfig(env);
const client = createOpenSearchClient(config, { maxRetries: 0 });
const flowsDir = path.join(home, 'incoming');
const FLOWS = 300_000;
// A few bulk requests in, so some documents were acknowledged (and fsynced) before the node dies.
const KILL_AFTER = 30_000;
const log = () => undefined;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(args: string[]): { done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))) };
}

/** Documents the node has taken into the raw flow indices so far (indexing stats need no refresh). */
async function indexedSoFar(): Promise<number> {
  try {
    const res = await client.indices.stats({ index: indexNames.rawPattern('fault-', 'flow'), metric: 'indexing' }, { requestTimeout: 2000 });
    return (res.body as { _all?: { primaries?: { indexing?: { index_total?: number } } } })._all?.primaries?.indexing?.index_total ?? 0;
  } catch {
    return 0;
  }
}

async function stopNodeOnceWriting(run: Promise<CliRun>): Promise<void> {
  const finished = run.then(() => true);
  for (;;) {
    const early = await Promise.race([finished, new Promise<false>((r) => setTimeout(() => r(false), 100))]);
    if (early) throw new Error('the ingest finished before the node could be stopped under it; raise FLOWS');
    if ((await indexedSoFar()) >= KILL_AFTER) break;
  }
  // Killed, not shut down: the way a node is lost to a crash or an out-of-memory kill, and at once, so the
  // ingest cannot finish during a graceful shutdown.
  const pid = runningPid(config);
  if (pid === undefined) throw new Error('the throwaway node is not running');
  process.kill(pid, 'SIGKILL');
  await stopNode(config);
}

async function distinctFlows(): Promise<number> {
  const index = indexNames.rawPattern('fault-', 'flow');
  await client.indices.refresh({ index });
  const res = await client.count({ index });
  return (res.body as { count: number }).count;
}

const stateOf = () => {
  const key = { dir: flowsDir, dataType: 'flow' as const, format: 'nfdump-csv', indexPrefix: 'fault-', opensearchUrl: config.opensearch.url };
  return loadState(statePathFor(home, key), key);
};

beforeAll(async () => {
  const cachedZip = path.join(sharedConfig.home, 'cache', `opensearch-${config.opensearch.version}.zip`);
  if (fs.existsSync(cachedZip)) {
    fs.mkdirSync(path.join(home, 'cache'), { recursive: true });
    fs.copyFileSync(cachedZip, path.join(home, 'cache', path.basename(cachedZip)));
  }
  fs.mkdirSync(flowsDir);
  await writeSyntheticFlowCsv(REAL_NFDUMP_CSV, path.join(flowsDir, 'flows.csv'), FLOWS);
  const past = new Date(Date.now() - 120_000);
  fs.utimesSync(path.join(flowsDir, 'flows.csv'), past, past);
  await startNode(config, log);
});

afterAll(async () => {
  await client.close();
  await stopNode(config);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('OpenSearch killed during an ingest', () => {
  it('makes ingest exit non-zero with a clear reason', async () => {
    const run = startCli(['ingest', 'flow', '--format', 'nfdump-csv', '--retries', '2', '--json', path.join(flowsDir, 'flows.csv')]);
    await stopNodeOnceWriting(run.done);
    const result = await run.done;
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^spothreat: OpenSearch failed during the ingest \(.+\); \d+ of \d+ records read were acknowledged before it\. Nothing is marked done/m);
  });

  it('leaves the file unmarked when watch loses OpenSearch mid-file', async () => {
    await startNode(config, log);
    const run = startCli(['watch', 'flow', '--format', 'nfdump-csv', '--once', '--settle', '0', '--retries', '2', '--json', flowsDir]);
    await stopNodeOnceWriting(run.done);
    const result = await run.done;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/OpenSearch failed during the ingest/);
    expect(stateOf().files).toEqual({});
  });

  it('completes on the rerun, marks the file done and holds every flow exactly once', async () => {
    await startNode(config, log);
    const result = await startCli(['watch', 'flow', '--format', 'nfdump-csv', '--once', '--settle', '0', '--json', flowsDir]).done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.split('\n')[0]) as IngestSummary;
    expect(summary.read).toBe(FLOWS);
    expect(summary.rejected).toBe(0);
    expect(summary.indexed + summary.duplicates).toBe(FLOWS);
    // The first two runs got part of the file in before the node died; the rerun finds those as duplicates.
    expect(summary.duplicates).toBeGreaterThan(0);
    expect(await distinctFlows()).toBe(FLOWS);
    expect(stateOf().files['flows.csv']).toMatchObject({ status: 'done', read: FLOWS });
  });
});
