import type { SandboxedJob } from 'bullmq';
import { loadConfig } from '../config';
import { composeQueues, composeScoring, type ScoringServices } from '../composition';
import type { JobQueues } from '../queues/jobQueues';
import { JOB_SCHEMAS, mergePartsJobSchema, observeJobSchema, PART_JOB_NAMES, QUEUES, scorePartJobSchema, type QueueKind } from '../queues/jobs';
import { mergeParts } from '../scoring/slices';
import type { PartResult } from '../scoring/windowScorer';
import { reenrichWindow } from '../scoring/reenrich';
import { windowBefore } from '../scoring/windows';

/**
 * Runs one job in a sandboxed worker thread, so a long LDA fit never blocks the event loop that renews the job's
 * lock. The thread composes its own services once (config from the environment it inherited) and reuses them for
 * every job it is given.
 */

let services: Promise<ScoringServices> | undefined;

function scoringServices(): Promise<ScoringServices> {
  services ??= composeScoring(loadConfig());
  return services;
}

let producer: JobQueues | undefined;

/** A train job of a scaled-out window queues the part jobs itself, once the model version exists. */
function jobQueues(): JobQueues {
  producer ??= composeQueues(loadConfig());
  return producer;
}

function queueOf(job: SandboxedJob): QueueKind {
  // queueQualifiedName is `<prefix>:<queue>`.
  const name = job.queueQualifiedName.slice(job.queueQualifiedName.lastIndexOf(':') + 1);
  if (!(QUEUES as readonly string[]).includes(name)) throw new Error(`job ${job.id} comes from unknown queue "${name}"`);
  return name as QueueKind;
}

export default async function processJob(job: SandboxedJob): Promise<Record<string, unknown>> {
  const queue = queueOf(job);
  const { scorer, models } = await scoringServices();
  let lastProgress = -1;
  const onProgress = (percent: number) => {
    if (percent === lastProgress) return;
    lastProgress = percent;
    void job.updateProgress(percent);
  };
  switch (queue) {
    case 'score': {
      if (job.name === PART_JOB_NAMES.part) {
        const data = scorePartJobSchema.parse(job.data);
        const result = await scorer.scorePart({ dataType: data.dataType, window: data.window, modelVersion: data.modelVersion, part: data.part, trigger: data.trigger, onProgress });
        return { ...result };
      }
      if (job.name === PART_JOB_NAMES.merge) {
        const data = mergePartsJobSchema.parse(job.data);
        const { config } = await scoringServices();
        // Children's values come keyed by job, in no useful order; the merge sorts, so the order does not matter.
        const parts = Object.values(await job.getChildrenValues<PartResult>());
        if (parts.length !== data.parts) throw new Error(`${parts.length} of ${data.parts} parts of the window have results`);
        const merged = mergeParts(parts, config.scoring.maxResults);
        const summary = await scorer.writeMerged(
          { dataType: data.dataType, window: data.window, modelVersion: data.modelVersion, trigger: data.trigger, startedAt: job.timestamp, onProgress },
          merged,
        );
        return { ...summary };
      }
      const data = JOB_SCHEMAS.score.parse(job.data);
      // A scheduler's job scores the window that ended at its tick (its creation time plus its delay).
      const tick = new Date(job.timestamp + Number(job.opts.delay ?? 0));
      const window = data.window ?? windowBefore(tick, data.windowLength ?? 'hour');
      const summary = await scorer.score({ dataType: data.dataType, window, model: data.model, trigger: data.trigger, onProgress });
      return { ...summary };
    }
    case 'train': {
      if (job.name === PART_JOB_NAMES.observe) {
        const data = observeJobSchema.parse(job.data);
        const { config } = await scoringServices();
        // Spot's LDA ranking has no window state: its parts need only the version.
        const observed =
          config.scoring.ranking === 'fused'
            ? await scorer.observeWindowForParts({ dataType: data.dataType, window: data.window, modelVersion: data.modelVersion, trigger: data.trigger, onProgress })
            : { modelVersion: data.modelVersion };
        const mergeJobId = await jobQueues().enqueuePartsFlow({ dataType: data.dataType, window: data.window, modelVersion: data.modelVersion, parts: data.thenScoreParts, trigger: data.trigger });
        return { ...observed, mergeJobId };
      }
      const data = JOB_SCHEMAS.train.parse(job.data);
      const { lda: _model, ...summary } = await scorer.train({ dataType: data.dataType, window: data.window, trigger: data.trigger, onProgress });
      if (data.thenScoreParts === undefined) return { ...summary };
      const mergeJobId = await jobQueues().enqueuePartsFlow({
        dataType: data.dataType,
        window: data.window,
        modelVersion: summary.model.version,
        parts: data.thenScoreParts,
        trigger: data.trigger,
      });
      return { ...summary, mergeJobId };
    }
    case 'retrain': {
      const data = JOB_SCHEMAS.retrain.parse(job.data);
      const latest = await models.latest(data.dataType);
      const coveredUntil = typeof latest?.params.feedbackAsOf === 'string' ? latest.params.feedbackAsOf : undefined;
      if (latest && coveredUntil !== undefined && coveredUntil >= data.requestedAt) {
        // Several ratings in a row queue several jobs; the first one to run already read them all.
        return { skipped: true, reason: `model v${latest.version} already includes feedback up to ${coveredUntil}`, modelVersion: latest.version };
      }
      const summary = await scorer.score({ dataType: data.dataType, window: data.window, model: 'train', trigger: 'feedback', onProgress });
      return { ...summary };
    }
    case 'enrich': {
      const data = JOB_SCHEMAS.enrich.parse(job.data);
      const composed = await scoringServices();
      return { ...(await reenrichWindow(composed, data.dataType, data.window, { onProgress })) };
    }
  }
}
