import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Client } from '@opensearch-project/opensearch';
import { DATA_TYPES } from '../domain/events';
import type { JobQueues } from '../queues/jobQueues';
import { QUEUES } from '../queues/jobs';
import { indexNames } from '../adapters/opensearch/client';

/**
 * Prometheus metrics of the API process. Queue depths and ingest lag are read when Prometheus scrapes (so they
 * are never stale); job durations and events scored come from the queues' completion events.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly jobDuration: Histogram<'queue' | 'outcome'>;
  readonly eventsScored: Counter<'data_type'>;
  readonly suspiciousWritten: Counter<'data_type'>;

  constructor(deps: { queues: JobQueues; client: Client; indexPrefix: string }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'spothreat_api_' });
    this.httpRequests = new Counter({ name: 'spothreat_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [this.registry] });
    this.jobDuration = new Histogram({
      name: 'spothreat_job_duration_seconds',
      help: 'Duration of finished jobs',
      labelNames: ['queue', 'outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600],
      registers: [this.registry],
    });
    this.eventsScored = new Counter({ name: 'spothreat_events_scored_total', help: 'Events scored by finished jobs', labelNames: ['data_type'], registers: [this.registry] });
    this.suspiciousWritten = new Counter({ name: 'spothreat_suspicious_written_total', help: 'Suspicious events written by finished jobs', labelNames: ['data_type'], registers: [this.registry] });
    new Gauge({
      name: 'spothreat_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of QUEUES) {
          try {
            const counts = await deps.queues.counts(queue);
            for (const [state, value] of Object.entries(counts)) this.set({ queue, state }, value);
          } catch {
            // Redis is down: leave the last values; the health route reports the outage.
          }
        }
      },
    });
    new Gauge({
      name: 'spothreat_ingest_lag_seconds',
      help: 'Now minus the newest raw event, per data type',
      labelNames: ['data_type'],
      registers: [this.registry],
      async collect() {
        for (const dataType of DATA_TYPES) {
          try {
            const response = await deps.client.search({
              index: indexNames.rawPattern(deps.indexPrefix, dataType),
              ignore_unavailable: true,
              allow_no_indices: true,
              body: { size: 0, aggs: { newest: { max: { field: '@timestamp' } } } } as never,
            });
            const newest = (response.body.aggregations as { newest?: { value: number | null } } | undefined)?.newest?.value;
            if (typeof newest === 'number') this.set({ data_type: dataType }, Math.max(0, (Date.now() - newest) / 1000));
          } catch {
            // OpenSearch is down: no figure rather than a wrong one.
          }
        }
      },
    });
  }

  /** Records a finished job from its BullMQ completion event. */
  jobFinished(queue: string, outcome: 'completed' | 'failed', seconds: number, result?: Record<string, unknown>): void {
    this.jobDuration.observe({ queue, outcome }, seconds);
    const dataType = typeof result?.dataType === 'string' ? result.dataType : undefined;
    if (dataType && typeof result?.events === 'number') this.eventsScored.inc({ data_type: dataType }, result.events);
    if (dataType && typeof result?.suspicious === 'number') this.suspiciousWritten.inc({ data_type: dataType }, result.suspicious);
  }
}
