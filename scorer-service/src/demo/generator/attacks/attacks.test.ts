import { BUILT_IN_TOP_DOMAINS, DEFAULT_SCAN_PORT_COUNT, SCAN_PORTS, scanPorts } from '../catalog';
import { DomainCatalog } from '../domains';
import { ipv4ToNumber, isNonPublicIpv4 } from '../ipv4';
import { buildNetwork } from '../network';
import { Dice } from '../random';
import type { DayRecord, DnsRecord, FlowRecord, ProxyRecord } from '../records';
import { beaconing } from './beaconing';
import { ATTACK_NAMES } from './common';
import { dga } from './dga';
import { dnsTunnel } from './dnsTunnel';
import { lateralMovement } from './lateralMovement';
import { attackScale, planAttacks } from './plan';
import { portScan } from './portScan';
import { slowExfiltration } from './slowExfiltration';
import { sshBruteForce } from './sshBruteForce';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const START = Date.parse('2025-03-11T10:00:00Z') * 1000;

const flows = (records: DayRecord[]) => records.filter((r): r is FlowRecord => r.kind === 'flow');
const lookups = (records: DayRecord[]) => records.filter((r): r is DnsRecord => r.kind === 'dns');
const requests = (records: DayRecord[]) => records.filter((r): r is ProxyRecord => r.kind === 'proxy');

describe('port scan', () => {
  const sweep = ['10.1.0.9', '10.1.0.10', '10.1.0.11', '10.1.0.12', '10.1.0.13'];
  const targets = ['10.1.0.10', '10.1.0.11', '10.1.0.12'];
  const ports = [22, 80, 443, 445, 3389];
  const scan = {
    scanner: '10.10.0.50', sweep, isLive: (ip: string) => targets.includes(ip), targets, ports, start: START, probeGapMicros: 15000,
    isOpen: (ip: string, port: number) => ip === '10.1.0.10' && port === 22, answerRate: 0.8, sourcePort: 50123, discoverySourcePort: 50124,
  };
  const records = [...portScan(scan, new Dice(1))];
  const fromScanner = flows(records).filter((f) => f.sourceIp === '10.10.0.50');

  it('sweeps every address with a SYN to 443 and an ACK to 80 before scanning', () => {
    const discovery = fromScanner.filter((f) => f.sourcePort === 50124);
    expect(discovery.map((f) => `${f.destinationIp}:${f.destinationPort}`)).toEqual(sweep.flatMap((ip) => [`${ip}:443`, `${ip}:80`]));
    const lastDiscovery = Math.max(...discovery.map((f) => f.time));
    expect(fromScanner.filter((f) => f.sourcePort === 50123).every((f) => f.time > lastDiscovery)).toBe(true);
    // Only live hosts answer the ACK; unused addresses stay silent.
    const resets = flows(records).filter((f) => f.sourcePort === 80 && f.destinationPort === 50124);
    expect(resets.map((f) => f.sourceIp)).toEqual(targets);
  });

  it('probes every port of every target exactly once from one source port', () => {
    const probes = fromScanner.filter((f) => f.sourcePort === 50123);
    expect(probes.length).toBe(targets.length * ports.length);
    expect(new Set(probes.map((f) => `${f.destinationIp}:${f.destinationPort}`)).size).toBe(targets.length * ports.length);
  });

  it('gets a SYN-ACK from the open port and resets or silence from the rest, every record labelled', () => {
    const answers = flows(records).filter((f) => f.destinationIp === '10.10.0.50' && f.destinationPort === 50123);
    expect(answers.filter((f) => f.flags === '...A..S.').map((f) => `${f.sourceIp}:${f.sourcePort}`)).toEqual(['10.1.0.10:22']);
    expect(answers.filter((f) => f.flags === '...A.R..').length).toBeGreaterThan(5);
    expect(answers.length).toBeLessThan(targets.length * ports.length);
    expect(records.every((r) => r.attack === 'port-scan')).toBe(true);
  });

  it('is the same scan for the same dice', () => {
    expect([...portScan(scan, new Dice(1))]).toEqual(records);
  });
});

describe('scanPorts(count)', () => {
  it("starts with nmap's most frequent ports and has no duplicates", () => {
    const ports = scanPorts(DEFAULT_SCAN_PORT_COUNT);
    expect(ports).toHaveLength(1000);
    expect(new Set(ports).size).toBe(1000);
    expect(ports.slice(0, SCAN_PORTS.length)).toEqual(SCAN_PORTS);
    expect(ports.every((port) => port >= 1 && port <= 65535)).toBe(true);
  });

  it('rejects a count that is not a port count', () => {
    expect(() => scanPorts(0)).toThrow('a scan tries 1 to 65535 ports, got 0');
  });
});

