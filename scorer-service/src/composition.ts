import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from './config';
import type { DataType } from './domain/events';
import { TopDomainClassifier } from './domain/words';
import { Enricher } from './enrichment/enricher';
import type { AsnRanges } from './enrichment/asnRanges';
import type { ReputationProvider } from './enrichment/reputation';
import { loadNetworkContext } from './adapters/context/networkContextFile';
import { readTopDomainsFile } from './adapters/files/topDomainsFile';
import { MmdbGeoLocator } from './adapters/geo/mmdbGeoLocator';
import { openAsnLocator } from './adapters/geo/asnCsvLocator';
import { AuditLog } from './adapters/opensearch/auditLog';
import { createOpenSearchClient } from './adapters/opensearch/client';
import { FeedbackStore } from './adapters/opensearch/feedbackStore';
import { loadFieldMapping, type FieldMapping, type SourceMapping } from './adapters/opensearch/fieldMapping';
import { ModelRegistry, ScoringRuns } from './adapters/opensearch/modelRegistry';
import { eventFromSource, openWindowRead, type WindowPart } from './adapters/opensearch/pitReader';
import type { Window } from './adapters/opensearch/queries';
import { StoryboardStore } from './adapters/opensearch/storyboardStore';
import { SuspiciousStore } from './adapters/opensearch/suspiciousStore';
import { BlocklistFileProvider } from './adapters/reputation/blocklistFileProvider';
import { WindowScorer, type EventSource } from './scoring/windowScorer';
import { DEFAULT_FUSION_SETTINGS } from './scoring/fusedScoring';
import { QueueEvents } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { ApiMetrics } from './api/metrics';
import { buildServer } from './api/server';
import { JobQueues, redisConnection } from './queues/jobQueues';
import { QUEUES } from './queues/jobs';
import type { QueueKind } from './queues/jobs';
import { applySchedules } from './queues/schedules';
import { WorkerService, type WorkerEvents } from './workers/workerService';

/**
 * The composition root: the one place that reads the validated config and wires adapters into the application
 * services. Commands, the API server and the workers ask it for what they need and call `close()` once.
 */

/** The window reader through the field mapping: users' own indices come out in Spothreat's ECS shape. */
class OpenSearchEventSource implements EventSource {
  constructor(
    private readonly client: Client,
    private readonly mapping: FieldMapping,
    private readonly pageSize: number,
  ) {}

  async open(dataType: DataType, window: Window, signal?: AbortSignal, part?: WindowPart) {
    const mapping = this.mapping[dataType] as SourceMapping;
    const read = await openWindowRead(this.client, mapping, window, { pageSize: this.pageSize, part, signal });
    return {
      total: read.total,
      pages: mapping.custom ? remapPages(read.pages, mapping) : read.pages,
    };
  }
}

async function* remapPages(pages: AsyncIterable<{ index: string; id: string; source: Record<string, unknown> }[]>, mapping: SourceMapping) {
  for await (const page of pages) yield page.map((hit) => ({ ...hit, source: eventFromSource(hit.source, mapping) }));
}

export interface ScoringServices {
  config: Config;
  client: Client;
  mapping: FieldMapping;
  models: ModelRegistry;
  runs: ScoringRuns;
  suspicious: SuspiciousStore;
  feedback: FeedbackStore;
  audit: AuditLog;
  storyboard: StoryboardStore;
  enricher: Enricher;
  scorer: WindowScorer;
  /** Closes the OpenSearch client; safe to call more than once. */
  close(): Promise<void>;
}

async function buildEnricher(config: Config): Promise<Enricher> {
  const reputation: ReputationProvider[] = [];
  if (config.enrichment.blocklistFile) reputation.push(new BlocklistFileProvider(config.enrichment.blocklistFile));
  return new Enricher({
    internalRanges: config.enrichment.internalRanges,
    context: loadNetworkContext(config.enrichment.networkContextFile),
    geo: await MmdbGeoLocator.open(config.enrichment.geoDatabase),
    ...(await buildAsnLocator(config)),
    reputation,
  });
}

/** The ASN table, parsed once per version of its CSVs and cached under the state folder. */
async function buildAsnLocator(config: Config): Promise<{ asn?: AsnRanges }> {
  const source = config.enrichment.asnSource;
  if (source === 'none') return {};
  const { ranges, report } = await openAsnLocator({ files: source === 'packaged' ? undefined : source, cacheDir: path.join(config.home, 'cache', 'asn') });
  // Lookups work without the cache; only the next start is slower, which is worth one line.
  if (report.cacheProblem) process.stderr.write(`warning: ${report.cacheProblem}\n`);
  return { asn: ranges };
}

async function buildDomainClassifier(config: Config): Promise<TopDomainClassifier> {
  const list = config.scoring.topDomainsFile
    ? await readTopDomainsFile(config.scoring.topDomainsFile)
    : { registeredDomains: new Set<string>(), labels: new Set<string>() };
  return new TopDomainClassifier(list, { userDomains: config.scoring.userDomains });
}

