import { createOpenSearchClient } from '../adapters/opensearch/client';
import { applyTemplates, describeConflicts } from '../adapters/opensearch/templates';
import type { Config } from '../config';
import { ensurePrograms } from './debianPackages';
import { clusterHealth, nodePaths, nodeVersion, runningPid, startNode, stopNode } from './opensearchNode';
import { redisPing, runningRedisPid, startRedis, stopRedis } from './redisServer';

export interface StackStatus {
  opensearch: { url: string; running: boolean; managed: boolean; pid?: number; version?: string; health?: string; dataDir: string };
  redis: { url: string; running: boolean; managed: boolean; pid?: number; version?: string };
  home: string;
}

export interface StackUpResult {
  opensearch: string;
  redis: string;
  /** True when this call started at least one service (so a test run knows to stop them again). */
  startedAnything: boolean;
  /** Outcome of `templates apply` on the node. */
  templates: string;
}

/** `templates apply` as part of bringing the stack up; a conflict is reported, not fatal, so the stack still starts. */
async function installTemplates(config: Config, log: (line: string) => void): Promise<string> {
  const client = createOpenSearchClient(config);
  try {
    const result = await applyTemplates(client, config.indexPrefix);
    if (!result.ok) {
      const lines = describeConflicts(result.conflicts);
      for (const line of lines) log(`templates: conflict: ${line}`);
      return `not applied: ${lines.length} conflict(s) with existing indices (see \`spothreat templates apply\`)`;
    }
    const count = (action: string) => result.templates.filter((t) => t.action === action).length;
    const skipped = result.templates.filter((t) => t.action === 'skipped');
    const changed = count('created') + count('updated');
    const parts = [`${changed} installed`, `${count('unchanged')} unchanged`];
    if (skipped.length > 0) parts.push(`${skipped.length} ISM policy skipped (${skipped[0].detail})`);
    const summary = parts.join(', ');
    log(`templates: ${summary}`);
    return summary;
  } finally {
    await client.close();
  }
}

/** Brings up the local OpenSearch node and Redis, installing the Debian programs the product uses. */
export async function stackUp(config: Config, log: (line: string) => void): Promise<StackUpResult> {
  await ensurePrograms(['redis-server', 'nfdump', 'tshark', 'unzip'], log);
  const redis = await startRedis(config, log);
  const opensearch = await startNode(config, log);
  const templates = await installTemplates(config, log);
  return {
    redis: redis.started ? `started (pid ${redis.pid})` : redis.reason,
    opensearch: opensearch.started ? `started (pid ${opensearch.pid})` : opensearch.reason,
    startedAnything: redis.started || opensearch.started,
    templates,
  };
}

/** Stops only what `stackUp` started: services found already running are left alone. */
export async function stackDown(config: Config): Promise<{ opensearch: boolean; redis: boolean }> {
  const opensearch = await stopNode(config);
  const redis = await stopRedis(config);
  return { opensearch, redis };
}

export async function stackStatus(config: Config): Promise<StackStatus> {
  const osPid = runningPid(config);
  const health = await clusterHealth(config.opensearch.url);
  const redisPid = runningRedisPid(config);
  const redisVersion = await redisPing(config.redis.port);
  return {
    home: config.home,
    opensearch: {
      url: config.opensearch.url,
      running: health !== undefined,
      managed: osPid !== undefined,
      pid: osPid,
      version: health ? await nodeVersion(config.opensearch.url) : undefined,
      health: health?.status,
      dataDir: nodePaths(config).data,
    },
    redis: { url: config.redis.url, running: redisVersion !== undefined, managed: redisPid !== undefined, pid: redisPid, version: redisVersion },
  };
}