describe('SSH brute force', () => {
  const records = [...sshBruteForce({ attacker: '218.92.0.7', target: '172.16.1.13', attempts: 50, start: START, attemptGapMicros: 2.5 * SECOND, firstSourcePort: 40000 }, new Dice(2))];

  it('makes one short, similar-sized connection to port 22 per attempt, each from a new port', () => {
    const attempts = flows(records).filter((f) => f.sourceIp === '218.92.0.7');
    expect(attempts.length).toBe(50);
    expect(attempts.every((f) => f.destinationIp === '172.16.1.13' && f.destinationPort === 22 && f.durationMicros < 5 * SECOND)).toBe(true);
    expect(new Set(attempts.map((f) => f.sourcePort)).size).toBe(50);
    const sizes = attempts.map((f) => f.bytes);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(2);
    expect(records.length).toBe(100);
  });
});

describe('beaconing C2', () => {
  const params = { victim: '10.10.0.60', resolver: '10.1.0.10', c2Ip: '188.166.10.20', c2Domain: 'kamova-sync.net', start: START, end: START + 3 * 3600 * SECOND, intervalMicros: 60 * SECOND, jitter: 0.1, userAgent: 'Mozilla/4.0', ttlSeconds: 300, firstSourcePort: 50000 };
  const records = [...beaconing(params, new Dice(3))];

  it('checks in at the interval within the jitter, over HTTPS to the C2 name', () => {
    const checkIns = requests(records);
    expect(checkIns.length).toBeGreaterThan(170);
    expect(checkIns.every((r) => r.host === 'kamova-sync.net' && r.serverIp === '188.166.10.20' && r.serverPort === 443)).toBe(true);
    for (let i = 1; i < checkIns.length; i++) {
      const gap = checkIns[i].time - checkIns[i - 1].time;
      // The sleep varies by +-10 %; a DNS refresh and connection set-up shift a check-in by well under a second.
      expect(gap).toBeGreaterThan(53 * SECOND);
      expect(gap).toBeLessThan(67 * SECOND);
    }
  });

  it('looks the name up again about once per TTL', () => {
    const names = lookups(records);
    expect(names.every((d) => d.query === 'kamova-sync.net' && d.answers[0] === '188.166.10.20')).toBe(true);
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names.length).toBeLessThanOrEqual(37);
  });
});

describe('DNS tunnelling', () => {
  const records = [...dnsTunnel({ victim: '10.10.0.70', resolver: '10.1.0.11', domain: 't.zorabu.com', start: START, queries: 300, burstSize: 100, queryGapMicros: 300000, burstGapMicros: 4 * MINUTE, qtypes: [16, 10], firstSourcePort: 50000 }, new Dice(4))];

  it('asks for long encoded names under one zone with TXT and NULL queries', () => {
    const names = lookups(records);
    expect(names.length).toBe(300);
    expect(names.every((d) => d.query.endsWith('.t.zorabu.com') && d.query.length > 100)).toBe(true);
    expect(names.every((d) => d.query.split('.').every((label) => label.length <= 63))).toBe(true);
    expect(new Set(names.map((d) => d.qtype))).toEqual(new Set([16, 10]));
    expect(new Set(names.map((d) => d.query)).size).toBe(300);
    const txt = names.filter((d) => d.qtype === 16);
    expect(txt.every((d) => /^TXT \d+ [A-Za-z0-9+/]+$/.test(d.answers[0]))).toBe(true);
  });

  it('makes two UDP flows to the resolver per query, all labelled', () => {
    expect(flows(records).length).toBe(600);
    expect(flows(records).every((f) => f.transport === 'UDP' && (f.destinationPort === 53 || f.sourcePort === 53))).toBe(true);
    expect(records.every((r) => r.attack === 'dns-tunnelling')).toBe(true);
  });
});

describe('DGA lookups', () => {
  const records = [...dga({ victim: '10.10.0.80', resolver: '10.1.0.10', start: START, bursts: 4, namesPerBurst: 25, burstGapMicros: 10 * MINUTE, tlds: ['com', 'net', 'ru'], c2Ip: '45.33.1.2', firstSourcePort: 50000 }, new Dice(5))];

  it('looks up bursts of random names that fail but for one per burst, then connects to it', () => {
    const names = lookups(records);
    expect(names.length).toBe(100);
    expect(names.filter((d) => d.rcode === 3).length).toBe(96);
    const resolved = names.filter((d) => d.rcode === 0);
    expect(resolved.map((d) => d.answers[0])).toEqual(['45.33.1.2', '45.33.1.2', '45.33.1.2', '45.33.1.2']);
    expect(names.every((d) => /^[a-z]{10,20}\.(com|net|ru)$/.test(d.query))).toBe(true);
    expect(flows(records).filter((f) => f.destinationIp === '45.33.1.2' && f.destinationPort === 443).length).toBe(4);
  });
});

