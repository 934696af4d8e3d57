import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import { QUEUES, type QueueKind } from '../queues/jobs';
import { redisConnection } from '../queues/jobQueues';

/**
 * The consumer side: one BullMQ worker per queue, each running jobs in sandboxed worker threads (sandbox.cjs),
 * so any number of these processes on any number of hosts can share the queues. A job whose process dies stops
 * renewing its lock; after `lockDurationMs` another worker's stalled-job check puts it back and runs it again,
 * and since every write of a job is idempotent the second run ends with the same documents.
 */

export interface WorkerSettings {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  queues?: readonly QueueKind[];
  /** Environment of the sandbox threads, which read their configuration from it; this process's by default. */
  env?: NodeJS.ProcessEnv;
}

export interface WorkerEvents {
  onCompleted?: (queue: QueueKind, job: Job, seconds: number) => void;
  onFailed?: (queue: QueueKind, job: Job | undefined, error: Error) => void;
  onError?: (queue: QueueKind, error: Error) => void;
}

export const PROCESSOR_FILE = path.join(__dirname, 'sandbox.cjs');

export class WorkerService {
  private readonly workers: Worker[];
  private closing: Promise<void> | undefined;

  constructor(settings: WorkerSettings, events: WorkerEvents = {}) {
    const connection = redisConnection(settings.redisUrl, true);
    this.workers = (settings.queues ?? QUEUES).map((queue) => {
      const worker = new Worker(queue, PROCESSOR_FILE, {
        connection,
        prefix: settings.prefix,
        concurrency: settings.concurrency,
        useWorkerThreads: true,
        ...(settings.env ? { workerThreadsOptions: { env: settings.env } } : {}),
        lockDuration: settings.lockDurationMs ?? 30_000,
        stalledInterval: settings.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      });
      worker.on('completed', (job) => {
        const seconds = job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0;
        events.onCompleted?.(queue, job, seconds);
      });
      worker.on('failed', (job, error) => events.onFailed?.(queue, job, error));
      // BullMQ retries the connection by itself; the listener keeps an outage from crashing the process.
      worker.on('error', (error) => events.onError?.(queue, error));
      return worker;
    });
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  /**
   * Stops taking jobs and waits for the running ones to finish (or, with `force`, releases them at once so
   * another worker picks them up after their lock expires). Idempotent.
   */
  close(force = false): Promise<void> {
    this.closing ??= Promise.allSettled(this.workers.map((worker) => worker.close(force))).then(() => undefined);
    return this.closing;
  }
}
