import { BROWSER_AGENTS } from './catalog';
import { numberToIpv4, parseIpv4Range, type Ipv4Range } from './ipv4';
import type { Dice } from './random';

/** The simulated enterprise: named subnets, the hosts in them, and which servers provide which service. */

export type HostRole = 'workstation' | 'vpn-client' | 'server' | 'dmz';
export type OperatingSystem = 'windows' | 'macos' | 'linux';

export type ServerDuty =
  | 'resolver'
  | 'domain-controller'
  | 'file-server'
  | 'mail'
  | 'intranet'
  | 'database'
  | 'app'
  | 'backup'
  | 'monitoring'
  | 'general'
  | 'web'
  | 'mail-relay'
  | 'vpn-gateway'
  | 'ssh-bastion';

export interface Subnet {
  name: string;
  cidr: string;
  purpose: string;
}

export const INTERNAL_DOMAIN = 'corp.example';
/** The router whose NetFlow export the flow files stand for (nfdump's `ra`). */
export const FLOW_EXPORTER = '10.0.0.1';

export const SUBNETS: readonly Subnet[] = [
  { name: 'network', cidr: '10.0.0.0/24', purpose: 'routers; the core router 10.0.0.1 exports the NetFlow' },
  { name: 'servers', cidr: '10.1.0.0/22', purpose: 'data-centre servers: resolvers, domain controllers, file, mail, intranet, database, backup, monitoring' },
  { name: 'dmz', cidr: '172.16.1.0/24', purpose: 'internet-facing: web site, mail relay, VPN gateway, SSH bastion' },
  { name: 'workstations-hq', cidr: '10.10.0.0/20', purpose: 'head-office desktops and laptops' },
  { name: 'workstations-branch', cidr: '10.20.0.0/22', purpose: 'branch-office desktops and laptops' },
  { name: 'vpn', cidr: '10.200.0.0/22', purpose: 'addresses the VPN gateway hands to remote staff' },
];

export interface Host {
  /** Position in `Network.hosts`; per-host simulation state is kept in arrays indexed by it. */
  index: number;
  ip: string;
  name: string;
  subnet: string;
  role: HostRole;
  duty?: ServerDuty;
  os: OperatingSystem;
  /** The browser this host's user runs. */
  browserAgent: string;
  /** Relative amount of traffic the host makes when active (log-normal across hosts). */
  activity: number;
  /** Working hours of the host's user (UTC hours, fractional). */
  dayStart: number;
  dayEnd: number;
  /** Left switched on overnight (idle background traffic: updates, time sync, telemetry). */
  onOvernight: boolean;
  /** An IT administrator: uses SSH and RDP to servers in the normal course of work. */
  admin: boolean;
}

export interface Network {
  subnets: readonly Subnet[];
  hosts: readonly Host[];
  /** Hosts by duty (servers and DMZ), in address order. */
  servers: Readonly<Record<ServerDuty, readonly Host[]>>;
  /** Workstations and VPN clients: the people. */
  clients: readonly Host[];
  exporter: string;
  domain: string;
}

export const MIN_HOSTS = 30;
export const MAX_HOSTS = 5000;

// Servers every enterprise of this kind runs, in the order their addresses are handed out.
const CORE_SERVERS: readonly [ServerDuty, string, OperatingSystem][] = [
  ['resolver', 'ns1', 'linux'],
  ['resolver', 'ns2', 'linux'],
  ['domain-controller', 'dc01', 'windows'],
  ['domain-controller', 'dc02', 'windows'],
  ['file-server', 'fs01', 'windows'],
  ['file-server', 'fs02', 'windows'],
  ['mail', 'mail', 'windows'],
  ['intranet', 'intranet', 'linux'],
  ['database', 'db01', 'linux'],
  ['app', 'app01', 'linux'],
  ['backup', 'backup', 'linux'],
  ['monitoring', 'monitor', 'linux'],
];

const DMZ_SERVERS: readonly [ServerDuty, string][] = [
  ['web', 'www'],
  ['mail-relay', 'mx1'],
  ['vpn-gateway', 'vpn'],
  ['ssh-bastion', 'bastion'],
];

/** How many hosts of each kind a network of `hostCount` hosts has. */
export function hostMix(hostCount: number): { servers: number; dmz: number; vpn: number; hq: number; branch: number } {
  if (!Number.isInteger(hostCount) || hostCount < MIN_HOSTS || hostCount > MAX_HOSTS) {
    throw new RangeError(`hosts must be an integer from ${MIN_HOSTS} to ${MAX_HOSTS}, got ${hostCount}`);
  }
  const servers = Math.max(CORE_SERVERS.length, Math.round(hostCount * 0.06));
  const dmz = Math.min(40, DMZ_SERVERS.length + Math.round(hostCount * 0.005));
  const vpn = Math.round(hostCount * 0.15);
  const workstations = hostCount - servers - dmz - vpn;
  const branch = Math.round(workstations * 0.25);
  return { servers, dmz, vpn, hq: workstations - branch, branch };
}

/** Hands out host addresses of a subnet in order, skipping each /24's network, gateway (.1) and broadcast addresses. */
class AddressPool {
  private readonly range: Ipv4Range;
  private offset: number;

