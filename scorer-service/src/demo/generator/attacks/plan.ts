import { DEFAULT_SCAN_PORT_COUNT, scanPorts } from '../catalog';
import { numberToIpv4, parseIpv4Range } from '../ipv4';
import { pronounceableName, type DomainCatalog } from '../domains';
import { serverOf, SUBNETS, type Host, type Network } from '../network';
import { Dice } from '../random';
import { MICROS_PER_SECOND } from '../records';
import { beaconing } from './beaconing';
import type { AttackName, AttackRecords } from './common';
import { dga } from './dga';
import { dnsTunnel } from './dnsTunnel';
import { lateralMovement } from './lateralMovement';
import { portScan } from './portScan';
import { slowExfiltration } from './slowExfiltration';
import { sshBruteForce } from './sshBruteForce';

/**
 * Who attacks whom, when and how hard on the generated day. Victims and attackers depend on the seed only; the
 * intensity follows the size of the day (`scale`), so attacks stay a small share of a large day and still
 * recognisable in a small one.
 */

export interface PlannedAttack {
  name: AttackName;
  description: string;
  /** The parties by role (`victim`, `attacker`, `c2`, ...) as addresses or names. */
  actors: Record<string, string>;
  /** The parameters that shape the traffic, for the manifest and the documentation. */
  parameters: Record<string, number | string>;
  /** First record time (microseconds since the epoch). */
  start: number;
  /** Builds the attack's records afresh with its own dice, so it can be counted once and then written. */
  records: () => AttackRecords;
}

export interface AttackPlanInput {
  network: Network;
  domains: DomainCatalog;
  /** Midnight UTC of the day, microseconds since the epoch. */
  dayStart: number;
  /** Intensity: 1 for a day of about a million events, from 0.05 to 4. */
  scale: number;
  names: readonly AttackName[];
}

const HOUR = 3600 * MICROS_PER_SECOND;
const MINUTE = 60 * MICROS_PER_SECOND;
const SECOND = MICROS_PER_SECOND;

/** The intensity for a day of `events` events: grows with the square root so large days are not flooded. */
export function attackScale(events: number): number {
  return Math.min(4, Math.max(0.05, Math.sqrt(events / 1_000_000)));
}

/** Ports a host answers on, from what it is: the truth a port scan uncovers. */
export function listensOn(host: Host, port: number): boolean {
  const windows = host.os === 'windows';
  if (windows && (port === 135 || port === 139 || port === 445 || port === 3389 || port === 5985)) return true;
  if (host.os === 'linux' && port === 22) return true;
  switch (host.duty) {
    case 'resolver':
      return port === 53;
    case 'domain-controller':
      return port === 53 || port === 88 || port === 389 || port === 636 || port === 464;
    case 'mail':
      return port === 25 || port === 587 || port === 993 || port === 443;
    case 'mail-relay':
      return port === 25;
    case 'intranet':
    case 'web':
    case 'app':
      return port === 80 || port === 443;
    case 'database':
      return port === 5432;
    case 'monitoring':
      return port === 443 || port === 3000 || port === 9090;
    default:
      return false;
  }
}

function workstationsOf(network: Network): Host[] {
  return network.hosts.filter((h) => h.role === 'workstation');
}

/** Distinct victims, one per attack that needs a person's machine. */
function pickDistinct(hosts: readonly Host[], count: number, dice: Dice): Host[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, hosts.length)) chosen.add(dice.nextInt(hosts.length));
  return [...chosen].map((i) => hosts[i]);
}

/** A moment on the day between two hours (fractional, UTC). */
function at(input: AttackPlanInput, dice: Dice, fromHour: number, toHour: number): number {
  return input.dayStart + Math.round(dice.uniform(fromHour, toHour) * HOUR);
}

function subnetCidr(name: string): string {
  const subnet = SUBNETS.find((candidate) => candidate.name === name);
  if (!subnet) throw new Error(`the network has no subnet named ${name}`);
  return subnet.cidr;
}

function clampInt(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, Math.round(value)));
}

