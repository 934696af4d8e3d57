import { FlowHeuristics } from './index';
import { judgeLateralMovement, LATERAL_MOVEMENT_DEFAULTS, LateralMovementDetector, type LateralMovementEvidence } from './lateralMovement';
import type { FlowHeuristicInput } from './types';

const T0 = Date.UTC(2025, 2, 11, 14);
const MINUTE = 60_000;

/** A working session from `srcIp` to an admin service: tens of packets with data. */
const session = (over: Partial<FlowHeuristicInput>): FlowHeuristicInput => ({
  srcIp: '10.10.0.90',
  dstIp: '10.10.0.20',
  sport: 50000,
  dport: 445,
  proto: 'TCP',
  timestamp: T0,
  bytes: 250_000,
  packets: 200,
  ...over,
});

/** PsExec to each host a minute apart: SMB copy, RPC to start the service, WinRM to drive it. */
function spread(detector: { add(flow: FlowHeuristicInput): void }, source: string, hosts: readonly string[], start = T0): void {
  hosts.forEach((host, i) => {
    const t = start + i * MINUTE;
    detector.add(session({ srcIp: source, dstIp: host, dport: 445, timestamp: t }));
    detector.add(session({ srcIp: source, dstIp: host, dport: 135, timestamp: t + 3000, packets: 8, bytes: 2400 }));
    detector.add(session({ srcIp: source, dstIp: host, dport: 5985, timestamp: t + 6000 }));
    // The target's side of the SMB session.
    detector.add(session({ srcIp: host, dstIp: source, sport: 445, dport: 50000, timestamp: t }));
  });
}

const hosts = (prefix: string, count: number) => Array.from({ length: count }, (_v, i) => `${prefix}${20 + i}`);

