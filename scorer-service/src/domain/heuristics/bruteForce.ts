import { resolveOptions, WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';

/** Ports of services people log in to (FTP, SSH, Telnet, mail, LDAP, SMB, databases, RDP, VNC). */
export const LOGIN_SERVICE_PORTS: readonly number[] = [
  21, 22, 23, 25, 110, 143, 389, 445, 465, 587, 993, 995, 1433, 1521, 3306, 3389, 5432, 5900, 5985, 5986,
];

export interface BruteForceOptions {
  /** Connections from one source to one service on one host that make an attack. */
  minAttempts: number;
  /** A connection of at most this many packets is one login attempt rather than a working session. */
  maxAttemptPackets: number;
  /** Share of the connections that must be attempt-sized. */
  minAttemptShare: number;
}

export const BRUTE_FORCE_DEFAULTS: Readonly<BruteForceOptions> = Object.freeze({
  minAttempts: 20,
  maxAttemptPackets: 60,
  minAttemptShare: 0.8,
});

export interface BruteForceEvidence extends Evidence {
  connections: number;
  attempts: number;
  meanPackets: number;
  meanBytes: number;
}

export function judgeBruteForce(subject: string, e: BruteForceEvidence, o: BruteForceOptions): HeuristicHit<BruteForceEvidence> | undefined {
  if (e.attempts < o.minAttempts || e.attempts / e.connections < o.minAttemptShare) return undefined;
  return {
    heuristic: 'brute-force',
    subject,
    reason: `${e.attempts} short connections (<= ${o.maxAttemptPackets} packets, mean ${e.meanPackets.toFixed(1)}) of ${e.connections} to one login service`,
    evidence: e,
  };
}

interface ServiceState {
  connections: number;
  attempts: number;
  packets: number;
  bytes: number;
}

/** Many short connections from one source to one login service on one host. */
export class BruteForceDetector extends WindowDetector<FlowHeuristicInput, ServiceState, BruteForceEvidence, BruteForceOptions> {
  private readonly servicePorts: ReadonlySet<number>;

  constructor(options?: Partial<BruteForceOptions>, servicePorts: readonly number[] = LOGIN_SERVICE_PORTS) {
    super(BRUTE_FORCE_DEFAULTS, options, 'brute force');
    this.servicePorts = new Set(servicePorts);
  }

  protected keyOf(flow: FlowHeuristicInput): string | undefined {
    return this.servicePorts.has(flow.dport) ? `${flow.srcIp} -> ${flow.dstIp}:${flow.dport}/${flow.proto}` : undefined;
  }

  protected override replyKeyOf(flow: FlowHeuristicInput): string | undefined {
    return this.servicePorts.has(flow.sport) ? `${flow.dstIp} -> ${flow.srcIp}:${flow.sport}/${flow.proto}` : undefined;
  }

  protected createState(): ServiceState {
    return { connections: 0, attempts: 0, packets: 0, bytes: 0 };
  }

  protected update(state: ServiceState, flow: FlowHeuristicInput): void {
    state.connections++;
    state.packets += flow.packets;
    state.bytes += flow.bytes;
    if (flow.packets <= this.options.maxAttemptPackets) state.attempts++;
  }

  protected judge(subject: string, s: ServiceState): HeuristicHit<BruteForceEvidence> | undefined {
    const evidence = { connections: s.connections, attempts: s.attempts, meanPackets: s.packets / s.connections, meanBytes: s.bytes / s.connections };
    return judgeBruteForce(subject, evidence, this.options);
  }
}
