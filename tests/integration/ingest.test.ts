import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createOpenSearchClient, indexNames } from '../../scorer-service/src/adapters/opensearch/client';
import { removeTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import { loadConfig } from '../../scorer-service/src/config';
import type { FlowEvent } from '../../scorer-service/src/domain/events';
import type { DecodeResult, Decoder } from '../../scorer-service/src/ingest/decoder';
import { prepareIndices, runIngest, type IngestSummary } from '../../scorer-service/src/ingest/pipeline';

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'scorer-service', 'bin', 'spothreat.cjs');
const nfdumpCsv = path.join(repo, '..', 'shared', 'data', 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz');
const FLOWS_IN_FILE = 4593;

// The project's testTimeout is not applied to a single project run by jest 30; these tests start CLI processes.
jest.setTimeout(300_000);

const config = loadConfig();
const client = createOpenSearchClient(config);
const prefix = `t-ingest-${randomBytes(4).toString('hex')}-`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-ingest-'));

function ingestCli(...args: string[]): { code: number | null; summary?: IngestSummary; stderr: string } {
  const run = spawnSync(process.execPath, [cli, 'ingest', ...args, '--json'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, SPOTHREAT_INDEX_PREFIX: prefix },
  });
  return { code: run.status, summary: run.stdout.trim() ? (JSON.parse(run.stdout) as IngestSummary) : undefined, stderr: run.stderr };
}

async function count(index: string, query?: object): Promise<number> {
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.count({ index, body: query ? { query } : undefined, allow_no_indices: true, ignore_unavailable: true });
  return (res.body as { count: number }).count;
}

function expectBalanced(summary: IngestSummary): void {
  expect(summary.read).toBe(summary.indexed + summary.duplicates + summary.rejected);
  for (const f of summary.files) expect(f.read).toBe(f.indexed + f.duplicates + f.rejected);
}

