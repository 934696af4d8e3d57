import { randomUUID } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { DataType } from '../../domain/events';
import type { Rating } from '../../scoring/suspiciousDocument';
import type { BenignExample, FeedbackSource } from '../../scoring/windowScorer';
import { indexNames } from './client';
import { boolQuery, termClause, termsClause, type Query, type Window, totalHits } from './queries';

/**
 * Analyst feedback and allowlist entries, in `<prefix>feedback` and `<prefix>allowlist`. Every rating is kept
 * (history); the latest rating of a threat is the one that counts. Allowlist entries are never deleted, only
 * marked deleted, so the audit trail can always show what an entry was.
 */

export interface StoredFeedback {
  '@timestamp': string;
  data_type: DataType;
  threat_id: string;
  rating: 1 | 2 | 3;
  author: string;
  comment?: string;
  event_timestamp: string;
  src_ip: string;
  dst_ip?: string;
  src_port?: number;
  dst_port?: number;
  domain?: string;
  url?: string;
  /** The event's words, and the documents (IPs) each belongs to, aligned. */
  words: string[];
  documents: string[];
  window: Window;
}

export interface AllowlistMatchFields {
  src_ip?: string;
  dst_ip?: string;
  src_port?: number;
  dst_port?: number;
  domain?: string;
}

export interface StoredAllowlistEntry {
  '@timestamp': string;
  data_type?: DataType;
  match: AllowlistMatchFields;
  author: string;
  reason: string;
  expires_at?: string;
  deleted?: boolean;
  deleted_at?: string;
  deleted_by?: string;
}

/** How many benign examples a retraining reads at most; analysts rate far fewer than this. */
const MAX_FEEDBACK = 10_000;

export class FeedbackStore implements FeedbackSource {
  readonly feedbackIndex: string;
  readonly allowlistIndex: string;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.feedbackIndex = indexNames.feedback(indexPrefix);
    this.allowlistIndex = indexNames.allowlist(indexPrefix);
  }

  async addFeedback(record: StoredFeedback): Promise<string> {
    const id = randomUUID();
    await this.client.index({ index: this.feedbackIndex, id, body: record, refresh: true });
    return id;
  }

  /** The latest rating of each threat matching the query. */
  private async latestRatings(query: Query, size: number): Promise<{ id: string; record: StoredFeedback }[]> {
    const response = await this.client.search({
      index: this.feedbackIndex,
      ignore_unavailable: true,
      body: { size, query, collapse: { field: 'threat_id' }, sort: [{ '@timestamp': 'desc' }] } as never,
    });
    return response.body.hits.hits.map((hit) => ({ id: hit._id as string, record: hit._source as unknown as StoredFeedback }));
  }

  async benignExamples(dataType: DataType): Promise<BenignExample[]> {
    const latest = await this.latestRatings(boolQuery({ filter: [termClause('data_type', dataType)] }), MAX_FEEDBACK);
    return latest
      .filter(({ record }) => record.rating === 3)
      .map(({ record }) => ({
        words: record.words.map((word, i) => ({ document: record.documents[i] ?? record.src_ip, word })),
      }));
  }

  async ratingsFor(ids: readonly string[]): Promise<Map<string, Rating>> {
    const ratings = new Map<string, Rating>();
    if (ids.length === 0) return ratings;
    const latest = await this.latestRatings(boolQuery({ filter: [termsClause('threat_id', ids)] }), ids.length);
    for (const { record } of latest) ratings.set(record.threat_id, { rating: record.rating, by: record.author, at: record['@timestamp'] });
    return ratings;
  }

  async listFeedback(filter: Query[], from: number, size: number): Promise<{ items: { id: string; record: StoredFeedback }[]; total: number }> {
    const response = await this.client.search({
      index: this.feedbackIndex,
      ignore_unavailable: true,
      body: { query: boolQuery({ filter }), sort: [{ '@timestamp': 'desc' }], from, size, track_total_hits: true } as never,
    });
    return {
      total: totalHits(response.body.hits),
      items: response.body.hits.hits.map((hit) => ({ id: hit._id as string, record: hit._source as unknown as StoredFeedback })),
    };
  }

  async addAllowlistEntry(entry: StoredAllowlistEntry): Promise<string> {
    const id = randomUUID();
    await this.client.index({ index: this.allowlistIndex, id, body: entry, refresh: true });
    return id;
  }

  async getAllowlistEntry(id: string): Promise<StoredAllowlistEntry | undefined> {
    try {
      const response = await this.client.get({ index: this.allowlistIndex, id });
      return response.body._source as unknown as StoredAllowlistEntry;
    } catch (error) {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
      throw error;
    }
  }

  async deleteAllowlistEntry(id: string, by: string): Promise<void> {
    await this.client.update({
      index: this.allowlistIndex,
      id,
      refresh: true,
      body: { doc: { deleted: true, deleted_at: new Date().toISOString(), deleted_by: by } },
    });
  }

  /** Entries not deleted; with `activeAt`, only those not expired at that time. */
  async listAllowlist(activeAt: string | undefined, from = 0, size = MAX_FEEDBACK): Promise<{ items: { id: string; entry: StoredAllowlistEntry }[]; total: number }> {
    const filter: Query[] = [];
    if (activeAt) {
      filter.push(boolQuery({ should: [{ range: { expires_at: { gt: activeAt } } }, boolQuery({ mustNot: [{ exists: { field: 'expires_at' } }] })] }));
    }
    const response = await this.client.search({
      index: this.allowlistIndex,
      ignore_unavailable: true,
      body: {
        query: boolQuery({ filter, mustNot: [termClause('deleted', true)] }),
        sort: [{ '@timestamp': 'desc' }],
        from,
        size,
        track_total_hits: true,
      } as never,
    });
    return {
      total: totalHits(response.body.hits),
      items: response.body.hits.hits.map((hit) => ({ id: hit._id as string, entry: hit._source as unknown as StoredAllowlistEntry })),
    };
  }
}