/** Every attack of the day, in a fixed order; each draws its parameters from `dice` whether or not it is asked for. */
export function planAttacks(input: AttackPlanInput, dice: Dice): PlannedAttack[] {
  const { network, domains, scale } = input;
  const s = scale;
  const [scanner, beaconVictim, tunnelVictim, dgaVictim, lateralSource] = pickDistinct(workstationsOf(network), 5, dice);
  const resolverOf = (host: Host) => network.servers.resolver[host.index % network.servers.resolver.length].ip;
  const seedOf = () => dice.nextUint32();
  const port = () => dice.between(49152, 65535);
  const plans: PlannedAttack[] = [];

  {
    // nmap's default run against the data centre: discovery over the first addresses of the server subnet, then
    // its top 1,000 TCP ports on a few of the live hosts it found.
    const byIp = new Map(network.hosts.map((h) => [h.ip, h]));
    const servers = parseIpv4Range(subnetCidr('servers'));
    const sweep = Array.from({ length: clampInt(256 * s, 64, servers.size - 2) }, (_, i) => numberToIpv4(servers.first + 1 + i));
    const live = sweep.filter((ip) => byIp.has(ip));
    // Own dice for the pick: how many targets depends on the size of the day, and the later attacks' victims must not.
    const targets = pickDistinct(live.map((ip) => byIp.get(ip) as Host), clampInt(2 * s, 1, 8), new Dice(dice.nextUint32())).map((h) => h.ip);
    const ports = scanPorts(DEFAULT_SCAN_PORT_COUNT);
    const params = {
      scanner: scanner.ip,
      sweep,
      isLive: (ip: string) => byIp.has(ip),
      targets,
      ports,
      start: at(input, dice, 9.5, 15),
      probeGapMicros: 15_000,
      isOpen: (ip: string, p: number) => listensOn(byIp.get(ip) as Host, p),
      answerRate: 0.85,
      sourcePort: port(),
      discoverySourcePort: port(),
    };
    const runSeed = seedOf();
    plans.push({
      name: 'port-scan',
      description: "an infected workstation runs nmap's defaults on the server subnet: host discovery, then a SYN scan of the top 1,000 ports of live hosts",
      actors: { scanner: scanner.ip },
      parameters: {
        swept_addresses: sweep.length,
        targets: targets.length,
        ports: ports.length,
        probes: 2 * sweep.length + targets.length * ports.length,
        probe_gap_ms: 15,
        answer_rate: 0.85,
      },
      start: params.start,
      records: () => portScan(params, new Dice(runSeed)),
    });
  }

  {
    const bastion = serverOf(network, 'ssh-bastion');
    const attacker = domains.addressOf('chinatelecom-jiangsu', dice.nextUint32());
    const params = { attacker, target: bastion.ip, attempts: clampInt(800 * s, 40, 4000), start: at(input, dice, 2, 20), attemptGapMicros: 2.5 * SECOND, firstSourcePort: dice.between(33000, 60000) };
    const runSeed = seedOf();
    plans.push({
      name: 'ssh-brute-force',
      description: 'password guessing against the SSH bastion in the DMZ from one address abroad',
      actors: { attacker, target: bastion.ip },
      parameters: { attempts: params.attempts, mean_gap_s: 2.5 },
      start: params.start,
      records: () => sshBruteForce(params, new Dice(runSeed)),
    });
  }

  {
    const c2Domain = `${pronounceableName(dice, 3)}-${dice.pick(['cdn', 'static', 'update', 'sync'])}.${dice.pick(['net', 'com', 'xyz', 'info'])}`;
    const c2Ip = domains.addressOf('digitalocean-ams', dice.nextUint32());
    const start = at(input, dice, 8.5, 11);
    const intervalSeconds = Math.min(900, Math.round(60 / Math.min(1, s)));
    const params = {
      victim: beaconVictim.ip,
      resolver: resolverOf(beaconVictim),
      c2Ip,
      c2Domain,
      start,
      end: Math.min(input.dayStart + 23.5 * HOUR, start + 10 * HOUR),
      intervalMicros: intervalSeconds * SECOND,
      jitter: 0.1,
      userAgent: 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)',
      ttlSeconds: 300,
      firstSourcePort: port(),
    };
    const runSeed = seedOf();
    plans.push({
      name: 'beaconing-c2',
      description: 'an implant on a workstation checks in with its command-and-control server over HTTPS on a timer',
      actors: { victim: beaconVictim.ip, c2: c2Ip, c2_domain: c2Domain },
      parameters: { interval_s: intervalSeconds, jitter: 0.1, hours: 10, ttl_s: 300 },
      start,
      records: () => beaconing(params, new Dice(runSeed)),
    });
  }

  {
    const domain = `t.${pronounceableName(dice, 3)}.com`;
    const queries = clampInt(1500 * s, 60, 8000);
    const params = {
      victim: tunnelVictim.ip,
      resolver: resolverOf(tunnelVictim),
      domain,
      start: at(input, dice, 13, 16),
      queries,
      burstSize: clampInt(queries / 10, 20, 200),
      queryGapMicros: 300_000,
      burstGapMicros: 4 * MINUTE,
      qtypes: [16, 16, 16, 10],
      firstSourcePort: port(),
    };
    const runSeed = seedOf();
    plans.push({
      name: 'dns-tunnelling',
      description: 'a workstation moves data through DNS: long encoded names under one zone, TXT and NULL queries',
      actors: { victim: tunnelVictim.ip, zone: domain },
      parameters: { queries, burst_size: params.burstSize, query_gap_ms: 300, burst_gap_min: 4, qtypes: 'TXT, NULL' },
      start: params.start,
      records: () => dnsTunnel(params, new Dice(runSeed)),
    });
  }

  {
    const c2Ip = domains.addressOf('linode', dice.nextUint32());
    const params = {
      victim: dgaVictim.ip,
      resolver: resolverOf(dgaVictim),
      start: at(input, dice, 9, 12),
      bursts: clampInt(12 * s, 2, 48),
      namesPerBurst: 30,
      burstGapMicros: 10 * MINUTE,
      tlds: ['com', 'net', 'org', 'info', 'biz', 'ru', 'top'],
      c2Ip,
      firstSourcePort: port(),
    };
    const runSeed = seedOf();
    plans.push({
      name: 'dga',
      description: 'malware on a workstation searches for its server through bursts of generated names, nearly all NXDOMAIN',
      actors: { victim: dgaVictim.ip, c2: c2Ip },
      parameters: { bursts: params.bursts, names_per_burst: 30, burst_gap_min: 10, tlds: params.tlds.join(' ') },
      start: params.start,
      records: () => dga(params, new Dice(runSeed)),
    });
  }

  {
    const candidates = network.servers.database.concat(network.servers['file-server']);
    const victim = dice.pick(candidates);
    const destinationHost = `files.${pronounceableName(dice, 3)}.cloud`;
    const destinationIp = domains.addressOf('digitalocean-sgp', dice.nextUint32());
    const intervalMinutes = Math.min(20, 4 / Math.min(1, s));
    const params = {
      victim: victim.ip,
      resolver: resolverOf(victim),
      destinationIp,
      destinationHost,
      start: input.dayStart + Math.round(dice.uniform(0.8, 1.2) * HOUR),
      end: input.dayStart + 5 * HOUR,
      intervalMicros: Math.round(intervalMinutes * MINUTE),
      jitter: 0.15,
      medianBytes: 15_000_000,
      sigma: 0.3,
      firstSourcePort: port(),
    };
    const runSeed = seedOf();
    plans.push({
      name: 'slow-exfiltration',
      description: 'a server uploads archive parts to a storage host abroad at a steady pace through the night',
      actors: { victim: victim.ip, destination: destinationIp, destination_host: destinationHost },
      parameters: { interval_min: Math.round(intervalMinutes * 10) / 10, jitter: 0.15, median_mb: 15, window: '01:00-05:00' },
      start: params.start,
      records: () => slowExfiltration(params, new Dice(runSeed)),
    });
  }

  {
    const pool = network.hosts.filter((h) => h !== lateralSource && (h.role === 'workstation' || h.role === 'server'));
    // A hands-on intruder reaches a handful of hosts; only on a large network do they spread to dozens.
    const targets = pickDistinct(pool, clampInt(16 * s, 6, Math.min(60, pool.length)), dice).map((h) => ({ ip: h.ip, windows: h.os === 'windows' }));
    const domainController = network.servers['domain-controller'][lateralSource.index % network.servers['domain-controller'].length].ip;
    const params = { source: lateralSource.ip, domainController, targets, start: at(input, dice, 14, 17), targetGapMicros: 45 * SECOND, firstSourcePort: port() };
    const runSeed = seedOf();
    plans.push({
      name: 'lateral-movement',
      description: 'an intruder on one workstation spreads with stolen credentials to internal hosts: a Kerberos ticket, then SMB, RPC, WinRM or RDP',
      actors: { source: lateralSource.ip },
      parameters: { targets: targets.length, mean_gap_s: 45, ports: '88 (DC) 445 135 49664+ 5985/3389' },
      start: params.start,
      records: () => lateralMovement(params, new Dice(runSeed)),
    });
  }

  return plans.filter((plan) => input.names.includes(plan.name));
}
