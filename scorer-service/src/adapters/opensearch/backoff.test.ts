import { errors } from '@opensearch-project/opensearch';
import { delayFor, isTransient, withBackoff } from './backoff';

const connectionRefused = () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');

describe('backoff', () => {
  it('waits twice as long before each retry, up to the cap', () => {
    const policy = { retries: 5, baseDelayMs: 500, maxDelayMs: 3000 };
    expect([1, 2, 3, 4, 5].map((attempt) => delayFor(policy, attempt))).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('treats a refused connection and a timeout as worth waiting out, a bad request not', () => {
    expect(isTransient(connectionRefused())).toBe(true);
    expect(isTransient(new errors.TimeoutError('timed out', undefined as never))).toBe(true);
    expect(isTransient(new Error('mapper_parsing_exception'))).toBe(false);
  });

  it('retries a transient failure until the work succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const value = await withBackoff(
      { retries: 3, baseDelayMs: 1 },
      async () => {
        calls += 1;
        if (calls < 3) throw connectionRefused();
        return 'done';
      },
      (_attempt, delay) => waits.push(delay),
    );
    expect(value).toBe('done');
    expect(waits).toEqual([1, 2]);
  });

  it('gives up after the last retry with the last error', async () => {
    let calls = 0;
    await expect(
      withBackoff({ retries: 2, baseDelayMs: 1 }, async () => {
        calls += 1;
        throw connectionRefused();
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toBe(3);
  });

  it('does not retry a failure that will not go away', async () => {
    let calls = 0;
    await expect(
      withBackoff({ retries: 5, baseDelayMs: 1 }, async () => {
        calls += 1;
        throw new Error('invalid_index_name_exception');
      }),
    ).rejects.toThrow(/invalid_index_name/);
    expect(calls).toBe(1);
  });
});
