import { BEACONING_DEFAULTS, judgeBeaconing, type BeaconingEvidence } from './beaconing';
import { BRUTE_FORCE_DEFAULTS, BruteForceDetector, judgeBruteForce, type BruteForceEvidence } from './bruteForce';
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
    ["nmap's top 1,000 ports on one host", { probedPairs: 1000, dataPairs: 20, distinctPorts: 1000, distinctHosts: 1 }, 'vertical'],
    ['one port on 254 hosts', { probedPairs: 254, dataPairs: 30, distinctPorts: 1, distinctHosts: 254 }, 'horizontal'],
    ['25 ports on 8 hosts from a busy client', { probedPairs: 200, dataPairs: 120, distinctPorts: 25, distinctHosts: 8 }, 'block'],
    ['29 pairs, one short of the threshold', { probedPairs: 29, dataPairs: 0, distinctPorts: 29, distinctHosts: 1 }, undefined],
    ['30 pairs, at the threshold', { probedPairs: 30, dataPairs: 30, distinctPorts: 30, distinctHosts: 1 }, 'vertical'],
    ['a client whose failures are a minority of the services it reaches', { probedPairs: 150, dataPairs: 400, distinctPorts: 3, distinctHosts: 150 }, undefined],
  ])('%s -> %s', (_case, figures, kind) => {
    const evidence: PortScanEvidence = { flows: 0, probes: 0, probedPairs: 0, dataPairs: 0, distinctPorts: 0, distinctHosts: 0, capped: false, ...figures };
    const hit = judgePortScan('10.0.0.5', evidence, PORT_SCAN_DEFAULTS);
    if (kind === undefined) expect(hit).toBeUndefined();
    else expect(hit?.reason.startsWith(`${kind} scan`)).toBe(true);
  });
});

