import type { Client } from '@opensearch-project/opensearch';
import type { DataType } from '../../domain/events';
import type { LdaModel } from '../../domain/lda';
import { decodeModel, encodeModel } from '../../scoring/modelCodec';
import type { ModelRecord, ModelStore, NewModel, RunRecord } from '../../scoring/windowScorer';
import { indexNames } from './client';
import { boolQuery, termClause, type CurrentRun, type Query, type Window, totalHits } from './queries';

/**
 * The model registry in `<prefix>models`: one `kind: model` document per version (`<type>-v<n>`), the model's
 * state in `kind: chunk` documents beside it (OpenSearch documents stay far below the request size limit even
 * for a day's model of every IP), and one `kind: run` document per completed scoring run.
 *
 * Versions are claimed with create-only writes, so two workers training at once get two versions, never one
 * overwritten. A version is `writing` until all its chunks are stored and only `ready` versions are served.
 */

const CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_VERSION_CLAIMS = 20;

interface StoredModel {
  kind: 'model';
  model_id: string;
  data_type: DataType;
  version: number;
  status: 'writing' | 'ready';
  algorithm: string;
  params: Record<string, unknown>;
  training_window: Window;
  trained_at: string;
  trigger: string;
  events: number;
  documents: number;
  vocabulary: number;
  feedback_rows: number;
  evaluation?: Record<string, number>;
  chunk?: { count: number };
}

interface StoredRun {
  kind: 'run';
  data_type: DataType;
  run: {
    id: string;
    window_key: string;
    window: Window;
    model_version: number;
    trigger: string;
    started_at: string;
    completed_at: string;
    events: number;
    scored: number;
    suspicious: number;
    unscorable: number;
    unscorable_reasons: Record<string, number>;
  };
}

export interface ModelListing {
  items: (ModelRecord & { active: boolean })[];
  total: number;
}

function toRecord(stored: StoredModel): ModelRecord {
  return {
    id: stored.model_id,
    dataType: stored.data_type,
    version: stored.version,
    algorithm: stored.algorithm,
    params: stored.params,
    trainingWindow: stored.training_window,
    trainedAt: stored.trained_at,
    trigger: stored.trigger,
    events: stored.events,
    documents: stored.documents,
    vocabulary: stored.vocabulary,
    feedbackRows: stored.feedback_rows,
    ...(stored.evaluation ? { evaluation: stored.evaluation } : {}),
  };
}

/** Artifact chunks sit beside the LDA's (`<model>-chunk-<i>`) under the artifact's name. */
function artifactChunkId(modelId: string, name: string, index: number): string {
  return `${modelId}-${name}-chunk-${index}`;
}

function isConflict(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode === 409;
}

