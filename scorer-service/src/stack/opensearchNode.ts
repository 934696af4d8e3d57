import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { commandExists, isAlive, portInUse, readPid, run, runLauncher, runVisible, sleep, stopProcess, tail } from './processes';

/**
 * A single local OpenSearch node from the official `integ-test-zip` distribution on Maven Central:
 * no bundled JDK and no plugins, so it runs on the machine's Java 17 with security off.
 */
export const ARTIFACT_GROUP = 'org.opensearch.distribution.integ-test-zip';
const SERVICE_USER = 'spothreat';

export interface NodePaths {
  root: string;
  cacheZip: string;
  install: string;
  data: string;
  logs: string;
  pidFile: string;
  logFile: string;
}

export function nodePaths(config: Config): NodePaths {
  const root = path.join(config.home, 'opensearch');
  const install = path.join(root, `opensearch-${config.opensearch.version}`);
  return {
    root,
    cacheZip: path.join(config.home, 'cache', `opensearch-${config.opensearch.version}.zip`),
    install,
    data: path.join(root, 'data'),
    logs: path.join(root, 'logs'),
    pidFile: path.join(root, 'opensearch.pid'),
    logFile: path.join(root, 'logs', 'spothreat-local.log'),
  };
}

async function fetchDistribution(config: Config, paths: NodePaths, log: (l: string) => void): Promise<void> {
  if (fs.existsSync(paths.cacheZip)) return;
  if (!(await commandExists('mvn'))) throw new Error('Maven (mvn) is needed to fetch OpenSearch from Maven Central: apt-get install -y maven');
  const artifact = `${ARTIFACT_GROUP}:opensearch:${config.opensearch.version}:zip`;
  log(`fetching ${artifact} from Maven Central`);
  fs.mkdirSync(path.dirname(paths.cacheZip), { recursive: true });
  const code = await runVisible('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${path.dirname(paths.cacheZip)}`]);
  if (code !== 0 || !fs.existsSync(paths.cacheZip)) throw new Error(`could not fetch ${artifact} with Maven (exit ${code})`);
}

async function unpack(paths: NodePaths, log: (l: string) => void): Promise<void> {
  if (fs.existsSync(path.join(paths.install, 'bin', 'opensearch'))) return;
  log(`unpacking ${path.basename(paths.cacheZip)}`);
  fs.mkdirSync(paths.root, { recursive: true });
  const result = await run('unzip', ['-q', '-o', paths.cacheZip, '-d', paths.root]);
  if (result.code !== 0) throw new Error(`unzip of ${paths.cacheZip} failed: ${result.stderr.trim()}`);
}

function writeNodeConfig(config: Config, paths: NodePaths): void {
  const yml = [
    '# Written by `spothreat stack up`; edits are overwritten on the next start.',
    'cluster.name: spothreat-local',
    'node.name: spothreat-local-1',
    'network.host: 127.0.0.1',
    `http.port: ${config.opensearch.port}`,
    'transport.port: 9300-9399',
    'discovery.type: single-node',
    `path.data: ${paths.data}`,
    `path.logs: ${paths.logs}`,
    // A developer disk that is mostly full must not turn every index read-only mid-test.
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(paths.install, 'config', 'opensearch.yml'), yml);
  const jvmOptionsDir = path.join(paths.install, 'config', 'jvm.options.d');
  fs.mkdirSync(jvmOptionsDir, { recursive: true });
  fs.writeFileSync(path.join(jvmOptionsDir, 'spothreat-heap.options'), `-Xms${config.opensearch.heap}\n-Xmx${config.opensearch.heap}\n`);
}

/** OpenSearch refuses to run as root; as root we run it as a dedicated system user that owns its folders. */
async function serviceUserPrefix(paths: NodePaths): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const exists = await run('id', ['-u', SERVICE_USER]);
  if (exists.code !== 0) {
    const created = await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVICE_USER]);
    if (created.code !== 0) throw new Error(`could not create the '${SERVICE_USER}' user OpenSearch runs as: ${created.stderr.trim()}`);
  }
  const chown = await run('chown', ['-R', `${SERVICE_USER}:${SERVICE_USER}`, paths.root]);
  if (chown.code !== 0) throw new Error(`could not give ${paths.root} to '${SERVICE_USER}': ${chown.stderr.trim()}`);
  // The node needs to traverse every parent of its folder.
  for (let dir = path.dirname(paths.root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) throw new Error(`'${SERVICE_USER}' cannot enter ${dir}; set SPOTHREAT_HOME to a folder under a world-searchable path`);
  }
  return ['runuser', '-u', SERVICE_USER, '--'];
}

export interface ClusterHealth {
  status: string;
  number_of_nodes: number;
  cluster_name: string;
}

export async function clusterHealth(url: string, timeoutMs = 2000): Promise<ClusterHealth | undefined> {
  try {
    const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return (await res.json()) as ClusterHealth;
  } catch {
    return undefined;
  }
}