describe('slow exfiltration', () => {
  const params = { victim: '10.1.0.18', resolver: '10.1.0.10', destinationIp: '128.199.200.1', destinationHost: 'files.pelimo.cloud', start: START, end: START + 4 * 3600 * SECOND, intervalMicros: 4 * MINUTE, jitter: 0.15, medianBytes: 15_000_000, sigma: 0.3, firstSourcePort: 50000 };
  const records = [...slowExfiltration(params, new Dice(6))];

  it('uploads steady large parts through the gateway inside its window', () => {
    const uploads = requests(records);
    expect(uploads.length).toBeGreaterThanOrEqual(55);
    expect(uploads.length).toBeLessThanOrEqual(65);
    expect(uploads.every((r) => r.method === 'PUT' && r.requestBytes > 4_000_000 && r.time < params.end + MINUTE)).toBe(true);
    expect(new Set(uploads.map((r) => r.uri)).size).toBe(uploads.length);
  });

  it('sends far more than it receives on every connection', () => {
    const outbound = flows(records).filter((f) => f.sourceIp === '10.1.0.18' && f.destinationPort === 443);
    const inbound = flows(records).filter((f) => f.destinationIp === '10.1.0.18' && f.sourcePort === 443);
    expect(outbound.length).toBe(inbound.length);
    outbound.forEach((f, i) => expect(f.bytes).toBeGreaterThan(50 * inbound[i].bytes));
  });
});

describe('lateral movement', () => {
  const targets = [
    { ip: '10.10.0.20', windows: true },
    { ip: '10.10.0.21', windows: false },
    { ip: '10.1.0.30', windows: true },
  ];
  const records = [...lateralMovement({ source: '10.10.0.90', domainController: '10.1.0.11', targets, start: START, targetGapMicros: 45 * SECOND, firstSourcePort: 50000 }, new Dice(7))];

  it('asks the domain controller for a ticket before each Windows target', () => {
    const outbound = flows(records).filter((f) => f.sourceIp === '10.10.0.90');
    const tickets = outbound.filter((f) => f.destinationIp === '10.1.0.11' && f.destinationPort === 88);
    expect(tickets).toHaveLength(targets.filter((t) => t.windows).length);
    for (const target of targets.filter((t) => t.windows)) {
      const smb = outbound.find((f) => f.destinationIp === target.ip && f.destinationPort === 445);
      expect(tickets.some((t) => smb !== undefined && t.time < smb.time && smb.time - t.time < SECOND)).toBe(true);
    }
  });

  it('touches every target on SMB and takes remote control of the Windows ones', () => {
    const outbound = flows(records).filter((f) => f.sourceIp === '10.10.0.90');
    expect(new Set(outbound.filter((f) => f.destinationPort === 445).map((f) => f.destinationIp))).toEqual(new Set(targets.map((t) => t.ip)));
    for (const target of targets.filter((t) => t.windows)) {
      const ports = outbound.filter((f) => f.destinationIp === target.ip).map((f) => f.destinationPort);
      expect(ports).toContain(135);
      expect(ports.some((p) => p === 5985 || p === 3389)).toBe(true);
    }
    const refused = flows(records).filter((f) => f.sourceIp === '10.10.0.21');
    expect(refused.map((f) => f.flags)).toEqual(['...A.R..']);
  });
});

describe('the attack plan', () => {
  const network = buildNetwork(200, Dice.derive(1, 'network'));
  const domains = new DomainCatalog(BUILT_IN_TOP_DOMAINS);
  const dayStart = Date.parse('2025-03-11T00:00:00Z') * 1000;
  const plan = (events: number) => planAttacks({ network, domains, dayStart, scale: attackScale(events), names: ATTACK_NAMES }, Dice.derive(1, 'attacks'));

  it('has every attack, each from its own victim, on the day', () => {
    const attacks = plan(1_000_000);
    expect(attacks.map((a) => a.name)).toEqual([...ATTACK_NAMES]);
    const victims = attacks.map((a) => a.actors.victim ?? a.actors.scanner ?? a.actors.source ?? a.actors.attacker);
    expect(new Set(victims).size).toBe(victims.length);
    for (const attack of attacks) {
      let count = 0;
      for (const record of attack.records()) {
        expect(record.time).toBeGreaterThanOrEqual(dayStart);
        expect(record.time).toBeLessThan(dayStart + 86400 * SECOND);
        count++;
      }
      expect(count).toBeGreaterThan(20);
    }
  });

  it('sends exfiltration out at night and uses public addresses for every outside party', () => {
    const attacks = plan(1_000_000);
    const exfiltration = attacks.find((a) => a.name === 'slow-exfiltration');
    const hours = [...(exfiltration?.records() ?? [])].map((r) => (r.time - dayStart) / (3600 * SECOND));
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(0.8);
    expect(Math.max(...hours)).toBeLessThan(5.1);
    for (const attack of attacks) {
      for (const role of ['attacker', 'c2', 'destination']) {
        const ip = attack.actors[role];
        if (ip !== undefined) expect(isNonPublicIpv4(ipv4ToNumber(ip))).toBe(false);
      }
    }
  });

  it('keeps victims with the seed and grows intensity with the size of the day', () => {
    const small = plan(20_000);
    const large = plan(5_000_000);
    expect(small.map((a) => a.actors)).toEqual(large.map((a) => a.actors));
    const size = (attacks: typeof small, name: string) => [...(attacks.find((a) => a.name === name)?.records() ?? [])].length;
    for (const name of ['port-scan', 'ssh-brute-force', 'dns-tunnelling', 'dga']) expect(size(large, name)).toBeGreaterThan(3 * size(small, name));
  });
});
