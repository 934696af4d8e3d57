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
  /**
   * Guessing repeats one exchange, so its connections are near-identical in size: at most this coefficient of
   * variation of the bytes (the demo's and CIC-IDS2018's SSH guessing: 0.01-0.1) ...
   */
  maxBytesCv: number;
  /**
   * ... or it comes in a burst: at least this share of the connections within `burstMinutes`. An application's
   * sessions with its database are neither (sizes vary 0.6-0.75 with the work done, spread over the whole day).
   */
  minBurstShare: number;
  burstMinutes: number;
  /** Connection times remembered per service for the burst (bounds memory; past it the share is of those kept). */
  maxTracked: number;
}

export const BRUTE_FORCE_DEFAULTS: Readonly<BruteForceOptions> = Object.freeze({
  minAttempts: 20,
  maxAttemptPackets: 60,
  minAttemptShare: 0.8,
  maxBytesCv: 0.5,
  minBurstShare: 0.8,
  burstMinutes: 60,
  maxTracked: 4096,
});

export interface BruteForceEvidence extends Evidence {
  connections: number;
  attempts: number;
  meanPackets: number;
  meanBytes: number;
  /** Standard deviation of the connections' bytes over their mean. */
  bytesCv: number;
  /** Share of the connections (of those remembered) inside the busiest `burstMinutes`. */
  burstShare: number;
}

export function judgeBruteForce(subject: string, e: BruteForceEvidence, o: BruteForceOptions): HeuristicHit<BruteForceEvidence> | undefined {
  if (e.attempts < o.minAttempts || e.attempts / e.connections < o.minAttemptShare) return undefined;
  const alike = e.bytesCv <= o.maxBytesCv;
  const burst = e.burstShare >= o.minBurstShare;
  if (!alike && !burst) return undefined;
  const how = [
    alike ? `near-identical in size (coefficient of variation ${e.bytesCv.toFixed(2)})` : '',
    burst ? `${Math.round(100 * e.burstShare)} % within ${o.burstMinutes} min` : '',
  ].filter((part) => part !== '');
  return {
    heuristic: 'brute-force',
    subject,
    reason: `${e.attempts} short connections (<= ${o.maxAttemptPackets} packets, mean ${e.meanPackets.toFixed(1)}) of ${e.connections} to one login service, ${how.join(', ')}`,
    evidence: e,
  };
}

interface ServiceState {
  connections: number;
  attempts: number;
  packets: number;
  bytes: number;
  /** Sum of squared bytes, for the spread of the sizes. */
  bytesSquared: number;
  times: number[];
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
    return { connections: 0, attempts: 0, packets: 0, bytes: 0, bytesSquared: 0, times: [] };
  }

  protected update(state: ServiceState, flow: FlowHeuristicInput): void {
    state.connections++;
    state.packets += flow.packets;
    state.bytes += flow.bytes;
    state.bytesSquared += flow.bytes * flow.bytes;
    if (state.times.length < this.options.maxTracked) state.times.push(flow.timestamp);
    if (flow.packets <= this.options.maxAttemptPackets) state.attempts++;
  }

  protected judge(subject: string, s: ServiceState): HeuristicHit<BruteForceEvidence> | undefined {
    const meanBytes = s.bytes / s.connections;
    const variance = Math.max(0, s.bytesSquared / s.connections - meanBytes * meanBytes);
    const evidence = {
      connections: s.connections,
      attempts: s.attempts,
      meanPackets: s.packets / s.connections,
      meanBytes,
      bytesCv: meanBytes > 0 ? Math.sqrt(variance) / meanBytes : 0,
      burstShare: busiestShare(s.times, this.options.burstMinutes * 60_000),
    };
    return judgeBruteForce(subject, evidence, this.options);
  }
}

/** The largest share of `times` inside any span of `spanMs` (order-free: the times are sorted first). */
function busiestShare(times: number[], spanMs: number): number {
  if (times.length === 0) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to] - sorted[from] > spanMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best / sorted.length;
}
