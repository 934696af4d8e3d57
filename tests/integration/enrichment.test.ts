import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { composeScoring } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { reenrichWindow } from '../../scorer-service/src/scoring/reenrich';
import { cleanUp, DAY, ingestCapture, testScope } from './scoring.fixture';

jest.setTimeout(300_000);

const scope = testScope('enrichment');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-enrichment-'));
const config = loadConfig(scope.env);
const client = createOpenSearchClient(config);

afterAll(async () => {
  await cleanUp(client, scope, config.redis.port);
  await client.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('enrichment of suspicious events on OpenSearch', () => {
  it('names internal hosts from the context file and re-enriches a window when the blocklist changes, without re-scoring', async () => {
    await ingestCapture(client, scope.prefix);
    const contextFile = path.join(work, 'context.csv');
    fs.writeFileSync(contextFile, 'ip,name\n147.32.80.0/22,CTU campus\n147.32.82.62,ssh gateway\n');
    const blocklist = path.join(work, 'blocklist.txt');
    fs.writeFileSync(blocklist, '# nothing listed yet\n');
    const env = { ...scope.env, SPOTHREAT_INTERNAL_RANGES: '147.32.0.0/16', SPOTHREAT_NETWORK_CONTEXT: contextFile, SPOTHREAT_BLOCKLIST: blocklist };
    const services = await composeScoring(loadConfig(env), { client });
    const summary = await services.scorer.score({ dataType: 'flow', window: DAY, model: 'train', trigger: 'cli' });
    let page = await services.suspicious.search('flow', { terms: { 'spothreat.run_id': [summary.runId] } }, [{ 'spothreat.rank': 'asc' }], 0, 100);
    const gateway = page.items.find((item) => item.doc.source.ip === '147.32.82.62' || item.doc.destination?.ip === '147.32.82.62');
    expect(gateway).toBeDefined();
    const side = gateway!.doc.source.ip === '147.32.82.62' ? gateway!.doc.source : gateway!.doc.destination!;
    expect(side).toMatchObject({ internal: true, context: 'ssh gateway' });
    expect(side.geo).toBeUndefined();
    const external = page.items.flatMap((item) => [item.doc.source, item.doc.destination]).find((host) => host && !host.internal);
    const listed = external?.ip ?? page.items[0].doc.source.ip;
    expect(page.items.every((item) => item.doc.spothreat.reputation.level === 0)).toBe(true);
    const scoredBefore = new Map(page.items.map((item) => [item.id, [item.doc.spothreat.score, item.doc.spothreat.rank]]));

    fs.writeFileSync(blocklist, `${listed},3,seen in an incident\n`);
    fs.utimesSync(blocklist, new Date(), new Date(Date.now() + 10_000));
    const refreshed = await composeScoring(loadConfig(env), { client });
    // Pages far smaller than the window's list, so every event must come through search_after, none twice.
    const progress: number[] = [];
    const result = await reenrichWindow(refreshed, 'flow', DAY, { pageSize: 7, onProgress: (percent) => progress.push(percent) });
    expect(result.reenriched).toBe(summary.suspicious);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThan(summary.suspicious / 7);
    expect(progress[progress.length - 1]).toBe(100);
    page = await services.suspicious.search('flow', { terms: { 'spothreat.run_id': [summary.runId] } }, [{ 'spothreat.rank': 'asc' }], 0, 100);
    const flagged = page.items.filter((item) => item.doc.spothreat.reputation.level === 3);
    expect(flagged.length).toBeGreaterThan(0);
    for (const item of flagged) {
      expect([item.doc.source.ip, item.doc.destination?.ip]).toContain(listed);
      expect(item.doc.spothreat.reputation.hits[0]).toMatchObject({ provider: 'blocklist', label: 'seen in an incident' });
    }
    // Re-enrichment touches enrichment only: every event keeps the score and rank its scoring run gave it.
    expect(new Map(page.items.map((item) => [item.id, [item.doc.spothreat.score, item.doc.spothreat.rank]]))).toEqual(scoredBefore);
  });
});