export async function nodeVersion(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { version?: { number?: string } };
    return body.version?.number;
  } catch {
    return undefined;
  }
}

export function runningPid(config: Config): number | undefined {
  const pid = readPid(nodePaths(config).pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Bytes the kernel can give back from its page cache, which `os.freemem()` does not count. */
function availableCacheBytes(): number {
  try {
    const available = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return available ? Number(available) * 1024 - os.freemem() : 0;
  } catch {
    return 0;
  }
}

/** Heap notation (`1g`, `512m`) in bytes. */
export function heapBytes(heap: string): number {
  const n = Number(heap.slice(0, -1));
  return heap.endsWith('g') ? n * 2 ** 30 : n * 2 ** 20;
}

/**
 * A node needs its heap plus roughly as much again off-heap (Lucene's memory maps, direct buffers, the JVM itself);
 * starting it with less ends in an out-of-memory kill minutes later, so say so before starting.
 */
export function checkMemoryFor(heap: string, availableBytes: number): void {
  const needed = heapBytes(heap) + 512 * 2 ** 20;
  if (availableBytes < needed) {
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    throw new Error(
      `OpenSearch with a ${heap} heap needs about ${gib(needed)} GiB of free memory and ${gib(availableBytes)} GiB is available: ` +
        'free some memory or set SPOTHREAT_OPENSEARCH_HEAP=512m',
    );
  }
}

export type StartOutcome = { started: true; pid: number } | { started: false; reason: string };

/** Starts the local node in the background and returns once the cluster is green or yellow. */
export async function startNode(config: Config, log: (l: string) => void, waitMs = 180_000): Promise<StartOutcome> {
  const paths = nodePaths(config);
  const existing = runningPid(config);
  if (existing) return { started: false, reason: `already running (pid ${existing})` };
  if (await portInUse(config.opensearch.port)) {
    const health = await clusterHealth(config.opensearch.url);
    if (health) return { started: false, reason: `an OpenSearch cluster '${health.cluster_name}' already answers on port ${config.opensearch.port}; using it` };
    throw new Error(`port ${config.opensearch.port} is in use by something that is not OpenSearch: free it or set SPOTHREAT_OPENSEARCH_PORT`);
  }
  if (!(await commandExists('java'))) throw new Error('Java 17+ is needed to run OpenSearch: apt-get install -y openjdk-17-jre-headless');
  checkMemoryFor(config.opensearch.heap, os.freemem() + availableCacheBytes());
  await fetchDistribution(config, paths, log);
  await unpack(paths, log);
  fs.mkdirSync(paths.data, { recursive: true });
  fs.mkdirSync(paths.logs, { recursive: true });
  writeNodeConfig(config, paths);
  fs.rmSync(paths.pidFile, { force: true });
  const prefix = await serviceUserPrefix(paths);
  const javaHome = (await run('sh', ['-c', 'dirname "$(dirname "$(readlink -f "$(command -v java)")")"'])).stdout.trim();
  const env = { ...process.env, OPENSEARCH_JAVA_HOME: javaHome, JAVA_HOME: javaHome };
  log(`starting OpenSearch ${config.opensearch.version} on 127.0.0.1:${config.opensearch.port} (heap ${config.opensearch.heap})`);
  const argv = [...prefix, path.join(paths.install, 'bin', 'opensearch'), '-d', '-p', paths.pidFile];
  const launcherOutput = path.join(paths.root, 'launcher.out');
  fs.writeFileSync(launcherOutput, '');
  const launchCode = await runLauncher(argv[0], argv.slice(1), launcherOutput, { env, cwd: paths.install });
  if (launchCode !== 0) {
    throw new Error(`OpenSearch did not start (exit ${launchCode}):\n${tail(launcherOutput)}\n${tail(paths.logFile)}`);
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const health = await clusterHealth(config.opensearch.url);
    if (health && (health.status === 'green' || health.status === 'yellow')) {
      const pid = readPid(paths.pidFile);
      if (pid === undefined) throw new Error(`OpenSearch answers but wrote no pid file at ${paths.pidFile}`);
      return { started: true, pid };
    }
    const pid = readPid(paths.pidFile);
    if (pid !== undefined && !isAlive(pid)) break;
    await sleep(1000);
  }
  const pid = readPid(paths.pidFile);
  if (pid !== undefined) await stopProcess(pid, 5000);
  throw new Error(`OpenSearch did not become healthy on port ${config.opensearch.port}; last lines of its log:\n${tail(paths.logFile)}`);
}

export async function stopNode(config: Config): Promise<boolean> {
  const pid = runningPid(config);
  if (pid === undefined) return false;
  await stopProcess(pid);
  fs.rmSync(nodePaths(config).pidFile, { force: true });
  return true;
}