export async function composeScoring(config: Config, opts: { client?: Client } = {}): Promise<ScoringServices> {
  const client = opts.client ?? createOpenSearchClient(config);
  const mapping = loadFieldMapping(config.scoring.fieldMappingFile, config.indexPrefix);
  const models = new ModelRegistry(client, config.indexPrefix);
  const runs = new ScoringRuns(client, config.indexPrefix);
  const suspicious = new SuspiciousStore(client, config.indexPrefix, runs);
  const feedback = new FeedbackStore(client, config.indexPrefix);
  const enricher = await buildEnricher(config);
  const scorer = new WindowScorer({
    events: new OpenSearchEventSource(client, mapping, config.scoring.pageSize),
    feedback,
    models,
    suspicious,
    enricher,
    domains: await buildDomainClassifier(config),
    settings: {
      tol: config.scoring.tol,
      maxResults: config.scoring.maxResults,
      lda: { topics: config.scoring.topics, iterations: config.scoring.iterations, alpha: config.scoring.alpha, beta: config.scoring.beta, seed: config.scoring.seed, chains: config.scoring.chains },
      dupFactor: config.scoring.dupFactor,
      variant: config.scoring.wordVariant,
      fusion: {
        ...DEFAULT_FUSION_SETTINGS,
        ranking: config.scoring.ranking,
        components: config.scoring.fusedComponents,
        combination: config.scoring.fusionCombination,
        referenceSize: config.scoring.referenceSize,
        // Lateral movement watches traffic between the network's own hosts: the ranges enrichment calls internal.
        internalRanges: config.enrichment.internalRanges,
        autoencoder: { ...DEFAULT_FUSION_SETTINGS.autoencoder, epochs: config.scoring.autoencoderEpochs, sampleSize: config.scoring.autoencoderSample, seed: config.scoring.seed },
      },
    },
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    client,
    mapping,
    models,
    runs,
    suspicious,
    feedback,
    audit: new AuditLog(client, config.indexPrefix),
    storyboard: new StoryboardStore(client, config.indexPrefix),
    enricher,
    scorer,
    close: () => (closing ??= opts.client ? Promise.resolve() : client.close().catch(() => undefined)),
  };
}

export function composeQueues(config: Config): JobQueues {
  return new JobQueues({ redisUrl: config.redis.url, prefix: config.queues.prefix, attempts: config.queues.attempts, backoffMs: config.queues.backoffMs });
}

export interface WorkerProcess {
  workers: WorkerService;
  queues: JobQueues;
  schedules: { active: DataType[]; removed: DataType[] };
  /** Stops taking jobs, lets the running ones finish (or releases them with `force`), closes Redis. Idempotent. */
  close(force?: boolean): Promise<void>;
}

/** A worker process: the sandboxed workers (which compose their own scoring services) and the schedules. */
export async function composeWorker(
  config: Config,
  opts: { queues?: readonly QueueKind[]; schedules?: boolean; events?: WorkerEvents; env?: NodeJS.ProcessEnv } = {},
): Promise<WorkerProcess> {
  const queues = composeQueues(config);
  const schedules =
    opts.schedules === false
      ? { active: [], removed: [] }
      : await applySchedules(queues.queue('score'), {
          patterns: { flow: config.schedules.flow, dns: config.schedules.dns, proxy: config.schedules.proxy },
          window: config.schedules.window,
          timezone: config.schedules.timezone,
        });
  const workers = new WorkerService(
    {
      redisUrl: config.redis.url,
      prefix: config.queues.prefix,
      concurrency: config.queues.concurrency,
      lockDurationMs: config.queues.lockDurationMs,
      stalledIntervalMs: config.queues.stalledIntervalMs,
      queues: opts.queues,
      env: opts.env,
    },
    opts.events,
  );
  let closing: Promise<void> | undefined;
  return {
    workers,
    queues,
    schedules,
    close: (force = false) =>
      (closing ??= (async () => {
        await workers.close(force);
        await queues.close();
      })()),
  };
}

export interface ApiProcess {
  app: FastifyInstance;
  services: ScoringServices;
  queues: JobQueues;
  /** Stops accepting requests, lets the open ones finish, closes Redis and OpenSearch. Idempotent. */
  close(): Promise<void>;
}

/** The API process: the fastify server over the scoring services and the queues, with job metrics from Redis. */
export async function composeApi(config: Config, opts: { version?: string; onServerError?: (error: Error) => void } = {}): Promise<ApiProcess> {
  if (!config.api.token) throw new Error('SPOTHREAT_API_TOKEN is not set: the API refuses to serve without a bearer token');
  const services = await composeScoring(config);
  const queues = composeQueues(config);
  const metrics = new ApiMetrics({ queues, client: services.client, indexPrefix: config.indexPrefix });
  const events = QUEUES.map((queue) => {
    const queueEvents = new QueueEvents(queue, { connection: redisConnection(config.redis.url, true), prefix: config.queues.prefix });
    queueEvents.on('error', () => undefined);
    const finished = async (jobId: string, outcome: 'completed' | 'failed') => {
      const job = await queues.queue(queue).getJob(jobId).catch(() => undefined);
      const seconds = job?.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0;
      metrics.jobFinished(queue, outcome, seconds, job?.returnvalue as Record<string, unknown> | undefined);
    };
    queueEvents.on('completed', ({ jobId }) => void finished(jobId, 'completed'));
    queueEvents.on('failed', ({ jobId }) => void finished(jobId, 'failed'));
    return queueEvents;
  });
  const app = await buildServer(
    { services, queues, metrics, version: opts.version ?? '0.1.0', onServerError: opts.onServerError },
    { token: config.api.token, corsOrigin: config.api.corsOrigin, bodyLimitBytes: config.api.bodyLimitBytes },
  );
  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    queues,
    close: () =>
      (closing ??= (async () => {
        // Each step runs even when an earlier one fails, so one broken connection never keeps another open.
        await Promise.allSettled([app.close()]);
        await Promise.allSettled([...events.map((e) => e.close()), queues.close()]);
        await services.close();
      })()),
  };
}