describe('PortScanDetector', () => {
  const probe = (over: Partial<FlowHeuristicInput>) => flow({ packets: 1, bytes: 44, ...over });
  /** The old demo scan: 25 ports on 8 hosts, from a workstation that also browses (60 destinations with data). */
  const smallScan = (detector: PortScanDetector) => {
    for (let host = 0; host < 8; host++) for (let port = 1; port <= 25; port++) detector.add(probe({ dstIp: `10.1.0.${10 + host}`, dport: port }));
    for (let i = 0; i < 60; i++) detector.add(flow({ dstIp: `192.0.2.${i}`, packets: 30, bytes: 20_000 }));
  };

  it('catches a small scan from a busy client, and tags its probes but not its browsing', () => {
    const detector = new PortScanDetector();
    smallScan(detector);
    const hits = detector.hits();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ heuristic: 'port-scan', subject: '10.0.0.5', evidence: { probedPairs: 200, dataPairs: 60, distinctPorts: 25, distinctHosts: 8, probes: 200, flows: 260 } });
    expect(detector.tagsFor(probe({ dstIp: '10.1.0.12', dport: 7 }))).toHaveLength(1);
    expect(detector.tagsFor(flow({ dstIp: '192.0.2.3', packets: 30, bytes: 20_000 }))).toHaveLength(0);
    // A target's reset back to the scanner carries the hit too.
    expect(detector.tagsFor(probe({ srcIp: '10.1.0.12', dstIp: '10.0.0.5', sport: 7, dport: 50000, bytes: 40 }))).toHaveLength(1);
  });

  it('grows the strength with the breadth of the scan', () => {
    const small = new FlowHeuristics();
    const wide = new FlowHeuristics();
    for (let port = 1; port <= 200; port++) small.add(probe({ dport: port }));
    for (let port = 1; port <= 1000; port++) wide.add(probe({ dport: port }));
    const strength = (h: FlowHeuristics) => h.strengthOf(h.tagsFor(probe({ dport: 1 })));
    expect(strength(small)).toBeGreaterThan(1);
    expect(strength(wide)).toBeCloseTo(strength(small) + Math.log(5), 9);
  });

  it('counts a retried dead service once: a client hammering one server is not a scanner', () => {
    const detector = new PortScanDetector();
    for (let i = 0; i < 500; i++) detector.add(probe({ dstIp: '10.1.0.9', dport: 8443, sport: 40000 + i }));
    expect(detector.hits()).toEqual([]);
  });

  it('does not count pairs that also exchanged data (keep-alives and resets of real sessions)', () => {
    const detector = new PortScanDetector();
    for (let i = 0; i < 300; i++) {
      detector.add(flow({ dstIp: `198.51.100.${i % 250}`, dport: 443 + Math.floor(i / 250), packets: 40, bytes: 60_000 }));
      detector.add(probe({ dstIp: `198.51.100.${i % 250}`, dport: 443 + Math.floor(i / 250), bytes: 52 }));
    }
    expect(detector.hits()).toEqual([]);
  });

  it('does not take name lookups or other datagrams with a payload for probes', () => {
    const detector = new PortScanDetector();
    for (let i = 0; i < 300; i++) detector.add(flow({ dstIp: `192.0.2.${i % 250}`, dport: 53, proto: 'UDP', packets: 1, bytes: 72, timestamp: i }));
    for (let i = 0; i < 300; i++) detector.add(flow({ srcIp: '10.0.0.6', dstIp: `10.2.${i >> 8}.${i & 255}`, dport: 161, proto: 'UDP', packets: 1, bytes: 118 }));
    expect(detector.hits()).toEqual([]);
    // An empty datagram is a UDP probe.
    const udpScan = new PortScanDetector();
    for (let port = 1; port <= 150; port++) udpScan.add(flow({ proto: 'UDP', dport: port, packets: 1, bytes: 28 }));
    expect(udpScan.hits()).toHaveLength(1);
    // So is a SIP request to each of 72 unprivileged ports (Stratosphere capture 010); the resolver's answers are not.
    const sipScan = new PortScanDetector();
    for (let port = 5232; port < 5304; port++) sipScan.add(flow({ srcIp: '51.89.192.233', sport: 56101, dport: port, proto: 'UDP', packets: 1, bytes: 466 }));
    for (let i = 0; i < 100; i++) sipScan.add(flow({ srcIp: '10.0.0.53', dstIp: '10.0.0.5', sport: 53, dport: 40000 + i, proto: 'UDP', packets: 1, bytes: 120 }));
    expect(sipScan.hits().map((h) => [h.subject, h.evidence.probedPairs])).toEqual([['51.89.192.233', 72]]);
  });

  it('does not count a server answering many client ports, from a well-known or a registered service port', () => {
    const detector = new PortScanDetector();
    for (let i = 0; i < 500; i++) detector.add(probe({ srcIp: '192.0.2.1', dstIp: `10.0.${i >> 8}.${i & 255}`, sport: 443, dport: 40000 + i, packets: 2 }));
    for (let i = 0; i < 500; i++) detector.add(probe({ srcIp: '10.1.0.80', dstIp: `10.0.${i >> 8}.${i & 255}`, sport: 8080, dport: 50000 + i, packets: 2 }));
    expect(detector.hits()).toEqual([]);
  });

  it('stops remembering pairs at maxTracked and says the counts are a floor', () => {
    const detector = new PortScanDetector({ maxTracked: 150 });
    for (let port = 1; port <= 1000; port++) detector.add(probe({ dport: port }));
    expect(detector.hits()[0].evidence).toMatchObject({ probedPairs: 150, capped: true, flows: 1000 });
  });

  it('rejects an option that is not a positive number', () => {
    expect(() => new PortScanDetector({ minProbedPairs: 0 })).toThrow('port scan: option minProbedPairs must be a finite number > 0');
  });
});

