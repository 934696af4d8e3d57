import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { DataType } from '../../domain/events';
import { indexNames } from './client';
import { boolQuery, termClause, type Query, type Window, totalHits } from './queries';

/** The analyst's story of an incident, one document per (data type, anchor, window) in `<prefix>storyboard`. */
export interface StoredStory {
  data_type: DataType;
  anchor: { ip?: string; domain?: string; uri?: string };
  from: string;
  to: string;
  title: string;
  summary: string;
  author: string;
  created_at: string;
  updated_at: string;
}

export function storyId(dataType: DataType, anchor: StoredStory['anchor'], window: Window): string {
  const key = JSON.stringify([dataType, anchor.ip ?? '', anchor.domain ?? '', anchor.uri ?? '', window.from, window.to]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export class StoryboardStore {
  readonly index: string;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.index = indexNames.storyboard(indexPrefix);
  }

  async get(id: string): Promise<StoredStory | undefined> {
    try {
      const response = await this.client.get({ index: this.index, id });
      return response.body._source as unknown as StoredStory;
    } catch (error) {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Saves the story; a second save of the same anchor and window updates it and keeps its creation time. */
  async save(story: Omit<StoredStory, 'created_at' | 'updated_at'>): Promise<{ id: string; story: StoredStory }> {
    const id = storyId(story.data_type, story.anchor, story);
    const now = new Date().toISOString();
    const existing = await this.get(id);
    const stored: StoredStory = { ...story, created_at: existing?.created_at ?? now, updated_at: now };
    await this.client.index({ index: this.index, id, body: stored, refresh: true });
    return { id, story: stored };
  }

  async list(dataType: DataType | undefined, window: Window, from: number, size: number): Promise<{ items: { id: string; story: StoredStory }[]; total: number }> {
    const filter: Query[] = [{ range: { from: { lt: window.to } } }, { range: { to: { gt: window.from } } }];
    if (dataType) filter.push(termClause('data_type', dataType));
    const response = await this.client.search({
      index: this.index,
      ignore_unavailable: true,
      body: { query: boolQuery({ filter }), sort: [{ updated_at: 'desc' }], from, size, track_total_hits: true } as never,
    });
    const hits = response.body.hits;
    return {
      total: totalHits(hits),
      items: hits.hits.map((hit) => ({ id: hit._id as string, story: hit._source as unknown as StoredStory })),
    };
  }
}
