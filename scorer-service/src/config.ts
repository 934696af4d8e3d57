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
  /** The scorer-service HTTP API (`spothreat serve`). */
  api: z.object({
    host: z.string().min(1),
    port: portSchema,
    /** Bearer token every route but /health needs; `serve` refuses to start without one. */
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Origin allowed by CORS; CORS stays off when unset. */
    corsOrigin: z.string().url().optional(),
    /** Largest request body accepted, in bytes. */
    bodyLimitBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024),
  }),
  scoring: z.object({
    /** Spot's TOL: only events scoring at or below it are kept. */
    tol: z.coerce.number().gt(0).max(1),
    /** Spot's MAXRESULTS: events kept per data type and window. */
    maxResults: z.coerce.number().int().min(1).max(1_000_000),
    /** LDA topics (Spot's TOPIC_COUNT). */
    topics: z.coerce.number().int().min(2).max(500),
    /** LDA training iterations. */
    iterations: z.coerce.number().int().min(1).max(10_000),
    /** LDA document-topic and topic-word priors; > 1, as the MAP-EM estimator uses prior - 1 (Spot: 1.02, 1.001). */
    alpha: z.coerce.number().gt(1).max(1000),
    beta: z.coerce.number().gt(1).max(1000),
    /** Most LDA chains averaged for a window (fewer on large windows: see `chainsFor`); 1 is Spot's single run. */
    chains: z.coerce.number().int().min(1).max(16),
    /** Copies of each benign-rated (3) event injected into training (Spot's DUPFACTOR). */
    dupFactor: z.coerce.number().int().min(0).max(1_000_000),
    /** Seed of the model's random generator, so a window scores the same on every worker. */
    seed: z.coerce.number().int(),
    /** Events per page of a point-in-time read. */
    pageSize: z.coerce.number().int().min(10).max(10_000),
    /** File mapping users' own index fields onto ECS (see docs/field-mapping.md); Spothreat's indices when unset. */
    fieldMappingFile: z.string().min(1).optional(),
    /** Popular-domain list (Tranco/Alexa layout, plain or gzip) for the DNS and proxy "top domain" feature. */
    topDomainsFile: z.string().min(1).optional(),
    /** The organisation's own domains (Spot's USER_DOMAIN), comma-separated. */
    userDomains: z.array(z.string().min(1)),
    /** Word grammar: `seed` (the published description) or `spot-code` (what Spot's Scala did). */
    wordVariant: z.enum(['seed', 'spot-code']),
    /** What orders a window's top list: `fused` (docs/evaluation.md) or Spot's `lda` (score <= TOL, ascending). */
    ranking: z.enum(['fused', 'lda']),
    /** Components of the fused ranking. */
    fusedComponents: z.array(z.enum(['lda', 'concentration', 'autoencoder', 'heuristics'])).min(1),
    /** How the fused ranking combines its components' p-values. */
    fusionCombination: z.enum(['fisher', 'min-p']),
    /** Events of the window sample the fused p-values are taken against. */
    referenceSize: z.coerce.number().int().min(100).max(1_000_000),
    /** Training passes of the window's flow autoencoder. */
    autoencoderEpochs: z.coerce.number().int().min(1).max(1000),
    /** Flows sampled from a window to train its autoencoder on. */
    autoencoderSample: z.coerce.number().int().min(100).max(10_000_000),
  }),
  /** Cron pattern per data type for the recurring scoring of the last window; empty turns a schedule off. */
  schedules: z.object({
    flow: z.string(),
    dns: z.string(),
    proxy: z.string(),
    /** Length of the window a scheduled job scores, ending at the schedule's tick. */
    window: z.enum(['hour', 'day']),
    /** IANA time zone the cron patterns are read in. */
    timezone: z.string().min(1),
  }),
  enrichment: z.object({
    /** CIDR ranges counted as internal. */
    internalRanges: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be CIDR ranges such as 10.0.0.0/8')).min(1),
    /** Network-context CSV (`ip-or-range,name`): names for internal hosts and networks. */
    networkContextFile: z.string().min(1).optional(),
    /** Local blocklist of IPs and domains (one per line), re-read when it changes. */
    blocklistFile: z.string().min(1).optional(),
    /** GeoIP database (mmdb); the GeoLite2 city database shipped in an npm package by default. */
    geoDatabase: z.string().min(1).optional(),
    /**
     * AS numbers and organisations: `packaged` (the CSVs of `@ip-location-db/asn`), `none`, or the user's own CSVs
     * in the same layout (`ip_range_start,ip_range_end,as_number,as_organisation`, addresses, one file per family).
     */
    asnSource: z.union([
      z.literal('packaged'),
      z.literal('none'),
      z.array(z.string().regex(/\.csv(\.txt)?$/i, 'must be CSV files (…/asn-ipv4.csv), `none` or empty for the packaged ones')).min(1),
    ]),
  }),
  queues: z.object({
    /** Redis key prefix of every BullMQ queue, so several installations can share one Redis. */
    prefix: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, _ . : -'),
    /** Jobs one worker process runs at a time. */
    concurrency: z.coerce.number().int().min(1).max(64),
    /** How long a running job's lock lasts without renewal; a dead worker's job is re-run after it. */
    lockDurationMs: z.coerce.number().int().min(1_000).max(3_600_000),
    /** How often workers look for jobs whose lock expired (stalled jobs). */
    stalledIntervalMs: z.coerce.number().int().min(1_000).max(3_600_000),
    /** Tries of a job before it is failed for good. */
    attempts: z.coerce.number().int().min(1).max(100),
    /** First retry delay; each next one doubles. */
    backoffMs: z.coerce.number().int().min(100).max(3_600_000),
  }),
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
  'api.host': 'SPOTHREAT_API_HOST',
  'api.port': 'SPOTHREAT_API_PORT',
  'api.token': 'SPOTHREAT_API_TOKEN',
  'api.corsOrigin': 'SPOTHREAT_API_CORS_ORIGIN',
  'api.bodyLimitBytes': 'SPOTHREAT_API_BODY_LIMIT',
  'scoring.tol': 'SPOTHREAT_TOL',
  'scoring.maxResults': 'SPOTHREAT_MAXRESULTS',
  'scoring.topics': 'SPOTHREAT_LDA_TOPICS',
  'scoring.iterations': 'SPOTHREAT_LDA_ITERATIONS',
  'scoring.chains': 'SPOTHREAT_LDA_CHAINS',
  'scoring.alpha': 'SPOTHREAT_LDA_ALPHA',
  'scoring.beta': 'SPOTHREAT_LDA_BETA',
  'scoring.dupFactor': 'SPOTHREAT_DUPFACTOR',
  'scoring.seed': 'SPOTHREAT_SEED',
  'scoring.pageSize': 'SPOTHREAT_READ_PAGE_SIZE',
  'scoring.fieldMappingFile': 'SPOTHREAT_FIELD_MAPPING',
  'scoring.topDomainsFile': 'SPOTHREAT_TOP_DOMAINS',
  'scoring.userDomains': 'SPOTHREAT_USER_DOMAINS',
  'scoring.wordVariant': 'SPOTHREAT_WORD_VARIANT',
  'scoring.ranking': 'SPOTHREAT_RANKING',
  'scoring.fusedComponents': 'SPOTHREAT_FUSED_COMPONENTS',
  'scoring.fusionCombination': 'SPOTHREAT_FUSION_COMBINATION',
  'scoring.referenceSize': 'SPOTHREAT_REFERENCE_SAMPLE',
  'scoring.autoencoderEpochs': 'SPOTHREAT_AUTOENCODER_EPOCHS',
  'scoring.autoencoderSample': 'SPOTHREAT_AUTOENCODER_SAMPLE',
  'schedules.flow': 'SPOTHREAT_SCHEDULE_FLOW',
  'schedules.dns': 'SPOTHREAT_SCHEDULE_DNS',
  'schedules.proxy': 'SPOTHREAT_SCHEDULE_PROXY',
  'schedules.window': 'SPOTHREAT_SCHEDULE_WINDOW',
  'schedules.timezone': 'SPOTHREAT_SCHEDULE_TZ',
  'enrichment.internalRanges': 'SPOTHREAT_INTERNAL_RANGES',
  'enrichment.networkContextFile': 'SPOTHREAT_NETWORK_CONTEXT',
  'enrichment.blocklistFile': 'SPOTHREAT_BLOCKLIST',
  'enrichment.geoDatabase': 'SPOTHREAT_GEO_MMDB',
  'enrichment.asnSource': 'SPOTHREAT_ASN_CSV',
  'queues.prefix': 'SPOTHREAT_QUEUE_PREFIX',
  'queues.concurrency': 'SPOTHREAT_WORKER_CONCURRENCY',
  'queues.lockDurationMs': 'SPOTHREAT_JOB_LOCK_MS',
  'queues.stalledIntervalMs': 'SPOTHREAT_STALLED_INTERVAL_MS',
  'queues.attempts': 'SPOTHREAT_JOB_ATTEMPTS',
  'queues.backoffMs': 'SPOTHREAT_JOB_BACKOFF_MS',
};