  constructor(cidr: string, firstHostOctet = 2) {
    this.range = parseIpv4Range(cidr);
    this.offset = firstHostOctet;
  }

  next(): string {
    while ((this.offset & 255) < 2 || (this.offset & 255) === 255) this.offset++;
    if (this.offset >= this.range.size) throw new RangeError(`subnet ${this.range.cidr} has no addresses left`);
    return numberToIpv4(this.range.first + this.offset++);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function browserFor(os: OperatingSystem, dice: Dice): string {
  const family = BROWSER_AGENTS.find((f) => f.os === os);
  if (!family) throw new Error(`no browser agents for ${os}`);
  return dice.pick(family.agents);
}

/** Builds the enterprise for a host count; the same dice give the same network. */
export function buildNetwork(hostCount: number, dice: Dice): Network {
  const mix = hostMix(hostCount);
  const hosts: Host[] = [];
  const add = (host: Omit<Host, 'index' | 'browserAgent'>): Host => {
    const full: Host = { ...host, index: hosts.length, browserAgent: browserFor(host.os, dice) };
    hosts.push(full);
    return full;
  };
  const serverHours = { activity: 1, dayStart: 0, dayEnd: 24, onOvernight: true, admin: false };

  const serverPool = new AddressPool('10.1.0.0/22', 10);
  for (let i = 0; i < mix.servers; i++) {
    const core = CORE_SERVERS[i];
    const os: OperatingSystem = core ? core[2] : dice.chance(0.6) ? 'linux' : 'windows';
    const name = core ? core[1] : `srv${String(i - CORE_SERVERS.length + 1).padStart(3, '0')}`;
    add({ ...serverHours, ip: serverPool.next(), name: `${name}.${INTERNAL_DOMAIN}`, subnet: 'servers', role: 'server', duty: core ? core[0] : 'general', os, activity: dice.logNormal(1, 0.5) });
  }

  const dmzPool = new AddressPool('172.16.1.0/24', 10);
  for (let i = 0; i < mix.dmz; i++) {
    const fixed = DMZ_SERVERS[i];
    const name = fixed ? fixed[1] : `web${String(i - DMZ_SERVERS.length + 2).padStart(2, '0')}`;
    add({ ...serverHours, ip: dmzPool.next(), name: `${name}.${INTERNAL_DOMAIN}`, subnet: 'dmz', role: 'dmz', duty: fixed ? fixed[0] : 'web', os: 'linux' });
  }

  const office = (subnet: string, pool: AddressPool, count: number, prefix: string) => {
    for (let i = 0; i < count; i++) {
      const draw = dice.next();
      const os: OperatingSystem = draw < 0.75 ? 'windows' : draw < 0.9 ? 'macos' : 'linux';
      const dayStart = clamp(8.3 + 0.8 * dice.normal(), 6, 11);
      add({
        ip: pool.next(),
        name: `${prefix}-${String(i + 1).padStart(4, '0')}.${INTERNAL_DOMAIN}`,
        subnet,
        role: 'workstation',
        os,
        activity: dice.logNormal(1, 0.6),
        dayStart,
        dayEnd: clamp(dayStart + 8.8 + 0.9 * dice.normal(), dayStart + 4, 22),
        onOvernight: dice.chance(0.3),
        admin: dice.chance(0.05),
      });
    }
  };
  office('workstations-hq', new AddressPool('10.10.0.0/20', 10), mix.hq, 'ws-hq');
  office('workstations-branch', new AddressPool('10.20.0.0/22', 10), mix.branch, 'ws-br');

  const vpnPool = new AddressPool('10.200.0.0/22', 10);
  for (let i = 0; i < mix.vpn; i++) {
    const dayStart = dice.uniform(7, 11);
    add({
      ip: vpnPool.next(),
      name: `vpn-${String(i + 1).padStart(4, '0')}.${INTERNAL_DOMAIN}`,
      subnet: 'vpn',
      role: 'vpn-client',
      os: dice.chance(0.8) ? 'windows' : 'macos',
      activity: dice.logNormal(0.8, 0.6),
      dayStart,
      dayEnd: clamp(dayStart + dice.uniform(6, 12), dayStart + 4, 23.5),
      onOvernight: false,
      admin: dice.chance(0.05),
    });
  }

  const duties: ServerDuty[] = ['resolver', 'domain-controller', 'file-server', 'mail', 'intranet', 'database', 'app', 'backup', 'monitoring', 'general', 'web', 'mail-relay', 'vpn-gateway', 'ssh-bastion'];
  const servers = Object.fromEntries(duties.map((duty) => [duty, hosts.filter((h) => h.duty === duty)])) as Record<ServerDuty, Host[]>;
  const clients = hosts.filter((h) => h.role === 'workstation' || h.role === 'vpn-client');
  return { subnets: SUBNETS, hosts, servers, clients, exporter: FLOW_EXPORTER, domain: INTERNAL_DOMAIN };
}

/** The only server of a duty the network always has one of (mail, intranet, backup, ...). */
export function serverOf(network: Network, duty: ServerDuty): Host {
  const host = network.servers[duty][0];
  if (!host) throw new Error(`the network has no ${duty} server`);
  return host;
}
