import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { isAlive, portInUse, readPid, run, sleep, stopProcess, tail } from './processes';

/** A local Redis for BullMQ: loopback only, and noeviction because BullMQ must never lose keys. */
export function redisPaths(config: Config) {
  const root = path.join(config.home, 'redis');
  return { root, pidFile: path.join(root, 'redis.pid'), logFile: path.join(root, 'redis.log') };
}

export function runningRedisPid(config: Config): number | undefined {
  const pid = readPid(redisPaths(config).pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

export async function redisPing(port: number): Promise<string | undefined> {
  const result = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'INFO', 'server'], { timeoutMs: 3000 });
  if (result.code !== 0) return undefined;
  return /redis_version:(\S+)/.exec(result.stdout)?.[1];
}

export type RedisOutcome = { started: true; pid: number } | { started: false; reason: string };

export async function startRedis(config: Config, log: (l: string) => void): Promise<RedisOutcome> {
  const paths = redisPaths(config);
  const existing = runningRedisPid(config);
  if (existing) return { started: false, reason: `already running (pid ${existing})` };
  if (await portInUse(config.redis.port)) {
    const version = await redisPing(config.redis.port);
    if (!version) throw new Error(`port ${config.redis.port} is in use by something that is not Redis: free it or set SPOTHREAT_REDIS_PORT`);
    const policy = await run('redis-cli', ['-p', String(config.redis.port), 'CONFIG', 'GET', 'maxmemory-policy']);
    if (!policy.stdout.includes('noeviction')) {
      log(`warning: the Redis on port ${config.redis.port} does not use maxmemory-policy noeviction, which BullMQ needs`);
    }
    return { started: false, reason: `a Redis ${version} already answers on port ${config.redis.port}; using it` };
  }
  fs.mkdirSync(paths.root, { recursive: true });
  log(`starting Redis on 127.0.0.1:${config.redis.port}`);
  const result = await run('redis-server', [
    '--bind', '127.0.0.1',
    '--port', String(config.redis.port),
    '--daemonize', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--dir', paths.root,
    '--pidfile', paths.pidFile,
    '--logfile', paths.logFile,
    '--save', '',
    '--appendonly', 'no',
  ]);
  if (result.code !== 0) throw new Error(`redis-server failed: ${result.stderr.trim()}`);
  for (let i = 0; i < 100; i++) {
    if (await redisPing(config.redis.port)) {
      const pid = readPid(paths.pidFile);
      if (pid !== undefined) return { started: true, pid };
    }
    await sleep(100);
  }
  throw new Error(`Redis did not answer on port ${config.redis.port}:\n${tail(paths.logFile)}`);
}

export async function stopRedis(config: Config): Promise<boolean> {
  const pid = runningRedisPid(config);
  if (pid === undefined) return false;
  await stopProcess(pid, 10_000);
  fs.rmSync(redisPaths(config).pidFile, { force: true });
  return true;
}
