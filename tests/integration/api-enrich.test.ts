import type { JobView, Threat, ThreatsResponse } from '../../scorer-service/src/api/contract';
import { composeWorker, type WorkerProcess } from '../../scorer-service/src/composition';
import { loadConfig } from '../../scorer-service/src/config';
import { ApiHarness, windowQuery } from './api-http.fixture';
import { DAY, NFDUMP_CSV } from './scoring.fixture';

/**
 * POST /api/v1/jobs/enrich on the real OpenSearch and Redis: a day scored while ASN enrichment was off is
 * re-enriched by a worker that has the ASN table, and the AS of every external host appears in the stored
 * documents and the threat list, while every score and rank stays what the scoring run gave it.
 */

// The API (and the scoring it runs) without ASN; the worker below with the packaged table.
const api = new ApiHarness('api-enrich', { SPOTHREAT_ASN_CSV: 'none' });
const workerEnv = { ...api.scope.env, SPOTHREAT_ASN_CSV: '' };
let worker: WorkerProcess | undefined;
let suspicious = 0;

beforeAll(async () => {
  await api.ingest('flow', 'nfdump-csv', [NFDUMP_CSV], 'ctu');
  await api.start();
  suspicious = (await api.score('flow', DAY)).suspicious;
  expect(suspicious).toBeGreaterThan(0);
});

afterAll(async () => {
  await worker?.close(true);
  await api.stop();
});

async function listDay(): Promise<Threat[]> {
  return (await api.get<ThreatsResponse>(`/api/v1/threats?${windowQuery('flow', DAY)}&pageSize=500`)).items;
}

async function waitForJob(id: string): Promise<JobView> {
  for (let i = 0; i < 1200; i += 1) {
    const job = await api.get<JobView>(`/api/v1/jobs/enrich/${id}`);
    if (job.state === 'completed' || job.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`enrich job ${id} never finished`);
}

describe('POST /api/v1/jobs/enrich', () => {
  it('refuses bad input with 400 and a range nothing was scored in with 409', async () => {
    const bad = await api.call<{ details: { path: string }[] }>('POST', '/api/v1/jobs/enrich', { dataType: 'netflow', from: 'yesterday', to: DAY.to });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual(['dataType', 'from']);
    const backwards = await api.call('POST', '/api/v1/jobs/enrich', { dataType: 'flow', from: DAY.to, to: DAY.from });
    expect(backwards.status).toBe(400);
    const unscored = await api.call<{ message: string }>('POST', '/api/v1/jobs/enrich', { dataType: 'dns', ...DAY });
    expect(unscored.status).toBe(409);
    expect(unscored.body.message).toMatch(/score it first/);
  });

  it('queues a job that a worker runs, after which external hosts carry their AS and scores are unchanged', async () => {
    const before = await listDay();
    expect(before).toHaveLength(suspicious);
    expect(before.some((t) => t.srcGeo?.asn !== undefined || t.dstGeo?.asn !== undefined)).toBe(false);

    const created = await api.call<{ queue: string; id: string }>('POST', '/api/v1/jobs/enrich', { dataType: 'flow', from: DAY.from, to: DAY.to });
    expect(created.status).toBe(202);
    expect(created.body.queue).toBe('enrich');
    worker = await composeWorker(loadConfig(workerEnv), { queues: ['enrich'], schedules: false, env: workerEnv });
    await worker.workers.waitUntilReady();
    const job = await waitForJob(created.body.id);
    expect(job.failedReason).toBeUndefined();
    expect(job.state).toBe('completed');
    expect(job.result).toEqual({ reenriched: suspicious });

    const after = await listDay();
    expect(after.map((t) => [t.id, t.rank, t.score, t.fused?.score])).toEqual(before.map((t) => [t.id, t.rank, t.score, t.fused?.score]));
    const sides = after.flatMap((t) => [
      { ip: t.srcIp, internal: t.srcInternal, geo: t.srcGeo },
      { ip: t.dstIp, internal: t.dstInternal, geo: t.dstGeo },
    ]);
    // The capture is CTU Prague's: its campus addresses belong to CESNET's AS 2852.
    const campus = sides.filter((side) => side.ip?.startsWith('147.32.'));
    expect(after.some((t) => t.srcIp.startsWith('147.32.'))).toBe(true);
    for (const side of campus) expect(side.geo).toMatchObject({ asn: 2852, asOrg: expect.stringMatching(/CESNET/i) });
    for (const side of sides.filter((s) => s.internal)) expect(side.geo?.asn).toBeUndefined();

    // Stored in ECS places, as the suspicious template maps them.
    const withCampus = after.find((t) => t.srcIp.startsWith('147.32.'))!;
    const stored = await api.services.suspicious.get('flow', withCampus.id);
    expect(stored?.doc.source.as).toMatchObject({ number: 2852, organization: { name: expect.stringMatching(/CESNET/i) } });
  });
});