export class ModelRegistry implements ModelStore {
  readonly index: string;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.index = indexNames.models(indexPrefix);
  }

  /**
   * Registers the next version. `artifacts` (the flow autoencoder, the training window's fusion state) are stored
   * in chunks beside the LDA's before the version becomes ready, so a ready version always has all of them.
   */
  async register(meta: NewModel, model: LdaModel, artifacts: ReadonlyMap<string, Buffer> = new Map()): Promise<ModelRecord> {
    const blob = encodeModel(model);
    const chunks = Math.max(1, Math.ceil(blob.length / CHUNK_BYTES));
    let version = (await this.highestVersion(meta.dataType, false)) + 1;
    let stored: StoredModel | undefined;
    for (let attempt = 0; attempt < MAX_VERSION_CLAIMS && stored === undefined; attempt += 1, version += 1) {
      const candidate: StoredModel = {
        kind: 'model',
        model_id: `${meta.dataType}-v${version}`,
        data_type: meta.dataType,
        version,
        status: 'writing',
        algorithm: meta.algorithm,
        params: meta.params,
        training_window: meta.trainingWindow,
        trained_at: meta.trainedAt,
        trigger: meta.trigger,
        events: meta.events,
        documents: meta.documents,
        vocabulary: meta.vocabulary,
        feedback_rows: meta.feedbackRows,
        ...(meta.evaluation ? { evaluation: meta.evaluation } : {}),
        chunk: { count: chunks },
      };
      try {
        await this.client.create({ index: this.index, id: candidate.model_id, body: candidate });
        stored = candidate;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    if (!stored) throw new Error(`could not claim a new ${meta.dataType} model version after ${MAX_VERSION_CLAIMS} tries`);
    for (let i = 0; i < chunks; i += 1) {
      await this.client.index({
        index: this.index,
        id: `${stored.model_id}-chunk-${i}`,
        body: {
          kind: 'chunk',
          model_id: stored.model_id,
          data_type: meta.dataType,
          version: stored.version,
          chunk: { index: i, count: chunks, data: blob.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES).toString('base64') },
        },
      });
    }
    for (const [name, bytes] of artifacts) await this.writeArtifact(stored.model_id, meta.dataType, stored.version, name, bytes);
    await this.client.update({ index: this.index, id: stored.model_id, body: { doc: { status: 'ready' } }, refresh: true });
    return toRecord({ ...stored, status: 'ready' });
  }

  /** Stores (or replaces) a named artifact of a registered version, e.g. a window's fusion state for scale-out parts. */
  async saveArtifact(record: ModelRecord, name: string, bytes: Buffer): Promise<void> {
    await this.writeArtifact(record.id, record.dataType, record.version, name, bytes);
    await this.client.indices.refresh({ index: this.index });
  }

  /** A named artifact of a version, or undefined when the version has none by that name. */
  async artifact(record: ModelRecord, name: string): Promise<Buffer | undefined> {
    const id = (i: number) => artifactChunkId(record.id, name, i);
    const first = await this.client.get({ index: this.index, id: id(0) }, { ignore: [404] });
    const source = (first.body as { found?: boolean; _source?: { chunk: { count: number; data: string } } }).found ? (first.body as { _source: { chunk: { count: number; data: string } } })._source : undefined;
    if (!source) return undefined;
    const count = source.chunk.count;
    const rest = count > 1 ? await this.client.mget({ index: this.index, body: { ids: Array.from({ length: count - 1 }, (_v, i) => id(i + 1)) } }) : undefined;
    const docs = rest ? (rest.body as unknown as { docs: { found: boolean; _id: string; _source?: { chunk: { data: string } } }[] }).docs : [];
    const missing = docs.filter((d) => !d.found).map((d) => d._id);
    if (missing.length > 0) throw new Error(`artifact ${name} of model ${record.id} is incomplete: missing ${missing.join(', ')}`);
    return Buffer.concat([source.chunk.data, ...docs.map((d) => d._source!.chunk.data)].map((data) => Buffer.from(data, 'base64')));
  }

  private async writeArtifact(modelId: string, dataType: DataType, version: number, name: string, bytes: Buffer): Promise<void> {
    const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
    for (let i = 0; i < chunks; i += 1) {
      await this.client.index({
        index: this.index,
        id: artifactChunkId(modelId, name, i),
        body: {
          kind: 'chunk',
          model_id: modelId,
          data_type: dataType,
          version,
          chunk: { index: i, count: chunks, data: bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES).toString('base64') },
        },
      });
    }
  }

  async latest(dataType: DataType): Promise<ModelRecord | undefined> {
    const found = await this.searchModels(boolQuery({ filter: [termClause('data_type', dataType), termClause('status', 'ready')] }), 1, 0);
    return found.items[0];
  }

  async version(dataType: DataType, version: number): Promise<ModelRecord | undefined> {
    const found = await this.searchModels(
      boolQuery({ filter: [termClause('data_type', dataType), termClause('version', version), termClause('status', 'ready')] }),
      1,
      0,
    );
    return found.items[0];
  }

  async load(record: ModelRecord): Promise<LdaModel> {
    const meta = await this.client.get({ index: this.index, id: record.id });
    const count = (meta.body._source as StoredModel).chunk?.count ?? 1;
    const ids = Array.from({ length: count }, (_v, i) => `${record.id}-chunk-${i}`);
    const response = await this.client.mget({ index: this.index, body: { ids } });
    const docs = (response.body as unknown as { docs: { found: boolean; _id: string; _source?: { chunk: { data: string } } }[] }).docs;
    const missing = docs.filter((d) => !d.found).map((d) => d._id);
    if (missing.length > 0) throw new Error(`model ${record.id} is incomplete: missing ${missing.join(', ')}`);
    return decodeModel(Buffer.concat(docs.map((d) => Buffer.from(d._source!.chunk.data, 'base64'))));
  }

  /** Ready versions, newest first; the newest of each data type is the active one. */
  async list(dataType: DataType | undefined, page: number, pageSize: number): Promise<ModelListing> {
    const filter: Query[] = [termClause('kind', 'model'), termClause('status', 'ready')];
    if (dataType) filter.push(termClause('data_type', dataType));
    const found = await this.searchModels(boolQuery({ filter }), pageSize, (page - 1) * pageSize);
    const latest = new Map<DataType, number>();
    for (const type of new Set(found.items.map((m) => m.dataType))) {
      latest.set(type, (await this.highestVersion(type, true)) ?? 0);
    }
    return { total: found.total, items: found.items.map((m) => ({ ...m, active: latest.get(m.dataType) === m.version })) };
  }

  private async searchModels(query: Query, size: number, from: number): Promise<{ items: ModelRecord[]; total: number }> {
    const response = await this.client.search({
      index: this.index,
      ignore_unavailable: true,
      body: {
        query: boolQuery({ filter: [termClause('kind', 'model'), query] }),
        sort: [{ version: 'desc' }, { data_type: 'asc' }],
        size,
        from,
        track_total_hits: true,
      } as never,
    });
    const hits = response.body.hits;
    const total = totalHits(hits);
    return { total, items: hits.hits.map((hit) => toRecord(hit._source as unknown as StoredModel)) };
  }

  /** Highest version claimed (any status), or only ready ones; 0 when there is none. */
  private async highestVersion(dataType: DataType, readyOnly: boolean): Promise<number> {
    const filter: Query[] = [termClause('kind', 'model'), termClause('data_type', dataType)];
    if (readyOnly) filter.push(termClause('status', 'ready'));
    const response = await this.client.search({
      index: this.index,
      ignore_unavailable: true,
      body: { size: 0, query: boolQuery({ filter }), aggs: { top: { max: { field: 'version' } } } } as never,
    });
    const value = (response.body.aggregations as { top?: { value: number | null } } | undefined)?.top?.value;
    return typeof value === 'number' ? value : 0;
  }
}

