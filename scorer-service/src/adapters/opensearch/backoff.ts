import type { Client } from '@opensearch-project/opensearch';
import { errors } from '@opensearch-project/opensearch';

/**
 * Retries with exponential backoff for a cluster that is briefly away (restarting, overloaded). The client's
 * own retries are immediate, which a node that is restarting cannot use.
 */
export interface BackoffPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Wait before the first retry; each further retry waits twice as long. */
  baseDelayMs: number;
  /** Upper bound of one wait. */
  maxDelayMs?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 15_000 };

export type RetryListener = (attempt: number, delayMs: number, error: unknown) => void;

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** Errors worth waiting out: no connection, a timeout, or a status that means "later". */
export function isTransient(error: unknown): boolean {
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return true;
  }
  if (error instanceof errors.ResponseError) return TRANSIENT_STATUS.has(error.statusCode ?? 0);
  return false;
}

export function delayFor(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withBackoff<T>(policy: BackoffPolicy, work: () => Promise<T>, onRetry?: RetryListener): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isTransient(error) || attempt > policy.retries) throw error;
      const delay = delayFor(policy, attempt);
      onRetry?.(attempt, delay, error);
      await sleep(delay);
    }
  }
}

type BulkCallback = (error: unknown, result: unknown) => void;
type CallbackBulk = (params: unknown, options: unknown, callback: BulkCallback) => unknown;

/**
 * A client for the bulk helper whose bulk requests are retried with backoff. The helper calls `client.bulk`
 * with a callback and gives up on the first failed request, so the retry has to sit under it: a child client
 * (same connections) gets a `bulk` that re-sends the same body after each wait. A retried body can meet
 * documents the lost attempt already wrote; with `create` they come back as 409 and count as duplicates.
 */
export function bulkClientWithBackoff(client: Client, policy: BackoffPolicy, onRetry?: RetryListener): Client {
  const child = client.child({});
  const send = (child.bulk as unknown as CallbackBulk).bind(child);
  const retrying: CallbackBulk = (params, options, callback) => {
    let attempt = 0;
    const attemptOnce = (): void => {
      send(params, options, (error, result) => {
        if (error && isTransient(error) && attempt < policy.retries) {
          attempt += 1;
          const delay = delayFor(policy, attempt);
          onRetry?.(attempt, delay, error);
          setTimeout(attemptOnce, delay);
          return;
        }
        callback(error, result);
      });
    };
    attemptOnce();
    return undefined;
  };
  (child as unknown as { bulk: CallbackBulk }).bulk = retrying;
  return child;
}
