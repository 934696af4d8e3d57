import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { openPitRead } from '../../scorer-service/src/adapters/opensearch/pitReader';
import { applyTemplates, removeTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import { composeScoring, type ScoringServices } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import type { SuspiciousDocument } from '../../scorer-service/src/scoring/suspiciousDocument';
import { windowStateName } from '../../scorer-service/src/scoring/windowState';
import { cleanUp, DAY, FLOWS_IN_FILE, ingestCapture, plantPortScan, REPO, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const scope = testScope('scoring', { SPOTHREAT_READ_PAGE_SIZE: '500' });
const { prefix, env } = scope;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-scoring-'));
const config = loadConfig(env);
const client = createOpenSearchClient(config);
let services: ScoringServices;

async function suspiciousDocs(): Promise<{ id: string; doc: SuspiciousDocument }[]> {
  await client.indices.refresh({ index: `${prefix}suspicious-*`, allow_no_indices: true });
  const response = await client.search({
    index: `${prefix}suspicious-flow-*`,
    body: { size: 1000, sort: [{ 'spothreat.rank': 'asc' }] } as never,
  });
  return response.body.hits.hits.map((hit) => ({ id: hit._id as string, doc: hit._source as unknown as SuspiciousDocument }));
}

beforeAll(async () => {
  expect(await ingestCapture(client, prefix)).toBe(FLOWS_IN_FILE);
  services = await composeScoring(config, { client });
});

afterAll(async () => {
  await cleanUp(client, scope, config.redis.port);
  await client.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('point-in-time window reader', () => {
  it('reads every document of a multi-shard index exactly once, in shard slices', async () => {
    const index = `${prefix}pit-check`;
    await client.indices.create({ index, body: { settings: { number_of_shards: 3, number_of_replicas: 0 } } });
    const body = Array.from({ length: 700 }, (_v, i) => [{ index: { _index: index, _id: `d${i}` } }, { n: i }]).flat();
    await client.bulk({ body, refresh: true });
    const read = await openPitRead(client, { index, query: { match_all: {} }, pageSize: 37, parallelSlices: 2 });
    const seen = new Map<string, number>();
    for await (const page of read.pages) for (const hit of page) seen.set(hit.id, (seen.get(hit.id) ?? 0) + 1);
    expect(read.total).toBe(700);
    expect(seen.size).toBe(700);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops cleanly when the consumer leaves early, and reads nothing from a window without events', async () => {
    const read = await openPitRead(client, { index: `${prefix}raw-flow-*`, query: { match_all: {} }, pageSize: 100, parallelSlices: 2 });
    let pages = 0;
    for await (const _page of read.pages) {
      pages += 1;
      if (pages === 2) break;
    }
    expect(pages).toBe(2);
    const empty = await openPitRead(client, { index: `${prefix}raw-dns-*`, query: { match_all: {} }, pageSize: 100 });
    expect(empty.total).toBe(0);
    for await (const _page of empty.pages) throw new Error('no page expected');
  });
});

describe('scoring a window over OpenSearch', () => {
  let firstIds: string[];
  let firstScores: number[];

  it('scores every event of the day and writes the top MAXRESULTS, ranked and enriched', async () => {
    const summary = await services.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
    expect(summary).toMatchObject({ events: FLOWS_IN_FILE, scored: FLOWS_IN_FILE, unscorable: 0, suspicious: 50, trained: true });
    const docs = await suspiciousDocs();
    expect(docs).toHaveLength(50);
    const ranks = Array.from({ length: 50 }, (_v, i) => i + 1);
    expect(docs.map((d) => d.doc.spothreat.rank)).toEqual(ranks);
    // The default ranking is the fused one: fused scores descend down the list, and Spot's LDA score rides along.
    const fused = docs.map((d) => d.doc.spothreat.fused!);
    expect(fused.map((f) => f.rank)).toEqual(ranks);
    expect(fused.map((f) => f.score)).toEqual([...fused.map((f) => f.score)].sort((a, b) => b - a));
    expect(fused[0].by).toBe('fisher(concentration,autoencoder,heuristics)');
    expect(summary).toMatchObject({ ranking: fused[0].by, autoencoder: { epochs: 5 } });
    // The window's autoencoder is registered beside the LDA it was trained with.
    expect((await services.models.latest('flow'))?.params).toMatchObject({ ranking: 'fused', autoencoder: { epochs: 5, threshold: expect.any(Number) } });
    // Its references count units (heuristic finding, else conversation) and judge the autoencoder against the window sample.
    expect((await services.models.latest('flow'))?.params.fusion).toMatchObject({ countBy: 'conversation', autoencoderReference: 'window' });
    // The registered model's training perplexity: of the model as registered (its chains averaged), below a uniform choice.
    const registered = (await services.models.latest('flow'))!;
    const fit = registered.evaluation!;
    expect(fit.perplexity).toBeCloseTo(Math.exp(-fit.logLikelihood / fit.trainingTokens), 6);
    expect(fit.perplexity).toBeGreaterThan(1);
    expect(fit.perplexity).toBeLessThan(registered.vocabulary);
    const scores = docs.map((d) => d.doc.spothreat.score);
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(0);
    const withError = docs.filter((d) => d.doc.spothreat.autoencoder !== undefined);
    expect(withError.length).toBeGreaterThan(0);
    for (const { doc } of withError) expect(doc.spothreat.autoencoder!.top_features.length).toBeGreaterThan(0);
    const top = docs[0].doc;
    expect(top.spothreat.explanation).toMatch(/^Fused evidence/);
    expect(top.spothreat.model).toEqual({ name: 'lda', version: summary.modelVersion });
    expect(top.spothreat.words).toHaveLength(2);
    expect(top.spothreat.explanation).toMatch(/P\(|never|not in the training/);
    expect(top.spothreat.window.key).toBe(`${DAY.from}/${DAY.to}`);
    // The capture is from the CTU campus in Prague: external hosts carry their location.
    expect(docs.some((d) => d.doc.source.geo?.country_iso_code === 'CZ' || d.doc.destination?.geo?.country_iso_code === 'CZ')).toBe(true);
    firstIds = docs.map((d) => d.id);
    firstScores = scores;
  });

  it('re-scoring the window with the registered model overwrites the same documents and never duplicates', async () => {
    const summary = await services.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'cli' });
    expect(summary.trained).toBe(false);
    const docs = await suspiciousDocs();
    expect(docs.map((d) => d.id)).toEqual(firstIds);
    expect(docs.map((d) => d.doc.spothreat.score)).toEqual(firstScores);
    expect(new Set(docs.map((d) => d.doc.spothreat.run_id))).toEqual(new Set([summary.runId]));
    const current = await services.runs.currentRunIds('flow', DAY);
    expect(current).toEqual([summary.runId]);
    expect(summary.windowState).toMatch(/^stored with model v/);
  });

  it('observes the window again when its stored state is from an older build, ranking it the same', async () => {
    const record = (await services.models.latest('flow'))!;
    const older = gzipSync(Buffer.from(JSON.stringify({ format: 'spothreat-window-state', version: 1 })));
    await services.models.saveArtifact(record, windowStateName(DAY), older);
    const summary = await services.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'cli' });
    expect(summary.windowState).toMatch(/^observed \(pass 1\): model v\d+ holds this window's state from an older build/);
    const docs = await suspiciousDocs();
    expect(docs.map((d) => d.id)).toEqual(firstIds);
    expect(docs.map((d) => d.doc.spothreat.score)).toEqual(firstScores);
  });

  it("keeps Spot's ranking on request: score <= TOL, ascending, no fused figures", async () => {
    const spot = await composeScoring(loadConfig({ ...env, SPOTHREAT_RANKING: 'lda' }), { client });
    const summary = await spot.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'cli' });
    expect(summary.ranking).toBe('lda');
    const docs = await suspiciousDocs();
    expect(docs).toHaveLength(50);
    const scores = docs.map((d) => d.doc.spothreat.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(docs.every((d) => d.doc.spothreat.fused === undefined)).toBe(true);
    // Back to the default ranking for the tests below.
    await services.scorer.score({ dataType: 'flow', window: DAY, model: 'latest', trigger: 'cli' });
  });

  it('trains a new registry version each time and serves the newest', async () => {
    const before = await services.models.latest('flow');
    const trained = await services.scorer.train({ dataType: 'flow', window: DAY, trigger: 'cli' });
    expect(trained.model.version).toBe((before?.version ?? 0) + 1);
    const listing = await services.models.list('flow', 1, 10);
    expect(listing.items[0]).toMatchObject({ version: trained.model.version, active: true, events: FLOWS_IN_FILE });
    expect(listing.items.filter((m) => m.active)).toHaveLength(1);
    const loaded = await services.models.load(trained.model);
    expect(Array.from(loaded.docTopics)).toEqual(Array.from(trained.lda.docTopics));
  });

  it('reads a user index through a field mapping and ranks it the same way', async () => {
    const userIndex = `${prefix}userflows`;
    await client.indices.create({ index: userIndex });
    const ours = await openPitRead(client, { index: `${prefix}raw-flow-*`, query: { match_all: {} }, pageSize: 1000 });
    for await (const page of ours.pages) {
      const body = page.flatMap((hit) => {
        const s = hit.source as { '@timestamp': string; source: { ip: string; port?: number; bytes?: number; packets?: number }; destination: { ip: string; port?: number }; network: { transport?: string; bytes?: number; packets?: number } };
        return [
          { index: { _index: userIndex, _id: hit.id } },
          { ts: s['@timestamp'], src_addr: s.source.ip, src_port: s.source.port, dst_addr: s.destination.ip, dst_port: s.destination.port, proto: s.network.transport, total_bytes: s.network.bytes, total_packets: s.network.packets },
        ];
      });
      await client.bulk({ body, refresh: true });
    }
    const mappingFile = path.join(work, 'mapping.json');
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        flow: {
          index: userIndex,
          fields: {
            '@timestamp': 'ts',
            'source.ip': 'src_addr',
            'source.port': 'src_port',
            'destination.ip': 'dst_addr',
            'destination.port': 'dst_port',
            'network.transport': 'proto',
            'network.bytes': 'total_bytes',
            'network.packets': 'total_packets',
          },
        },
      }),
    );
    const userServices = await composeScoring(loadConfig({ ...env, SPOTHREAT_FIELD_MAPPING: mappingFile, SPOTHREAT_INDEX_PREFIX: `${prefix}u-` }), { client });
    await applyTemplates(client, `${prefix}u-`);
    const summary = await userServices.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
    expect(summary).toMatchObject({ events: FLOWS_IN_FILE, scored: FLOWS_IN_FILE, suspicious: 50 });
    await removeTemplates(client, `${prefix}u-`);
  });

  it('fails a window with no usable event instead of writing an empty ranking', async () => {
    await expect(
      services.scorer.score({ dataType: 'flow', window: { from: '2019-01-01T00:00:00.000Z', to: '2019-01-02T00:00:00.000Z' }, model: 'train', trigger: 'cli' }),
    ).rejects.toThrow(/no flow event/);
  });
});

