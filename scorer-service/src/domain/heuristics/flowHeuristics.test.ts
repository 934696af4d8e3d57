import { BEACONING_DEFAULTS, judgeBeaconing, type BeaconingEvidence } from './beaconing';
import { BRUTE_FORCE_DEFAULTS, judgeBruteForce, type BruteForceEvidence } from './bruteForce';
import { FlowHeuristics } from './index';
import { judgePortScan, PORT_SCAN_DEFAULTS, PortScanDetector, type PortScanEvidence } from './portScan';
import type { FlowHeuristicInput } from './types';

const flow = (over: Partial<FlowHeuristicInput>): FlowHeuristicInput => ({
  srcIp: '10.0.0.5',
  dstIp: '192.0.2.1',
  sport: 50000,
  dport: 443,
  proto: 'TCP',
  timestamp: Date.UTC(2024, 0, 1),
  bytes: 5000,
  packets: 12,
  ...over,
});

describe('judgePortScan(source, evidence, options)', () => {
  it.each<[string, Partial<PortScanEvidence>, string | undefined]>([
    ['many ports on one host, all probes', { flows: 200, probes: 200, distinctPorts: 200, distinctHosts: 1 }, 'vertical'],
    ['one port on many hosts, all probes', { flows: 120, probes: 110, distinctPorts: 1, distinctHosts: 120 }, 'horizontal'],
    ['many ports on many hosts', { flows: 3000, probes: 2900, distinctPorts: 60, distinctHosts: 50 }, 'block'],
    ['many hosts but real transfers (a proxy, a crawler)', { flows: 500, probes: 100, distinctPorts: 2, distinctHosts: 400 }, undefined],
    ['49 ports, one short of the threshold', { flows: 49, probes: 49, distinctPorts: 49, distinctHosts: 1 }, undefined],
    ['50 ports, at the threshold', { flows: 50, probes: 40, distinctPorts: 50, distinctHosts: 1 }, 'vertical'],
  ])('%s -> %s', (_case, figures, kind) => {
    const evidence: PortScanEvidence = { flows: 0, probes: 0, distinctPorts: 0, distinctHosts: 0, capped: false, ...figures };
    const hit = judgePortScan('10.0.0.5', evidence, PORT_SCAN_DEFAULTS);
    if (kind === undefined) expect(hit).toBeUndefined();
    else expect(hit?.reason.startsWith(`${kind} scan`)).toBe(true);
  });
});

describe('PortScanDetector', () => {
  it('tags every flow of a source that probed 100 ports, with the evidence', () => {
    const detector = new PortScanDetector();
    for (let port = 1; port <= 100; port++) detector.add(flow({ dport: port, packets: 1, bytes: 44 }));
    detector.add(flow({ srcIp: '10.0.0.6', dport: 443 }));
    const hits = detector.hits();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ heuristic: 'port-scan', subject: '10.0.0.5', evidence: { flows: 100, probes: 100, distinctPorts: 100, distinctHosts: 1 } });
    expect(detector.tagsFor(flow({ dport: 7 }))).toHaveLength(1);
    expect(detector.tagsFor(flow({ srcIp: '10.0.0.6' }))).toHaveLength(0);
  });

  it('does not count a server answering many client ports from its service port', () => {
    const detector = new PortScanDetector();
    for (let i = 0; i < 500; i++) detector.add(flow({ srcIp: '192.0.2.1', dstIp: `10.0.${i >> 8}.${i & 255}`, sport: 443, dport: 40000 + i, packets: 2 }));
    expect(detector.hits()).toEqual([]);
  });

  it('stops remembering ports at maxTracked and says the counts are a floor', () => {
    const detector = new PortScanDetector({ maxTracked: 60 });
    for (let port = 1; port <= 1000; port++) detector.add(flow({ dport: port, packets: 1 }));
    expect(detector.hits()[0].evidence).toMatchObject({ distinctPorts: 60, capped: true, flows: 1000 });
  });

  it('rejects an option that is not a positive number', () => {
    expect(() => new PortScanDetector({ minDistinctPorts: 0 })).toThrow('port scan: option minDistinctPorts must be a finite number > 0');
  });
});