afterAll(async () => {
  await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
  await removeTemplates(client, prefix);
  await client.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('spothreat ingest against the real OpenSearch', () => {
  const rawFlows = indexNames.rawPattern(prefix, 'flow');

  it('indexes every flow of a real nfdump csv export once', () => {
    const first = ingestCli('flow', '--format', 'nfdump-csv', nfdumpCsv);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ read: FLOWS_IN_FILE, indexed: FLOWS_IN_FILE, duplicates: 0, rejected: 0, dataType: 'flow', format: 'nfdump-csv' });
    expectBalanced(first.summary!);
  });

  it('adds nothing the second time: every record is a duplicate and the count stays', async () => {
    const before = await count(rawFlows);
    const second = ingestCli('flow', '--format', 'nfdump-csv', nfdumpCsv);
    expect(second.code).toBe(0);
    expect(second.summary).toMatchObject({ read: FLOWS_IN_FILE, indexed: 0, duplicates: FLOWS_IN_FILE, rejected: 0 });
    expect(await count(rawFlows)).toBe(before);
    expect(before).toBe(FLOWS_IN_FILE);
  });

  it('recognises the same records in a renamed copy of the file as duplicates', async () => {
    const renamed = path.join(work, 'renamed-export.csv.gz');
    fs.copyFileSync(nfdumpCsv, renamed);
    const summary = await runIngest(client, { dataType: 'flow', format: 'nfdump-csv', files: [renamed], indexPrefix: prefix });
    expect(summary).toMatchObject({ read: FLOWS_IN_FILE, indexed: 0, duplicates: FLOWS_IN_FILE });
    expect(await count(rawFlows)).toBe(FLOWS_IN_FILE);
  });

  it('recognises the flows of the binary nfcapd file as the same events as its csv export', async () => {
    const nfcapd = path.join(path.dirname(nfdumpCsv), 'test1-malicious.nfcapd');
    const summary = await runIngest(client, { dataType: 'flow', format: 'nfcapd', files: [nfcapd], indexPrefix: prefix });
    expect(summary).toMatchObject({ read: FLOWS_IN_FILE, indexed: 0, duplicates: FLOWS_IN_FILE, rejected: 0 });
  });

  it('writes per-minute statistics per file whose event counts add up to the file', async () => {
    const stats = indexNames.ingestStats(prefix);
    const res = await client.search({
      index: stats,
      body: { size: 100, query: { bool: { filter: [{ term: { 'ingest.kind': 'minute' } }, { term: { 'ingest.file': nfdumpCsv } }] } } },
    });
    const minutes = (res.body as { hits: { hits: { _source: { '@timestamp': string; ingest: { read: number } } }[] } }).hits.hits;
    expect(minutes.length).toBeGreaterThan(0);
    expect(minutes.reduce((sum, h) => sum + h._source.ingest.read, 0)).toBe(FLOWS_IN_FILE);
    expect(minutes.every((h) => h._source['@timestamp'].startsWith('2018-01-12T15:3'))).toBe(true);
    expect(await count(stats, { term: { 'ingest.kind': 'run' } })).toBeGreaterThanOrEqual(3);
  });

  it('sends malformed lines to the dead-letter index with file, line, reason and raw text, and still balances', async () => {
    const lines = zlib.gunzipSync(fs.readFileSync(nfdumpCsv)).toString('utf8').split('\n');
    const mixed = path.join(work, 'mixed.csv');
    fs.writeFileSync(mixed, [lines[0], lines[1], 'this is not a flow', lines[2], '2018-01-12 15:37:30,garbage,,,', ''].join('\n'));
    const run = ingestCli('flow', '--format', 'nfdump-csv', mixed);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ read: 4, indexed: 0, duplicates: 2, rejected: 2 });
    expectBalanced(run.summary!);
    const res = await client.search({
      index: indexNames.deadLetters(prefix),
      body: { size: 10, sort: [{ 'rejected.record': 'asc' }], query: { term: { 'rejected.file': mixed } } },
    });
    const letters = (res.body as { hits: { hits: { _source: { rejected: Record<string, unknown>; ingest: { run_id: string } } }[] } }).hits.hits.map(
      (h) => h._source,
    );
    expect(letters.map((l) => l.rejected.record)).toEqual([3, 5]);
    expect(letters[0].rejected).toMatchObject({ stage: 'decode', raw: 'this is not a flow', format: 'nfdump-csv', data_type: 'flow' });
    expect(String(letters[0].rejected.reason)).toMatch(/line 3/);
    expect(letters[0].ingest.run_id).toBe(run.summary!.runId);
  });

  it('turns documents OpenSearch refuses into dead letters of the index stage', async () => {
    const good = (record: number): FlowEvent => ({
      '@timestamp': '2021-03-04T05:06:07.000Z',
      event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow' },
      source: { ip: '10.0.0.1', port: record },
      destination: { ip: '10.0.0.2', port: 80 },
      network: { transport: 'tcp' },
      spothreat: { format: 'test', file: 'memory', record },
    });
    const decoder: Decoder = {
      format: 'test',
      dataTypes: ['flow'],
      async *decode(_path, _type, ctx): AsyncIterable<DecodeResult> {
        yield { ok: true, record: 1, doc: { ...good(1), spothreat: { ...good(1).spothreat, file: ctx.file } } };
        const badIp = good(2);
        badIp.source.ip = 'not-an-ip';
        yield { ok: true, record: 2, doc: { ...badIp, spothreat: { ...badIp.spothreat, file: ctx.file } } };
        const unmapped = { ...good(3), surprise: 'field' } as FlowEvent;
        yield { ok: true, record: 3, doc: { ...unmapped, spothreat: { ...unmapped.spothreat, file: ctx.file } } };
      },
    };
    await prepareIndices(client, prefix);
    const summary = await runIngest(client, { dataType: 'flow', format: 'test', decoder, files: ['memory'], indexPrefix: prefix });
    expect(summary).toMatchObject({ read: 3, indexed: 1, duplicates: 0, rejected: 2 });
    const res = await client.search({
      index: indexNames.deadLetters(prefix),
      body: { size: 10, sort: [{ 'rejected.record': 'asc' }], query: { term: { 'rejected.file': 'memory' } } },
    });
    const letters = (res.body as { hits: { hits: { _source: { rejected: { record: number; stage: string; reason: string; raw: string } } }[] } }).hits.hits.map(
      (h) => h._source.rejected,
    );
    expect(letters.map((l) => [l.record, l.stage])).toEqual([
      [2, 'index'],
      [3, 'index'],
    ]);
    expect(letters[0].reason).toMatch(/not-an-ip/);
    expect(letters[1].reason).toMatch(/strict_dynamic_mapping_exception/);
    expect(JSON.parse(letters[1].raw)).toMatchObject({ surprise: 'field' });
  });

  it('fails with one clear line and a non-zero exit when a file does not exist', () => {
    const run = ingestCli('flow', '--format', 'nfdump-csv', path.join(work, 'missing.csv'));
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toMatch(/^spothreat: .*missing\.csv: no such file$/);
  });
});
