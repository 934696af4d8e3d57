import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Threat } from '../../scorer-service/src/api/contract';
import { ADMIN_SERVICE_PORTS } from '../../scorer-service/src/domain/heuristics';
import { writeDemoDay, type WrittenDemoDay } from '../../scorer-service/src/demo/generator/files';
import { ApiHarness } from './api-http.fixture';
import { demoActor, demoDayWindow } from './demo.fixture';

/**
 * The demo day's port scan and lateral movement through ingest (nfdump CSV), the scorer service's fused pass and
 * the API: each is found by its heuristic tag, and the tag is on that attack's conversations only.
 */

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-demo-flow-'));
const api = new ApiHarness('demo-flow', { SPOTHREAT_MAXRESULTS: '20000' });
let demo: WrittenDemoDay;
let dayWindow: { from: string; to: string };

function actor(attack: string, role: string): string {
  return demoActor(demo, attack, role);
}

function flowThreats(extra = ''): Promise<Threat[]> {
  return api.exportedThreats('flow', dayWindow, extra);
}

beforeAll(async () => {
  demo = writeDemoDay(outDir, { events: 20_000, attacks: ['port-scan', 'lateral-movement'] });
  dayWindow = demoDayWindow(demo);
  await api.ingest('flow', 'nfdump-csv', demo.paths.flow, 'demo-router');
  await api.start();
  await api.score('flow', dayWindow);
});

afterAll(async () => {
  await api.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('flow attacks of the demo day by heuristic tag', () => {
  it("tags the scanner's probes and the targets' answers port-scan, and nothing else", async () => {
    const scanner = actor('port-scan', 'scanner');
    const tagged = await flowThreats('&tag=port-scan');
    expect(tagged.length).toBeGreaterThan(1000);
    expect(tagged.every((t) => t.srcIp === scanner || t.dstIp === scanner)).toBe(true);
    expect(new Set(tagged.filter((t) => t.srcIp === scanner).map((t) => t.dstPort)).size).toBeGreaterThan(900);
  });

  it("tags the intruder's admin sessions with its targets lateral-movement, not its use of shared servers", async () => {
    const intruder = actor('lateral-movement', 'source');
    const everything = await flowThreats();
    const tagged = await flowThreats('&tag=lateral-movement');
    expect(tagged.map((t) => t.id).sort()).toEqual(everything.filter((t) => t.heuristics.includes('lateral-movement')).map((t) => t.id).sort());
    const outbound = tagged.filter((t) => t.srcIp === intruder);
    const targets = new Set(outbound.map((t) => t.dstIp));
    expect(targets.size).toBeGreaterThanOrEqual(4);
    expect(outbound.every((t) => ADMIN_SERVICE_PORTS.includes(t.dstPort ?? -1))).toBe(true);
    // The answers come from the same hosts; nothing tagged involves another source.
    expect(tagged.every((t) => (t.srcIp === intruder && targets.has(t.dstIp ?? '')) || (t.dstIp === intruder && targets.has(t.srcIp)))).toBe(true);
    const hit = tagged[0].heuristicHits?.find((h) => h.heuristic === 'lateral-movement');
    expect(hit?.subject).toBe(intruder);
    expect(hit?.reason).toMatch(/internal hosts first reached on admin services/);
  });
});
