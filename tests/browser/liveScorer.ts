/**
 * A live scorer for the browser tests: the real `spothreat` CLI ingests one real capture into indices of a prefix of
 * the test's own, scores and trains on it, and then `spothreat worker` and `spothreat serve` run against the shared
 * local OpenSearch and Redis. close() stops both processes and removes everything the prefix created.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { Queue } from 'bullmq';

import { QUEUES } from '../../scorer-service/src/queues/jobs';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'scorer-service', 'bin', 'spothreat.cjs');
/** A CTU-13 style nfdump export of one day (2018-01-12) from shared/data; read in place, never copied. */
export const CAPTURE = path.join(ROOT, '..', 'shared', 'data', 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz');
export const CAPTURE_DAY = { from: Date.parse('2018-01-12T00:00:00Z'), to: Date.parse('2018-01-13T00:00:00Z') };

export interface LiveScorer {
  url: string;
  token: string;
  prefix: string;
  close(): Promise<void>;
}

export function liveScorerAvailable(): boolean {
  if (!fs.existsSync(CAPTURE)) {
    return false;
  }
  const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
  return help.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function runCli(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`spothreat ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`spothreat serve exited (${child.exitCode}): ${log()}`);
    }
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`spothreat serve did not become healthy: ${log()}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startLiveScorer(): Promise<LiveScorer> {
  const suffix = randomBytes(4).toString('hex');
  const prefix = `t-browser-${suffix}-`;
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPOTHREAT_INDEX_PREFIX: prefix,
    SPOTHREAT_QUEUE_PREFIX: `t-browser-${suffix}`,
    SPOTHREAT_API_TOKEN: token,
    SPOTHREAT_API_HOST: '127.0.0.1',
    SPOTHREAT_API_PORT: String(port),
    SPOTHREAT_MAXRESULTS: '200',
    SPOTHREAT_LDA_TOPICS: '10',
    SPOTHREAT_LDA_ITERATIONS: '30',
    SPOTHREAT_SCHEDULE_FLOW: '',
    SPOTHREAT_SCHEDULE_DNS: '',
    SPOTHREAT_SCHEDULE_PROXY: '',
  };
  const children: ChildProcess[] = [];
  const cleanUp = async () => {
    await Promise.all(children.map(stop));
    for (const name of QUEUES) {
      const queue = new Queue(name, { connection: { host: '127.0.0.1', port: Number(process.env.SPOTHREAT_REDIS_PORT ?? 6379) }, prefix: env.SPOTHREAT_QUEUE_PREFIX });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await fetch(`${process.env.SPOTHREAT_OPENSEARCH_URL ?? 'http://127.0.0.1:9200'}/${prefix}*?expand_wildcards=all`, { method: 'DELETE' }).catch(() => undefined);
    for (const kind of ['_index_template', '_component_template']) {
      await fetch(`${process.env.SPOTHREAT_OPENSEARCH_URL ?? 'http://127.0.0.1:9200'}/${kind}/${prefix}*`, { method: 'DELETE' }).catch(() => undefined);
    }
  };
  try {
    runCli(['ingest', 'flow', '--format', 'nfdump-csv', '--json', CAPTURE], env);
    runCli(['score', 'flow', '--day', '2018-01-12', '--json'], env);
    runCli(['train', 'flow', '--day', '2018-01-12', '--json'], env);
    let output = '';
    const capture = (child: ChildProcess) => {
      child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
      child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
      return child;
    };
    children.push(capture(spawn(process.execPath, [CLI, 'worker', '--no-schedules'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })));
    const serve = capture(spawn(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    children.push(serve);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, serve, () => output);
    return { url, token, prefix, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