describe('judgeBruteForce(subject, evidence, options)', () => {
  it.each<[string, Partial<BruteForceEvidence>, boolean]>([
    ['200 short SSH connections', { connections: 200, attempts: 200 }, true],
    ['20 attempts, the threshold', { connections: 22, attempts: 20 }, true],
    ['19 attempts', { connections: 19, attempts: 19 }, false],
    ['long working sessions', { connections: 100, attempts: 30 }, false],
  ])('%s -> %s', (_case, figures, flagged) => {
    const evidence: BruteForceEvidence = { connections: 0, attempts: 0, meanPackets: 20, meanBytes: 3000, ...figures };
    expect(judgeBruteForce('a -> b:22/TCP', evidence, BRUTE_FORCE_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('judgeBeaconing(subject, evidence, options)', () => {
  it.each<[string, Partial<BeaconingEvidence>, boolean]>([
    ['every 60 s with 5% jitter', { events: 100, meanIntervalSeconds: 60, cv: 0.05 }, true],
    ['cv at the limit', { events: 100, meanIntervalSeconds: 60, cv: 0.2 }, true],
    ['irregular browsing', { events: 100, meanIntervalSeconds: 60, cv: 1.3 }, false],
    ['too few events', { events: 9, meanIntervalSeconds: 60, cv: 0 }, false],
    ['a burst of back-to-back connections', { events: 500, meanIntervalSeconds: 0.01, cv: 0.1 }, false],
    ['a login loop every 2 s', { events: 40, meanIntervalSeconds: 2, cv: 0 }, false],
  ])('%s -> %s', (_case, figures, flagged) => {
    const evidence: BeaconingEvidence = { events: 0, meanIntervalSeconds: 0, cv: 0, spanSeconds: 0, outOfOrder: 0, ...figures };
    expect(judgeBeaconing('a -> b:443/TCP', evidence, BEACONING_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('FlowHeuristics', () => {
  it('finds a beacon, a brute force and a scan in one window and tags only their flows', () => {
    const heuristics = new FlowHeuristics();
    const t0 = Date.UTC(2024, 0, 1);
    const window: FlowHeuristicInput[] = [];
    // Beacon: every 300 s +- 3 s to one C2 address.
    for (let i = 0; i < 30; i++) window.push(flow({ dstIp: '203.0.113.9', timestamp: t0 + i * 300_000 + ((i * 7919) % 6000) - 3000, packets: 8 }));
    // Brute force: 40 short SSH connections.
    for (let i = 0; i < 40; i++) window.push(flow({ srcIp: '198.51.100.7', dstIp: '10.0.0.22', dport: 22, sport: 40000 + i, packets: 22, timestamp: t0 + i * 2000 }));
    // Scan: 80 ports probed.
    for (let i = 0; i < 80; i++) window.push(flow({ srcIp: '198.51.100.8', dstIp: '10.0.0.30', dport: 1 + i, packets: 1, timestamp: t0 + i }));
    // Ordinary browsing: irregular, long flows.
    for (let i = 0; i < 50; i++) window.push(flow({ srcIp: '10.0.0.40', dstIp: `192.0.2.${i % 7}`, timestamp: t0 + ((i * i * 7919) % 3_600_000), packets: 80 }));
    window.sort((a, b) => a.timestamp - b.timestamp);
    for (const f of window) heuristics.add(f);

    const names = heuristics.hits().map((h) => `${h.heuristic} ${h.subject}`);
    expect(names.sort()).toEqual([
      'beaconing 10.0.0.5 -> 203.0.113.9:443/TCP',
      'brute-force 198.51.100.7 -> 10.0.0.22:22/TCP',
      'port-scan 198.51.100.8',
    ]);
    const beacon = heuristics.beaconing.hits()[0];
    expect(beacon.evidence.meanIntervalSeconds).toBeGreaterThan(290);
    expect(beacon.evidence.cv).toBeLessThan(0.05);
    expect(heuristics.tagsFor(flow({ srcIp: '10.0.0.40', dstIp: '192.0.2.1', packets: 80 }))).toEqual([]);
    expect(heuristics.tagsFor(flow({ srcIp: '198.51.100.7', dstIp: '10.0.0.22', dport: 22 })).map((h) => h.heuristic)).toEqual(['brute-force']);
  });

  it('judges a beacon the same whatever order its events are read in (a point-in-time read is in storage order)', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const times = Array.from({ length: 20 }, (_v, i) => t0 + i * 60_000);
    const shuffled = times.map((t, i) => times[(i * 7) % 20]);
    const inOrder = new FlowHeuristics();
    const outOfOrder = new FlowHeuristics();
    for (const t of times) inOrder.add(flow({ timestamp: t }));
    for (const t of shuffled) outOfOrder.add(flow({ timestamp: t }));
    const { outOfOrder: inversions, ...figures } = outOfOrder.beaconing.hits()[0].evidence;
    expect(figures).toEqual({ events: 20, meanIntervalSeconds: 60, cv: 0, spanSeconds: 1140 });
    expect(inversions).toBeGreaterThan(0);
    expect(inOrder.beaconing.hits()[0].evidence).toEqual({ ...figures, outOfOrder: 0 });
  });

  it('keeps running figures of the in-order intervals past maxTracked timestamps, leaving late events out', () => {
    const heuristics = new FlowHeuristics({ beaconing: { maxTracked: 8 } });
    const t0 = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 20; i++) heuristics.add(flow({ timestamp: t0 + i * 60_000 }));
    heuristics.add(flow({ timestamp: t0 + 30_000 }));
    expect(heuristics.beaconing.hits()[0].evidence).toMatchObject({ events: 21, outOfOrder: 1, cv: 0 });
  });
});
