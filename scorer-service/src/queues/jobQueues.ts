import { FlowProducer, Queue, type Job, type JobsOptions } from 'bullmq';
import type { DataType } from '../domain/events';
import type { Window } from '../adapters/opensearch/queries';
import {
  JOB_NAMES,
  JOB_SCHEMAS,
  mergePartsJobSchema,
  observeJobSchema,
  PART_JOB_NAMES,
  QUEUES,
  scorePartJobSchema,
  type MergePartsJob,
  type QueueKind,
  type RetrainJob,
  type ScoreJob,
} from './jobs';

/**
 * The producer side of the queues: what the API, the CLI and the schedules use to enqueue work and read its
 * state. Producers fail fast when Redis is down (no offline queue), as BullMQ's production guide advises; the
 * workers, on the other hand, wait for Redis to come back.
 */

export interface QueueSettings {
  redisUrl: string;
  /** Key prefix of every queue in Redis. */
  prefix: string;
  /** Tries per job (3 by default). */
  attempts?: number;
  /** First retry delay in ms, doubled each time (5 s by default). */
  backoffMs?: number;
}

/** Retries with exponential backoff; finished jobs trimmed so Redis does not grow without bound. */
export function jobOptions(settings: Pick<QueueSettings, 'attempts' | 'backoffMs'>): JobsOptions {
  return {
    attempts: settings.attempts ?? 3,
    backoff: { type: 'exponential', delay: settings.backoffMs ?? 5_000 },
    removeOnComplete: { count: 500, age: 7 * 24 * 3600 },
    removeOnFail: { count: 1_000, age: 30 * 24 * 3600 },
  };
}

export type JobStateName = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';

export interface JobState {
  id: string;
  queue: QueueKind;
  name: string;
  state: JobStateName;
  progress: number;
  data: Record<string, unknown>;
  attemptsMade: number;
  failedReason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  result?: Record<string, unknown>;
}

export function redisConnection(url: string, forWorker: boolean) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    // Workers block on Redis and must wait through an outage; producers answer the API and must fail fast.
    ...(forWorker ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
  };
}

function iso(ms: number | undefined): string | undefined {
  return typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : undefined;
}