/** RFC 1918, loopback, link-local and unique-local ranges: what most networks call internal. */
export const DEFAULT_INTERNAL_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'];

function commaSeparated(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function emptyAsUnset(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The explicit port of a URL, if it has one and parses (a bad URL is reported by the schema). */
function portOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).port || undefined;
  } catch {
    return undefined;
  }
}

function asnSource(value: string | undefined): 'packaged' | 'none' | string[] {
  const text = emptyAsUnset(value)?.trim();
  if (text === undefined) return 'packaged';
  if (text.toLowerCase() === 'none') return 'none';
  return commaSeparated(text);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A port given only inside the URL is the port: `stack up` and `stack status` must look where the URL points.
  const osPort = env.SPOTHREAT_OPENSEARCH_PORT ?? portOfUrl(env.SPOTHREAT_OPENSEARCH_URL) ?? '9200';
  const redisPort = env.SPOTHREAT_REDIS_PORT ?? portOfUrl(env.SPOTHREAT_REDIS_URL) ?? '6379';
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
    api: {
      host: env.SPOTHREAT_API_HOST ?? '127.0.0.1',
      port: env.SPOTHREAT_API_PORT ?? '7070',
      token: emptyAsUnset(env.SPOTHREAT_API_TOKEN),
      corsOrigin: emptyAsUnset(env.SPOTHREAT_API_CORS_ORIGIN),
      bodyLimitBytes: env.SPOTHREAT_API_BODY_LIMIT ?? String(1024 * 1024),
    },
    scoring: {
      tol: env.SPOTHREAT_TOL ?? '1',
      maxResults: env.SPOTHREAT_MAXRESULTS ?? '3000',
      topics: env.SPOTHREAT_LDA_TOPICS ?? '20',
      iterations: env.SPOTHREAT_LDA_ITERATIONS ?? '50',
      chains: env.SPOTHREAT_LDA_CHAINS ?? '4',
      alpha: env.SPOTHREAT_LDA_ALPHA ?? '1.02',
      beta: env.SPOTHREAT_LDA_BETA ?? '1.001',
      dupFactor: env.SPOTHREAT_DUPFACTOR ?? '1000',
      seed: env.SPOTHREAT_SEED ?? '20160708',
      pageSize: env.SPOTHREAT_READ_PAGE_SIZE ?? '2000',
      fieldMappingFile: emptyAsUnset(env.SPOTHREAT_FIELD_MAPPING),
      topDomainsFile: emptyAsUnset(env.SPOTHREAT_TOP_DOMAINS),
      userDomains: commaSeparated(env.SPOTHREAT_USER_DOMAINS ?? ''),
      wordVariant: env.SPOTHREAT_WORD_VARIANT ?? 'seed',
      ranking: env.SPOTHREAT_RANKING ?? 'fused',
      fusedComponents: commaSeparated(env.SPOTHREAT_FUSED_COMPONENTS ?? 'concentration,autoencoder,heuristics'),
      fusionCombination: env.SPOTHREAT_FUSION_COMBINATION ?? 'fisher',
      referenceSize: env.SPOTHREAT_REFERENCE_SAMPLE ?? '20000',
      autoencoderEpochs: env.SPOTHREAT_AUTOENCODER_EPOCHS ?? '5',
      autoencoderSample: env.SPOTHREAT_AUTOENCODER_SAMPLE ?? '200000',
    },
    schedules: {
      // Five minutes past the hour, so late events of the hour just ended have landed.
      flow: env.SPOTHREAT_SCHEDULE_FLOW ?? '5 * * * *',
      dns: env.SPOTHREAT_SCHEDULE_DNS ?? '5 * * * *',
      proxy: env.SPOTHREAT_SCHEDULE_PROXY ?? '5 * * * *',
      window: env.SPOTHREAT_SCHEDULE_WINDOW ?? 'hour',
      timezone: env.SPOTHREAT_SCHEDULE_TZ ?? 'UTC',
    },
    enrichment: {
      internalRanges: commaSeparated(env.SPOTHREAT_INTERNAL_RANGES ?? DEFAULT_INTERNAL_RANGES.join(',')),
      networkContextFile: emptyAsUnset(env.SPOTHREAT_NETWORK_CONTEXT),
      blocklistFile: emptyAsUnset(env.SPOTHREAT_BLOCKLIST),
      geoDatabase: emptyAsUnset(env.SPOTHREAT_GEO_MMDB),
      asnSource: asnSource(env.SPOTHREAT_ASN_CSV),
    },
    queues: {
      prefix: env.SPOTHREAT_QUEUE_PREFIX ?? 'spothreat',
      concurrency: env.SPOTHREAT_WORKER_CONCURRENCY ?? '1',
      lockDurationMs: env.SPOTHREAT_JOB_LOCK_MS ?? '30000',
      stalledIntervalMs: env.SPOTHREAT_STALLED_INTERVAL_MS ?? '30000',
      attempts: env.SPOTHREAT_JOB_ATTEMPTS ?? '3',
      backoffMs: env.SPOTHREAT_JOB_BACKOFF_MS ?? '5000',
    },
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        // Array items (internal ranges) are reported under the variable that holds the whole list.
        const envName = envNames[key] ?? envNames[issue.path.filter((part) => typeof part === 'string').join('.')];
        return `${envName ?? key}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(parsed.data);
}
