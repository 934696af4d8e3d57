import path from 'node:path';
import { z } from 'zod';

/**
 * Spothreat's configuration, read once from the environment and validated as a whole.
 * Every command receives the frozen result; nothing else reads process.env.
 */
const portSchema = z.coerce.number().int().min(1).max(65535);

const configSchema = z.object({
  /** State folder for the local stack (OpenSearch distribution, data, logs, pid files). */
  home: z.string().min(1),
  opensearch: z.object({
    /** URL of the OpenSearch cluster the product reads and writes. */
    url: z.string().url(),
    /** Version of the local node `stack up` fetches from Maven Central. */
    version: z.string().regex(/^2\.\d+\.\d+$/, 'must be an OpenSearch 2.x version such as 2.19.1'),
    /** HTTP port of the local node. */
    port: portSchema,
    /** Heap of the local node, in JVM notation (1g, 512m). */
    heap: z.string().regex(/^\d+[mg]$/, 'must look like 1g or 512m'),
  }),
  redis: z.object({
    url: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
    port: portSchema,
  }),
  /** Prefix of every index name Spothreat reads or writes. */
  indexPrefix: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case index-name prefix'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The repository root, used for the default state folder. */
export const repoRoot = path.resolve(__dirname, '..', '..');

const envNames: Record<string, string> = {
  home: 'SPOTHREAT_HOME',
  'opensearch.url': 'SPOTHREAT_OPENSEARCH_URL',
  'opensearch.version': 'SPOTHREAT_OPENSEARCH_VERSION',
  'opensearch.port': 'SPOTHREAT_OPENSEARCH_PORT',
  'opensearch.heap': 'SPOTHREAT_OPENSEARCH_HEAP',
  'redis.url': 'SPOTHREAT_REDIS_URL',
  'redis.port': 'SPOTHREAT_REDIS_PORT',
  indexPrefix: 'SPOTHREAT_INDEX_PREFIX',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const osPort = env.SPOTHREAT_OPENSEARCH_PORT ?? '9200';
  const redisPort = env.SPOTHREAT_REDIS_PORT ?? '6379';
  const raw = {
    home: env.SPOTHREAT_HOME ?? path.join(repoRoot, '.spothreat'),
    opensearch: {
      url: env.SPOTHREAT_OPENSEARCH_URL ?? `http://127.0.0.1:${osPort}`,
      version: env.SPOTHREAT_OPENSEARCH_VERSION ?? '2.19.1',
      port: osPort,
      heap: env.SPOTHREAT_OPENSEARCH_HEAP ?? '1g',
    },
    redis: {
      url: env.SPOTHREAT_REDIS_URL ?? `redis://127.0.0.1:${redisPort}`,
      port: redisPort,
    },
    indexPrefix: env.SPOTHREAT_INDEX_PREFIX ?? 'spothreat-',
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return `${envNames[key] ?? key}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(parsed.data);
}