describe('judgeLateralMovement(source, evidence, options)', () => {
  const base: LateralMovementEvidence = {
    destinations: 0, peers: 0, multiServiceDestinations: 0, ports: '445', minutes: 5, burstStart: T0, burstEnd: T0, sharedServices: 0, hosts: '', capped: false,
  };
  it.each<[string, Partial<LateralMovementEvidence>, boolean]>([
    ['six new hosts in minutes, nothing else', { destinations: 6, peers: 6 }, true],
    ['four, the threshold', { destinations: 4, peers: 5 }, true],
    ['three hosts', { destinations: 3, peers: 3 }, false],
    ['six in a burst of a steady fan-out to forty (a backup server)', { destinations: 6, peers: 40 }, false],
  ])('%s -> %s', (_case, figures, flagged) => {
    expect(judgeLateralMovement('10.10.0.90', { ...base, ...figures } as LateralMovementEvidence, LATERAL_MOVEMENT_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('LateralMovementDetector', () => {
  it('catches a workstation spreading to six hosts and tags those conversations only', () => {
    const detector = new LateralMovementDetector();
    spread(detector, '10.10.0.90', hosts('10.10.0.', 6));
    // Its ordinary day: the file server everyone uses.
    for (let i = 0; i < 8; i++) detector.add(session({ srcIp: `10.10.1.${i}`, dstIp: '10.1.0.12', timestamp: T0 - 60 * MINUTE + i }));
    detector.add(session({ dstIp: '10.1.0.12', timestamp: T0 - 30 * MINUTE }));
    const hits = detector.hits();
    expect(hits.map((h) => h.subject)).toEqual(['10.10.0.90']);
    expect(hits[0]).toMatchObject({
      heuristic: 'lateral-movement',
      evidence: { destinations: 6, peers: 6, multiServiceDestinations: 6, ports: '135 445 5985', minutes: 5, sharedServices: 1, hosts: hosts('10.10.0.', 6).join(' ') },
    });
    expect(detector.tagsFor(session({ dstIp: '10.10.0.22', dport: 5985 }))).toHaveLength(1);
    expect(detector.tagsFor(session({ srcIp: '10.10.0.22', dstIp: '10.10.0.90', sport: 445, dport: 50000 }))).toHaveLength(1);
    expect(detector.tagsFor(session({ dstIp: '10.1.0.12' }))).toHaveLength(0);
  });

  it('tags a slice the same with verdicts adopted from the process that read the whole window', () => {
    const whole = new LateralMovementDetector();
    spread(whole, '10.10.0.90', hosts('10.10.0.', 6));
    const part = new LateralMovementDetector();
    part.adoptVerdicts(JSON.parse(JSON.stringify(whole.verdictEntries())));
    const step = session({ dstIp: '10.10.0.23', dport: 135 });
    expect(part.tagsFor(step)).toEqual(whole.tagsFor(step));
    expect(part.tagsFor(step)).toHaveLength(1);
    expect(part.tagsFor(session({ dstIp: '10.1.0.12' }))).toEqual([]);
  });

  it('gives the same verdict whatever order the window is read in', () => {
    const flows: FlowHeuristicInput[] = [];
    spread({ add: (f) => flows.push(f) }, '10.10.0.90', hosts('10.10.0.', 6));
    const inOrder = new LateralMovementDetector();
    const reversed = new LateralMovementDetector();
    for (const f of flows) inOrder.add(f);
    for (const f of [...flows].reverse()) reversed.add(f);
    expect(reversed.hits()).toEqual(inOrder.hits());
    expect(inOrder.hits()).toHaveLength(1);
  });

  it('leaves out a server that reaches many hosts steadily through the window (a backup run, a management server)', () => {
    const detector = new LateralMovementDetector();
    // Forty servers pulled over SSH one every ten minutes.
    for (let i = 0; i < 40; i++) detector.add(session({ srcIp: '10.1.0.30', dstIp: `10.1.0.${100 + i}`, dport: 22, timestamp: T0 + i * 10 * MINUTE }));
    // An administrator's RDP sessions through the day.
    for (let i = 0; i < 8; i++) detector.add(session({ srcIp: '10.10.0.77', dstIp: `10.1.0.${100 + i}`, dport: 3389, timestamp: T0 + i * 70 * MINUTE }));
    expect(detector.hits()).toEqual([]);
  });

  it('does not count shared services: every workstation mapping the file servers and the domain controllers', () => {
    const detector = new LateralMovementDetector();
    const shared = ['10.1.0.10', '10.1.0.11', '10.1.0.12', '10.1.0.13', '10.1.0.14'];
    for (let w = 0; w < 30; w++) for (const server of shared) detector.add(session({ srcIp: `10.10.2.${w}`, dstIp: server, timestamp: T0 + w * 1000 }));
    expect(detector.hits()).toEqual([]);
  });

  it("leaves a scanner's probes of admin ports to the port-scan heuristic", () => {
    const detector = new LateralMovementDetector();
    for (const host of hosts('10.1.0.', 20)) for (const dport of [22, 135, 445, 3389]) detector.add(session({ srcIp: '10.10.0.24', dstIp: host, dport, packets: 2, bytes: 84 }));
    expect(detector.hits()).toEqual([]);
  });

  it('only watches internal to internal traffic: the private ranges by default, or the ranges given', () => {
    const external = new LateralMovementDetector();
    spread(external, '198.51.100.7', hosts('10.10.0.', 6));
    spread(external, '10.10.0.90', hosts('203.0.113.', 6));
    expect(external.hits()).toEqual([]);

    const ipv6 = new LateralMovementDetector();
    spread(ipv6, 'fd00::90', hosts('fd00::', 6));
    expect(ipv6.hits().map((h) => h.subject)).toEqual(['fd00::90']);

    const ownRanges = new FlowHeuristics({ internalRanges: ['198.51.100.0/24'] });
    spread(ownRanges, '198.51.100.7', hosts('198.51.100.', 6));
    spread(ownRanges, '10.10.0.90', hosts('10.10.0.', 6));
    expect(ownRanges.lateralMovement.hits().map((h) => h.subject)).toEqual(['198.51.100.7']);
  });

  it('is part of the flow heuristics, with a strength that grows with the number of hosts', () => {
    const few = new FlowHeuristics();
    const many = new FlowHeuristics();
    spread(few, '10.10.0.90', hosts('10.10.0.', 4));
    spread(many, '10.10.0.90', hosts('10.10.0.', 16));
    const strength = (h: FlowHeuristics) => h.strengthOf(h.tagsFor(session({ dstIp: '10.10.0.21' })));
    expect(strength(few)).toBe(1);
    expect(strength(many)).toBeCloseTo(1 + Math.log(4), 9);
  });

  it('stops remembering services at maxTracked and says so', () => {
    // 14 services: the first four hosts' three each and two of the fifth's.
    const detector = new LateralMovementDetector({ maxTracked: 14 });
    spread(detector, '10.10.0.90', hosts('10.10.0.', 6));
    expect(detector.hits()[0]?.evidence).toMatchObject({ destinations: 5, capped: true });
  });

  it('rejects a range that is not CIDR and options that are not positive numbers', () => {
    expect(() => new LateralMovementDetector({}, ['10.0.0.0/33'])).toThrow('lateral movement: internal range "10.0.0.0/33" is not a CIDR range');
    expect(() => new LateralMovementDetector({ spanMinutes: -1 })).toThrow('lateral movement: option spanMinutes must be a finite number > 0');
  });
});