export class JobQueues {
  private readonly queues: Record<QueueKind, Queue>;
  private flows: FlowProducer | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly settings: QueueSettings) {
    const connection = redisConnection(settings.redisUrl, false);
    this.queues = Object.fromEntries(
      QUEUES.map((kind) => {
        const queue = new Queue(kind, { connection, prefix: settings.prefix, defaultJobOptions: jobOptions(settings) });
        // Without a listener an unreachable Redis would surface as an unhandled 'error' event.
        queue.on('error', () => undefined);
        return [kind, queue];
      }),
    ) as Record<QueueKind, Queue>;
  }

  queue(kind: QueueKind): Queue {
    return this.queues[kind];
  }

  async enqueueScore(job: { dataType: DataType; window: Window; model?: ScoreJob['model']; trigger: string }): Promise<{ queue: QueueKind; id: string }> {
    return this.add('score', JOB_SCHEMAS.score.parse(job));
  }

  async enqueueTrain(job: { dataType: DataType; window: Window; trigger: string }): Promise<{ queue: QueueKind; id: string }> {
    return this.add('train', JOB_SCHEMAS.train.parse(job));
  }

  async enqueueRetrain(job: Omit<RetrainJob, 'requestedAt' | 'reason'> & { reason?: string }): Promise<{ queue: QueueKind; id: string }> {
    return this.add('retrain', JOB_SCHEMAS.retrain.parse({ ...job, requestedAt: new Date().toISOString() }));
  }

  async enqueueEnrich(job: { dataType: DataType; window: Window }): Promise<{ queue: QueueKind; id: string }> {
    return this.add('enrich', JOB_SCHEMAS.enrich.parse(job));
  }

  /**
   * Scale-out of one window: with `model: 'train'` a train job that, once it has registered the model (and the
   * window's fusion state beside it), queues the parts; with a version, an observe job that stores the window's
   * state beside that version, then queues the parts. Returns that first job; its result names the merge job
   * (`mergeJobId`), whose result is the run.
   */
  async enqueueScoreInParts(job: { dataType: DataType; window: Window; parts: number; model: 'train' | number; trigger: string }): Promise<{ queue: QueueKind; id: string }> {
    if (job.model === 'train') {
      return this.add('train', JOB_SCHEMAS.train.parse({ dataType: job.dataType, window: job.window, trigger: job.trigger, thenScoreParts: job.parts }));
    }
    const data = observeJobSchema.parse({ dataType: job.dataType, window: job.window, modelVersion: job.model, thenScoreParts: job.parts, trigger: job.trigger });
    const added = await this.queues.train.add(PART_JOB_NAMES.observe, data);
    return { queue: 'train', id: String(added.id) };
  }

  /**
   * The merge job as the parent of the part jobs (a BullMQ flow): it runs once every part has completed and reads
   * their top lists as its children's values. A part that fails for good fails the merge, so nothing half-merged
   * is ever written as the window's run.
   */
  async enqueuePartsFlow(merge: MergePartsJob): Promise<string> {
    const data = mergePartsJobSchema.parse(merge);
    if (!this.flows) {
      this.flows = new FlowProducer({ connection: redisConnection(this.settings.redisUrl, false), prefix: this.settings.prefix });
      this.flows.on('error', () => undefined);
    }
    const opts = jobOptions(this.settings);
    const tree = await this.flows.add({
      name: PART_JOB_NAMES.merge,
      queueName: 'score',
      data,
      opts,
      children: Array.from({ length: data.parts }, (_, index) => ({
        name: PART_JOB_NAMES.part,
        queueName: 'score',
        data: scorePartJobSchema.parse({ ...data, part: { index, of: data.parts }, parts: undefined }),
        opts: { ...opts, failParentOnFailure: true },
      })),
    });
    return String(tree.job.id);
  }

  private async add(kind: QueueKind, data: object): Promise<{ queue: QueueKind; id: string }> {
    const job = await this.queues[kind].add(JOB_NAMES[kind], data);
    return { queue: kind, id: String(job.id) };
  }

  async job(kind: QueueKind, id: string): Promise<JobState | undefined> {
    const job = await this.queues[kind].getJob(id);
    return job ? this.view(kind, job) : undefined;
  }

  async jobs(kind: QueueKind, state: JobStateName | undefined, limit: number): Promise<{ items: JobState[]; counts: Record<string, number> }> {
    const queue = this.queues[kind];
    const states = state ? [state] : ['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'];
    const jobs = await queue.getJobs(states as never, 0, limit - 1, false);
    const items = await Promise.all(jobs.filter((job): job is Job => Boolean(job)).slice(0, limit).map((job) => this.view(kind, job)));
    return { items, counts: await this.counts(kind) };
  }

  async counts(kind: QueueKind): Promise<Record<string, number>> {
    return this.queues[kind].getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children');
  }

  /** Throws when Redis does not answer. */
  async ping(): Promise<void> {
    await this.queues.score.getJobCounts('waiting');
  }

  private async view(kind: QueueKind, snapshot: Job): Promise<JobState> {
    const state = (await snapshot.getState()) as JobStateName;
    // The state is read after the job's fields: a job that finished in between shows as completed or failed with
    // none of its result, reason or end time. Read it again so the fields match the state.
    const job = (state === 'completed' || state === 'failed') && !snapshot.finishedOn ? ((await this.queues[kind].getJob(String(snapshot.id))) ?? snapshot) : snapshot;
    const progress = typeof job.progress === 'number' ? job.progress : Number((job.progress as { percent?: number })?.percent ?? 0);
    return {
      id: String(job.id),
      queue: kind,
      name: job.name,
      state: state ?? 'unknown',
      progress,
      data: job.data as Record<string, unknown>,
      attemptsMade: job.attemptsMade,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      createdAt: iso(job.timestamp) ?? new Date(0).toISOString(),
      ...(iso(job.processedOn) ? { startedAt: iso(job.processedOn) } : {}),
      ...(iso(job.finishedOn) ? { finishedAt: iso(job.finishedOn) } : {}),
      ...(job.returnvalue && typeof job.returnvalue === 'object' ? { result: job.returnvalue as Record<string, unknown> } : {}),
    };
  }

  /** Closes every queue connection; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...Object.values(this.queues).map((queue) => queue.close()), this.flows?.close()]).then(() => undefined);
    return this.closing;
  }
}
