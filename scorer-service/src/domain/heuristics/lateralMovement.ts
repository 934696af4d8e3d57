import { WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';
import { IpRangeSet } from '../ipRanges';

/** Services an intruder moves through: SSH, RPC, NetBIOS session and SMB (PsExec), RDP, WinRM over HTTP and HTTPS. */
export const ADMIN_SERVICE_PORTS: readonly number[] = [22, 135, 139, 445, 3389, 5985, 5986];

/** The private ranges: RFC 1918 for IPv4, RFC 4193 unique-local addresses for IPv6. */
export const PRIVATE_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

export interface LateralMovementOptions {
  /** Distinct internal hosts one source first reaches on admin services within `spanMinutes` that make a spread. */
  minDestinations: number;
  /** The span the first contacts must fall in: an intruder moves host to host in minutes, an administrator over a day. */
  spanMinutes: number;
  /**
   * Share of all the hosts the source reaches on admin services in the window that it first reaches inside that
   * span: a burst of new peers, not a steady fan-out (a backup server pulling from every server all night, an
   * administrator's sessions through the day).
   */
  minBurstShare: number;
  /**
   * A service (host and port) that this many distinct internal sources reach in the window is shared (a file
   * server, a domain controller) and says nothing about who reaches it.
   */
  minSharedSources: number;
  /** Host:port pairs remembered per source before counting stops (bounds memory; the evidence says so). */
  maxTracked: number;
}

export const LATERAL_MOVEMENT_DEFAULTS: Readonly<LateralMovementOptions> = Object.freeze({
  minDestinations: 4,
  spanMinutes: 30,
  minBurstShare: 0.6,
  minSharedSources: 5,
  maxTracked: 512,
});

export interface LateralMovementEvidence extends Evidence {
  /** Hosts first reached on admin services inside the busiest span. */
  destinations: number;
  /** Hosts reached on admin services in the whole window, shared services left out. */
  peers: number;
  /** Of `destinations`, those reached on two or more admin services (a copy over SMB, then RPC or WinRM to run it). */
  multiServiceDestinations: number;
  /** Admin service ports used on the burst's hosts, as a list (`135 445 5985`). */
  ports: string;
  /** Minutes between the first and the last new host of the burst. */
  minutes: number;
  /** Epoch milliseconds of the burst's first and last new host. */
  burstStart: number;
  burstEnd: number;
  /** Shared services (file servers, domain controllers) the source reached and that were left out. */
  sharedServices: number;
  /** The burst's hosts, space-separated: which conversations carry the hit. */
  hosts: string;
  capped: boolean;
}

/** The verdict on one source's figures; undefined when they do not make a spread. */
export function judgeLateralMovement(source: string, e: LateralMovementEvidence, o: LateralMovementOptions): HeuristicHit<LateralMovementEvidence> | undefined {
  if (e.destinations < o.minDestinations || e.destinations / e.peers < o.minBurstShare) return undefined;
  return {
    heuristic: 'lateral-movement',
    subject: source,
    reason:
      `${e.destinations} internal hosts first reached on admin services (ports ${e.ports}) within ${e.minutes.toFixed(1)} min, ` +
      `${e.destinations} of the ${e.peers}${e.capped ? '+' : ''} it reaches on them all window; ${e.multiServiceDestinations} on two or more services`,
    evidence: e,
  };
}

interface SourceState {
  /** First contact time (epoch ms) per `host|port` on an admin service. */
  firstContact: Map<string, number>;
  saturated: boolean;
}

interface Burst {
  start: number;
  end: number;
  hosts: Set<string>;
}

/**
 * An internal host opening sessions with several internal hosts it had not touched on admin services (SMB, RPC,
 * RDP, WinRM, SSH) in a burst: an intruder spreading with stolen credentials. Shared services everyone reaches are left out,
 * and a source whose admin contacts are spread over the window (a backup or management server, an administrator)
 * does not fire. Order-free: each contact keeps its earliest time, so a window read in storage order gives the
 * same verdict as one read in time order.
 */
export class LateralMovementDetector extends WindowDetector<FlowHeuristicInput, SourceState, LateralMovementEvidence, LateralMovementOptions> {
  private readonly adminPorts: ReadonlySet<number>;
  private readonly internal: IpRangeSet;
  /** Distinct sources per `host|port`, up to minSharedSources: which services are shared. */
  private readonly sourcesOf = new Map<string, Set<string>>();
  /** The hosts of each hit's burst, read once from its evidence (also for verdicts adopted from another process). */
  private readonly burstHosts = new WeakMap<HeuristicHit<LateralMovementEvidence>, ReadonlySet<string>>();

  constructor(options?: Partial<LateralMovementOptions>, internalRanges: readonly string[] = PRIVATE_RANGES, adminPorts: readonly number[] = ADMIN_SERVICE_PORTS) {
    super(LATERAL_MOVEMENT_DEFAULTS, options, 'lateral movement');
    this.adminPorts = new Set(adminPorts);
    this.internal = new IpRangeSet(internalRanges, 'lateral movement: internal range');
  }

  isInternal(ip: string): boolean {
    return this.internal.contains(ip);
  }

  /**
   * A flow that carried data: an intruder's step is a session (files copied, a command run), while a scanner's
   * probes of the same ports carry nothing and are the port-scan heuristic's.
   */
  private isSession(flow: FlowHeuristicInput): boolean {
    return flow.packets > 3 || flow.bytes > flow.packets * 80;
  }

  protected keyOf(flow: FlowHeuristicInput): string | undefined {
    if (!this.adminPorts.has(flow.dport) || this.adminPorts.has(flow.sport) || !this.isSession(flow)) return undefined;
    return flow.srcIp !== flow.dstIp && this.isInternal(flow.srcIp) && this.isInternal(flow.dstIp) ? flow.srcIp : undefined;
  }

  /** The target's side of the conversation: a flow from an admin port back to an internal client. */
  protected override replyKeyOf(flow: FlowHeuristicInput): string | undefined {
    return this.adminPorts.has(flow.sport) && !this.adminPorts.has(flow.dport) ? flow.dstIp : undefined;
  }

  protected createState(): SourceState {
    return { firstContact: new Map(), saturated: false };
  }

  protected update(state: SourceState, flow: FlowHeuristicInput): void {
    const service = `${flow.dstIp}|${flow.dport}`;
    const seen = state.firstContact.get(service);
    if (seen !== undefined) {
      if (flow.timestamp < seen) state.firstContact.set(service, flow.timestamp);
    } else if (state.firstContact.size < this.options.maxTracked) {
      state.firstContact.set(service, flow.timestamp);
    } else {
      state.saturated = true;
    }
    let sources = this.sourcesOf.get(service);
    if (sources === undefined) {
      sources = new Set();
      this.sourcesOf.set(service, sources);
    }
    if (sources.size < this.options.minSharedSources) sources.add(flow.srcIp);
  }

  protected judge(source: string, s: SourceState): HeuristicHit<LateralMovementEvidence> | undefined {
    const firstByHost = new Map<string, number>();
    const portsByHost = new Map<string, number[]>();
    let sharedServices = 0;
    for (const [service, time] of s.firstContact) {
      if ((this.sourcesOf.get(service)?.size ?? 0) >= this.options.minSharedSources) {
        sharedServices++;
        continue;
      }
      const cut = service.lastIndexOf('|');
      const host = service.slice(0, cut);
      firstByHost.set(host, Math.min(time, firstByHost.get(host) ?? Infinity));
      portsByHost.set(host, [...(portsByHost.get(host) ?? []), Number(service.slice(cut + 1))]);
    }
    const burst = busiestSpan(firstByHost, this.options.spanMinutes * 60_000);
    if (burst === undefined) return undefined;
    const ports = new Set<number>();
    let multiService = 0;
    for (const host of burst.hosts) {
      const used = portsByHost.get(host) ?? [];
      for (const port of used) ports.add(port);
      if (used.length >= 2) multiService++;
    }
    const evidence: LateralMovementEvidence = {
      destinations: burst.hosts.size,
      peers: firstByHost.size,
      multiServiceDestinations: multiService,
      ports: [...ports].sort((a, b) => a - b).join(' '),
      minutes: (burst.end - burst.start) / 60_000,
      burstStart: burst.start,
      burstEnd: burst.end,
      sharedServices,
      hosts: [...burst.hosts].join(' '),
      capped: s.saturated,
    };
    return judgeLateralMovement(source, evidence, this.options);
  }

  /** Only the conversations with the burst's hosts carry the hit, not the source's use of shared services. */
  override tagsFor(flow: FlowHeuristicInput): HeuristicHit<LateralMovementEvidence>[] {
    return super.tagsFor(flow).filter((hit) => {
      let hosts = this.burstHosts.get(hit);
      if (hosts === undefined) {
        hosts = new Set(hit.evidence.hosts.split(' '));
        this.burstHosts.set(hit, hosts);
      }
      return hosts.has(flow.srcIp === hit.subject ? flow.dstIp : flow.srcIp);
    });
  }
}

/** The span of at most `spanMs` holding the most first contacts; undefined when there are none. */
function busiestSpan(firstByHost: ReadonlyMap<string, number>, spanMs: number): Burst | undefined {
  const contacts = [...firstByHost].sort((a, b) => a[1] - b[1]);
  if (contacts.length === 0) return undefined;
  let best = { from: 0, to: 0 };
  let from = 0;
  for (let to = 0; to < contacts.length; to++) {
    while (contacts[to][1] - contacts[from][1] > spanMs) from++;
    if (to - from > best.to - best.from) best = { from, to };
  }
  const chosen = contacts.slice(best.from, best.to + 1);
  return { start: chosen[0][1], end: chosen[chosen.length - 1][1], hosts: new Set(chosen.map(([host]) => host)) };
}
