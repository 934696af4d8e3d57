import { useCallback, useEffect, useRef, useState } from 'react';

import { scorerClient } from '../../api/scorerClient';
import { errorMessage } from '../../components/useFetch';
import type { FeedbackCreate, JobState, Rating, Threat } from '../../api/types';
import type { AllowlistDraft } from './AllowlistForm';

export interface FeedbackEntry {
  rating?: Rating;
  allowlisted?: boolean;
  /** The retraining job a benign rating started, as `queue/id`. */
  job?: { queue: string; id: string };
  jobState?: JobState;
  error?: string;
}

export type FeedbackMap = ReadonlyMap<string, FeedbackEntry>;

const FINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed']);
const POLL_INTERVAL_MS = 1000;

/**
 * Sends an analyst's verdict to the scorer and follows the retraining job it starts until the job finishes, so the
 * row can show where its feedback is. Polling stops when the component unmounts.
 */
export function useFeedback(pollIntervalMs = POLL_INTERVAL_MS) {
  const [entries, setEntries] = useState<Map<string, FeedbackEntry>>(new Map());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => {
      pending.forEach(clearTimeout);
      pending.clear();
    };
  }, []);

  const update = useCallback((threatId: string, patch: FeedbackEntry) => {
    setEntries((previous) => new Map(previous).set(threatId, { ...previous.get(threatId), ...patch }));
  }, []);

  const follow = useCallback(
    (threatId: string, queue: string, jobId: string) => {
      const poll = async () => {
        try {
          const job = await scorerClient.job(queue, jobId);
          update(threatId, { jobState: job.state, error: job.failedReason });
          if (!FINAL_STATES.has(job.state)) {
            schedule();
          }
        } catch (error) {
          update(threatId, { error: errorMessage(error) });
        }
      };
      const schedule = () => {
        const timer = setTimeout(() => {
          timers.current.delete(timer);
          void poll();
        }, pollIntervalMs);
        timers.current.add(timer);
      };
      schedule();
    },
    [pollIntervalMs, update]
  );

  const submit = useCallback(
    async (threat: Threat, optimistic: FeedbackEntry, feedback: Omit<FeedbackCreate, 'author'>) => {
      update(threat.id, { ...optimistic, error: undefined, jobState: undefined, job: undefined });
      try {
        const response = await scorerClient.submitFeedback(feedback);
        if (response.retrainJob) {
          const { queue, id } = response.retrainJob;
          update(threat.id, { job: { queue, id }, jobState: 'waiting' });
          follow(threat.id, queue, id);
        }
      } catch (error) {
        update(threat.id, { error: errorMessage(error) });
      }
    },
    [follow, update]
  );

  /** Rates a threat; Spot's scale, where 3 (benign) also retrains the data type's model. */
  const rate = useCallback(
    (threat: Threat, rating: Rating) => submit(threat, { rating }, { dataType: threat.dataType, threatId: threat.id, rating }),
    [submit]
  );

  /** Rates the threat benign and allowlists what matches it, in one request. */
  const allowlist = useCallback(
    (threat: Threat, draft: AllowlistDraft) =>
      submit(threat, { rating: 3, allowlisted: true }, { dataType: threat.dataType, threatId: threat.id, rating: 3, allowlist: draft }),
    [submit]
  );

  return { entries: entries as FeedbackMap, rate, allowlist };
}