describe('heuristic tags on suspicious events', () => {
  it('tags a vertical port scan planted in the day and explains it', async () => {
    // 120 single-packet probes from one host to 120 ports of another: the port-scan heuristic's pattern.
    await plantPortScan(client, prefix, 120);
    await services.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
    const docs = await suspiciousDocs();
    const tagged = docs.filter((d) => d.doc.spothreat.heuristics.includes('port-scan'));
    expect(tagged.length).toBeGreaterThan(0);
    for (const { doc } of tagged) {
      expect(doc.source.ip).toBe('198.51.100.66');
      expect(doc.spothreat.explanation).toMatch(/scan/i);
    }
  });
});

describe('spothreat score and train on the command line', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO, 'scorer-service', 'bin', 'spothreat.cjs'), ...args], { cwd: REPO, env, encoding: 'utf8' });

  it('trains and scores a day, printing a JSON summary', () => {
    const trained = cli('train', 'flow', '--day', '2018-01-12', '--json');
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ events: FLOWS_IN_FILE + 120, model: { dataType: 'flow', algorithm: 'lda' } });
    const scored = cli('score', 'flow', '--day', '2018-01-12', '--model', 'latest', '--json');
    expect(scored.status).toBe(0);
    expect(JSON.parse(scored.stdout)).toMatchObject({ trained: false, suspicious: 50, window: DAY });
  });

  it('applies the index templates before it writes: a suspicious index made under an older template takes the new fields', async () => {
    // The day's index as an older template left it (strict, without the fields written since: ASN, fused ranking),
    // and no templates installed at all.
    const index = `${prefix}suspicious-flow-2018.01.12`;
    await client.indices.delete({ index }, { ignore: [404] });
    await removeTemplates(client, prefix);
    await client.indices.create({ index, body: { mappings: { dynamic: 'strict', properties: { '@timestamp': { type: 'date' } } } } as never });
    const scored = cli('score', 'flow', '--day', '2018-01-12', '--json');
    expect(scored.stderr).toBe('');
    expect(scored.status).toBe(0);
    expect(JSON.parse(scored.stdout)).toMatchObject({ suspicious: 50 });
    expect((await client.indices.existsIndexTemplate({ name: `${prefix}suspicious` })).body).toBe(true);
    const mapping = (await client.indices.getMapping({ index })).body[index].mappings as { properties: Record<string, unknown> };
    expect(Object.keys(mapping.properties)).toEqual(expect.arrayContaining(['spothreat', 'source', 'destination']));
  });

  it('fails with a one-line reason on a bad data type or window', () => {
    const badType = cli('score', 'smtp', '--day', '2018-01-12');
    expect(badType.status).not.toBe(0);
    expect(badType.stderr.trim().split('\n')).toHaveLength(1);
    expect(badType.stderr).toMatch(/data type must be one of flow, dns, proxy/);
    const badWindow = cli('score', 'flow', '--day', '2018-01-12', '--hour', '2018-01-12T01');
    expect(badWindow.status).not.toBe(0);
    expect(badWindow.stderr).toMatch(/exactly one of --day, --hour/);
  });
});
