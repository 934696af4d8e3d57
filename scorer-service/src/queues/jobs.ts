import { z } from 'zod';

/**
 * The queues and their job payloads. A payload names a data type and a window (or how to find one), never
 * events: workers read the events from OpenSearch themselves, so a job stays a few hundred bytes and a retry
 * reads the same data again.
 */

export const QUEUES = ['score', 'train', 'retrain', 'enrich'] as const;
export type QueueKind = (typeof QUEUES)[number];

const dataType = z.enum(['flow', 'dns', 'proxy']);
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 time');
const window = z.object({ from: isoTime, to: isoTime }).refine((w) => w.from < w.to, 'window.from must be before window.to');

/** Score one window. A scheduler's job has no window but a length: the window is the one before its tick. */
export const scoreJobSchema = z
  .object({
    dataType,
    window: window.optional(),
    windowLength: z.enum(['hour', 'day']).optional(),
    /** `train` (default, Spot's way), `latest`, or a version number. */
    model: z.union([z.literal('train'), z.literal('latest'), z.number().int().min(1)]).default('train'),
    trigger: z.string().default('api'),
  })
  .refine((job) => (job.window === undefined) !== (job.windowLength === undefined), 'give a window or a windowLength, not both');
export type ScoreJob = z.infer<typeof scoreJobSchema>;

/**
 * Train a model on a window and register it. With `thenScoreParts`, the worker then queues the window's scoring as
 * that many part jobs and one merge job (see scoring/slices.ts), all with the version it registered.
 */
export const trainJobSchema = z.object({ dataType, window, trigger: z.string().default('api'), thenScoreParts: z.number().int().min(1).max(256).optional() });
export type TrainJob = z.infer<typeof trainJobSchema>;

/**
 * Retrain from feedback: train a new version on the rated event's window with every benign rating folded in,
 * then re-score that window with it. `requestedAt` lets a worker skip a job a newer model already covers.
 */
export const retrainJobSchema = z.object({
  dataType,
  window,
  requestedAt: isoTime,
  reason: z.string().max(500).default('feedback'),
});
export type RetrainJob = z.infer<typeof retrainJobSchema>;

/** Re-enrich a window's suspicious events (a new blocklist or context file) without re-scoring. */
export const enrichJobSchema = z.object({ dataType, window });
export type EnrichJob = z.infer<typeof enrichJobSchema>;

/** What every scale-out job names: a window of a data type and the registered model version that ranks it. */
const versionedWindowJob = z.object({
  dataType,
  window,
  modelVersion: z.number().int().min(1),
  trigger: z.string().default('api'),
});

/**
 * Scale-out with a given model version: read the whole window once for the fused ranking's window state (heuristic
 * verdicts, reference sample, document frequencies), store it beside the version, then queue the parts. Runs on the
 * train queue (it reads a whole window, like a training).
 */
export const observeJobSchema = versionedWindowJob.extend({ thenScoreParts: z.number().int().min(1).max(256) });
export type ObserveJob = z.infer<typeof observeJobSchema>;

/** Scale-out: score one part of a window with a registered model version; writes nothing, returns its top list. */
export const scorePartJobSchema = versionedWindowJob
  .extend({ part: z.object({ index: z.number().int().min(0), of: z.number().int().min(1).max(256) }) })
  .refine((job) => job.part.index < job.part.of, 'part.index must be below part.of');
export type ScorePartJob = z.infer<typeof scorePartJobSchema>;

/** Scale-out: the parent of the part jobs; merges their top lists and writes the window's run. */
export const mergePartsJobSchema = versionedWindowJob.extend({ parts: z.number().int().min(1).max(256) });
export type MergePartsJob = z.infer<typeof mergePartsJobSchema>;

/** Names of the scale-out jobs, which run on the score queue beside whole-window ones. */
export const PART_JOB_NAMES = { part: 'score-part', merge: 'merge-parts', observe: 'observe-window' } as const;

export const JOB_SCHEMAS = { score: scoreJobSchema, train: trainJobSchema, retrain: retrainJobSchema, enrich: enrichJobSchema } as const;

/** Names of the jobs on each queue (BullMQ job names). */
export const JOB_NAMES: Record<QueueKind, string> = { score: 'score-window', train: 'train-window', retrain: 'retrain', enrich: 'enrich-window' };