/**
 * Completed scoring runs. A window's current run is its most recently completed one; the API shows only the
 * current runs' documents, so a run that died half-way never shows and a re-score replaces its window at once.
 */
export class ScoringRuns {
  readonly index: string;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.index = indexNames.models(indexPrefix);
  }

  async complete(run: RunRecord, windowKey: string): Promise<void> {
    const body: StoredRun = {
      kind: 'run',
      data_type: run.dataType,
      run: {
        id: run.id,
        window_key: windowKey,
        window: run.window,
        model_version: run.modelVersion,
        trigger: run.trigger,
        started_at: run.startedAt,
        completed_at: new Date().toISOString(),
        events: run.events,
        scored: run.scored,
        suspicious: run.suspicious,
        unscorable: run.unscorable,
        unscorable_reasons: run.unscorableReasons,
      },
    };
    await this.client.index({ index: this.index, id: `run-${run.id}`, body, refresh: true });
  }

  /** The current run of every window of the data type that overlaps the range. */
  async currentRunIds(dataType: DataType, range: Window): Promise<string[]> {
    return (await this.currentRuns(dataType, range)).map((run) => run.id);
  }

  /** The same runs with their windows and completion times, which tell overlapping windows (an hour, its day) apart. */
  async currentRuns(dataType: DataType, range: Window): Promise<CurrentRun[]> {
    const response = await this.client.search({
      index: this.index,
      ignore_unavailable: true,
      body: {
        size: 10_000,
        _source: ['run.id', 'run.window', 'run.completed_at'],
        query: boolQuery({
          filter: [
            termClause('kind', 'run'),
            termClause('data_type', dataType),
            { range: { 'run.window.from': { lt: range.to } } },
            { range: { 'run.window.to': { gt: range.from } } },
          ],
        }),
        collapse: { field: 'run.window_key' },
        sort: [{ 'run.completed_at': 'desc' }],
      } as never,
    });
    return response.body.hits.hits.map((hit) => {
      const { run } = hit._source as unknown as StoredRun;
      return { id: run.id, window: { from: run.window.from, to: run.window.to }, completedAt: run.completed_at };
    });
  }
}
