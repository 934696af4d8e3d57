import type { Client } from '@opensearch-project/opensearch';
import type { DataType } from '../../domain/events';
import type { SuspiciousDocument } from '../../scoring/suspiciousDocument';
import type { RunRecord, SuspiciousSink } from '../../scoring/windowScorer';
import { indexDay, indexNames } from './client';
import type { ScoringRuns } from './modelRegistry';
import { boolQuery, termClause, windowKey, type Query, type Window, totalHits } from './queries';

/**
 * Suspicious events in `<prefix>suspicious-<type>-<day>` (the day of the event, so a document's index never
 * depends on which run wrote it and a re-score overwrites it by id).
 */

export interface StoredSuspicious {
  id: string;
  index: string;
  doc: SuspiciousDocument;
}

export interface SuspiciousPage {
  items: StoredSuspicious[];
  total: number;
}

export class SuspiciousStore implements SuspiciousSink {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
    private readonly runs: ScoringRuns,
  ) {}

  pattern(dataType: DataType): string {
    return indexNames.scoredPattern(this.indexPrefix, dataType);
  }

  async write(docs: { id: string; doc: SuspiciousDocument }[]): Promise<void> {
    if (docs.length === 0) return;
    const failures: string[] = [];
    const indices = new Set<string>();
    // The bulk helper sends each datasource item as the document body, so ids travel beside it.
    const idOf = new WeakMap(docs.map(({ id, doc }) => [doc, id]));
    const stats = await this.client.helpers.bulk({
      datasource: docs.map(({ doc }) => doc),
      onDocument: (doc) => {
        const index = indexNames.scored(this.indexPrefix, doc.spothreat.data_type, indexDay(doc['@timestamp']));
        indices.add(index);
        return { index: { _index: index, _id: idOf.get(doc) } };
      },
      onDrop: (dropped) => {
        failures.push(`${idOf.get(dropped.document as SuspiciousDocument)}: ${JSON.stringify(dropped.error)}`);
      },
      retries: 3,
      flushBytes: 5_000_000,
    });
    if (failures.length > 0 || stats.failed > 0 || stats.aborted) {
      throw new Error(`${stats.failed} of ${docs.length} suspicious documents were not stored: ${failures.slice(0, 3).join('; ')}`);
    }
    await this.client.indices.refresh({ index: [...indices].join(',') });
  }

  async completeRun(run: RunRecord): Promise<void> {
    await this.runs.complete(run, windowKey(run.window));
  }

  /**
   * Deletes by search + bulk delete rather than `_delete_by_query`: that API lives in the reindex module, which
   * minimal distributions (the local node among them) do not ship. A window holds at most MAXRESULTS documents
   * per run, so a few rounds suffice.
   */
  async removeOtherRuns(dataType: DataType, window: Window, runId: string): Promise<number> {
    const query = boolQuery({ filter: [termClause('spothreat.window.key', windowKey(window))], mustNot: [termClause('spothreat.run_id', runId)] });
    let removed = 0;
    for (;;) {
      const page = await this.client.search({
        index: this.pattern(dataType),
        ignore_unavailable: true,
        allow_no_indices: true,
        body: { query, size: 5_000, _source: false } as never,
      });
      const hits = page.body.hits.hits;
      if (hits.length === 0) return removed;
      const response = await this.client.bulk({
        refresh: true,
        body: hits.map((hit) => ({ delete: { _index: hit._index, _id: hit._id } })),
      });
      const items = (response.body as { items: { delete?: { status: number } }[] }).items;
      const failed = items.filter((item) => item.delete && item.delete.status >= 300 && item.delete.status !== 404);
      if (failed.length > 0) throw new Error(`${failed.length} stale suspicious documents could not be deleted`);
      removed += hits.length;
    }
  }

  async search(dataType: DataType, query: Query, sort: unknown[], from: number, size: number): Promise<SuspiciousPage> {
    const response = await this.client.search({
      index: this.pattern(dataType),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { query, sort, from, size, track_total_hits: true } as never,
    });
    const hits = response.body.hits;
    return {
      total: totalHits(hits),
      items: hits.hits.map((hit) => ({ id: hit._id as string, index: hit._index as string, doc: hit._source as unknown as SuspiciousDocument })),
    };
  }

  /**
   * One page in the given order after the `after` sort values of the previous page's last hit (search_after), so a
   * long read (the export) never asks OpenSearch for a deep `from` and holds one page at a time. The sort must end
   * in a unique field (the document id), or events that tie on every key could be skipped or repeated.
   */
  async searchAfter(dataType: DataType, query: Query, sort: unknown[], size: number, after?: unknown[]): Promise<{ items: StoredSuspicious[]; last?: unknown[] }> {
    const response = await this.client.search({
      index: this.pattern(dataType),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { query, sort, size, track_total_hits: false, ...(after ? { search_after: after } : {}) } as never,
    });
    const hits = response.body.hits.hits;
    return {
      items: hits.map((hit) => ({ id: hit._id as string, index: hit._index as string, doc: hit._source as unknown as SuspiciousDocument })),
      last: hits.length > 0 ? (hits[hits.length - 1].sort as unknown[]) : undefined,
    };
  }

  async count(dataType: DataType, query: Query): Promise<number> {
    const response = await this.client.count({
      index: this.pattern(dataType),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { query } as never,
    });
    return Number(response.body.count);
  }

  async get(dataType: DataType, id: string): Promise<StoredSuspicious | undefined> {
    const page = await this.search(dataType, { ids: { values: [id] } }, [], 0, 1);
    return page.items[0];
  }

  /** Records the analyst's latest rating on the document, so lists can filter on it. */
  async setRating(stored: StoredSuspicious, rating: { rating: 1 | 2 | 3; by: string; at: string }): Promise<void> {
    await this.client.update({
      index: stored.index,
      id: stored.id,
      refresh: true,
      body: { doc: { spothreat: { rating: rating.rating, rated_by: rating.by, rated_at: rating.at } } },
    });
  }

  /** Aggregations over the suspicious documents (network view, geo). */
  async aggregate(dataType: DataType, query: Query, aggs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await this.client.search({
      index: this.pattern(dataType),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { size: 0, query, aggs } as never,
    });
    return (response.body.aggregations ?? {}) as Record<string, unknown>;
  }
}