describe('judgeBruteForce(subject, evidence, options)', () => {
  it.each<[string, Partial<BruteForceEvidence>, boolean]>([
    ['200 short SSH connections', { connections: 200, attempts: 200 }, true],
    ['20 attempts, the threshold', { connections: 22, attempts: 20 }, true],
    ['19 attempts', { connections: 19, attempts: 19 }, false],
    ['long working sessions', { connections: 100, attempts: 30 }, false],
    ["an application's database sessions: sizes vary, spread over the day", { connections: 400, attempts: 400, bytesCv: 0.7, burstShare: 0.1 }, false],
    ['varied sizes but in one burst (a telnet botnet)', { connections: 90, attempts: 90, bytesCv: 0.6, burstShare: 1 }, true],
    ['slow but near-identical guesses', { connections: 40, attempts: 40, bytesCv: 0.5, burstShare: 0.1 }, true],
  ])('%s -> %s', (_case, figures, flagged) => {
    const evidence: BruteForceEvidence = { connections: 0, attempts: 0, meanPackets: 20, meanBytes: 3000, bytesCv: 0.05, burstShare: 1, ...figures };
    expect(judgeBruteForce('a -> b:22/TCP', evidence, BRUTE_FORCE_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('BruteForceDetector', () => {
  it('flags guesses and not an application opening short sessions with its database all day', () => {
    const detector = new BruteForceDetector();
    const t0 = Date.UTC(2024, 0, 1);
    // Guesses every 2.5 s, within a few bytes of each other.
    for (let i = 0; i < 60; i++) detector.add(flow({ srcIp: '198.51.100.7', dstIp: '10.0.0.22', dport: 22, sport: 40000 + i, packets: 20, bytes: 4000 + (i % 5) * 40, timestamp: t0 + i * 2500 }));
    // Queries every 5 min through the day, results spread over two orders of magnitude.
    for (let i = 0; i < 288; i++) {
      detector.add(flow({ srcIp: '10.1.0.17', dstIp: '10.1.0.18', dport: 5432, sport: 40000 + i, packets: 12, bytes: Math.round(2000 * Math.exp(((i * 37) % 100) / 25)), timestamp: t0 + i * 300_000 }));
    }
    const hits = detector.hits();
    expect(hits.map((h) => h.subject)).toEqual(['198.51.100.7 -> 10.0.0.22:22/TCP']);
    expect(hits[0].evidence.bytesCv).toBeLessThan(0.05);
    expect(hits[0].evidence.burstShare).toBe(1);
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
    // Scan: 120 ports probed.
    for (let i = 0; i < 120; i++) window.push(flow({ srcIp: '198.51.100.8', dstIp: '10.0.0.30', dport: 1 + i, packets: 1, bytes: 44, timestamp: t0 + i }));
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

  it('tags every flow and every reply exactly as its detectors do, though it skips flows whose addresses lead no verdict', () => {
    const heuristics = new FlowHeuristics();
    const t0 = Date.UTC(2024, 0, 1);
    const window: FlowHeuristicInput[] = [];
    for (let i = 0; i < 30; i++) window.push(flow({ dstIp: '203.0.113.9', timestamp: t0 + i * 300_000, packets: 8 }));
    for (let i = 0; i < 40; i++) window.push(flow({ srcIp: '198.51.100.7', dstIp: '10.0.0.22', dport: 22, sport: 40000 + i, packets: 22, timestamp: t0 + i * 2000 }));
    for (let i = 0; i < 120; i++) window.push(flow({ srcIp: '198.51.100.8', dstIp: '10.0.0.30', dport: 1 + i, packets: 1, bytes: 44, timestamp: t0 + i }));
    // An internal host opening admin sessions on many internal hosts (lateral movement).
    for (let i = 0; i < 12; i++) window.push(flow({ srcIp: '10.0.0.66', dstIp: `10.0.1.${i}`, dport: 445, packets: 40, bytes: 30_000, timestamp: t0 + 3_600_000 + i * 60_000 }));
    for (let i = 0; i < 50; i++) window.push(flow({ srcIp: '10.0.0.40', dstIp: `192.0.2.${i % 7}`, timestamp: t0 + ((i * i * 7919) % 3_600_000), packets: 80 }));
    for (const f of window) heuristics.add(f);
    const replies = window.map((f) => ({ ...f, srcIp: f.dstIp, dstIp: f.srcIp, sport: f.dport, dport: f.sport }));
    const { portScan, bruteForce, beaconing, lateralMovement } = heuristics;
    let tagged = 0;
    for (const f of [...window, ...replies]) {
      const expected = [...portScan.tagsFor(f), ...bruteForce.tagsFor(f), ...beaconing.tagsFor(f), ...lateralMovement.tagsFor(f)];
      expect(heuristics.tagsFor(f)).toEqual(expected);
      if (expected.length > 0) tagged++;
    }
    expect(new Set(heuristics.hits().map((h) => h.heuristic))).toEqual(new Set(['beaconing', 'brute-force', 'port-scan', 'lateral-movement']));
    expect(tagged).toBeGreaterThan(200);
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
