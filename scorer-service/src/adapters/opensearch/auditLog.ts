import { randomUUID } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { indexNames } from './client';
import { boolQuery, termClause, type Query, totalHits } from './queries';

/** Who changed what and when, in `<prefix>audit`: every analyst action through the API leaves an entry. */
export interface AuditRecord {
  '@timestamp': string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export class AuditLog {
  readonly index: string;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.index = indexNames.audit(indexPrefix);
  }

  async record(actor: string, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
    const entry: AuditRecord = { '@timestamp': new Date().toISOString(), actor, action, target, details };
    await this.client.index({ index: this.index, id: randomUUID(), body: entry, refresh: true });
  }

  async list(filter: { action?: string; actor?: string }, from: number, size: number): Promise<{ items: { id: string; entry: AuditRecord }[]; total: number }> {
    const clauses: Query[] = [];
    if (filter.action) clauses.push(termClause('action', filter.action));
    if (filter.actor) clauses.push(termClause('actor', filter.actor));
    const response = await this.client.search({
      index: this.index,
      ignore_unavailable: true,
      body: { query: boolQuery({ filter: clauses }), sort: [{ '@timestamp': 'desc' }], from, size, track_total_hits: true } as never,
    });
    const hits = response.body.hits;
    return {
      total: totalHits(hits),
      items: hits.hits.map((hit) => ({ id: hit._id as string, entry: hit._source as unknown as AuditRecord })),
    };
  }
}
