import { Client } from '@opensearch-project/opensearch';
import type { Config } from '../../config';

/** The one way the product builds an OpenSearch client, so timeouts and retries are the same everywhere. */
export function createOpenSearchClient(config: Pick<Config, 'opensearch'>, opts: { maxRetries?: number; requestTimeoutMs?: number } = {}): Client {
  return new Client({
    node: config.opensearch.url,
    maxRetries: opts.maxRetries ?? 3,
    requestTimeout: opts.requestTimeoutMs ?? 60_000,
    compression: undefined,
  });
}

/** Index names: `<prefix><type>-<yyyy.mm.dd>` for daily raw and scored events, `<prefix><name>` for the rest. */
export const indexNames = {
  raw: (prefix: string, dataType: string, day: string) => `${prefix}raw-${dataType}-${day}`,
  rawPattern: (prefix: string, dataType: string) => `${prefix}raw-${dataType}-*`,
  scored: (prefix: string, dataType: string, day: string) => `${prefix}suspicious-${dataType}-${day}`,
  scoredPattern: (prefix: string, dataType: string) => `${prefix}suspicious-${dataType}-*`,
  feedback: (prefix: string) => `${prefix}feedback`,
  allowlist: (prefix: string) => `${prefix}allowlist`,
  models: (prefix: string) => `${prefix}models`,
  ingestStats: (prefix: string) => `${prefix}ingest-stats`,
  deadLetters: (prefix: string) => `${prefix}rejected`,
  audit: (prefix: string) => `${prefix}audit`,
  storyboard: (prefix: string) => `${prefix}storyboard`,
};

/** UTC day of an ISO timestamp in index-name form (`2026.11.21`). */
export function indexDay(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10).replace(/-/g, '.');
}
