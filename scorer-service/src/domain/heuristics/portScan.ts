import { CappedSet, WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';

export interface PortScanOptions {
  /**
   * Distinct destination host:port pairs one source probed and never exchanged data with that make a scan. A pair
   * counts once however often it is retried, so a client hammering one dead server is not a scanner, while a sweep
   * of a /27 on one port or 30 ports of one host is. On the labelled captures (docs/evaluation.md, section E) no
   * benign source probes even 10 pairs; the internet's scanners in the Stratosphere captures probe 10 to 800.
   */
  minProbedPairs: number;
  /** A flow of at most this many packets can be a probe (a SYN and a reset, a lone datagram). */
  maxProbePackets: number;
  /** ... and of at most this many bytes per packet over TCP: headers only (40-60 bytes, 80 over IPv6), no payload. */
  maxProbeBytesPerPacket: number;
  /**
   * ... and over UDP, ICMP and the rest: an empty datagram or a bare echo (28-48 bytes), not a name lookup. A
   * datagram between two unprivileged ports counts whatever its size: scanners for SIP and other UDP services
   * send a real request to each port, while lookups, time and SNMP go to privileged ones and answers come from them.
   */
  maxDatagramProbeBytesPerPacket: number;
  /**
   * Share of the source's distinct pairs that must be probed-only: a scan is most of what the scanner reaches,
   * while a client of many services exchanges data with most of the pairs it tries.
   */
  minProbeShare: number;
  /** Distinct pairs remembered per source before counting stops (bounds memory; the evidence says so). */
  maxTracked: number;
}

export const PORT_SCAN_DEFAULTS: Readonly<PortScanOptions> = Object.freeze({
  minProbedPairs: 30,
  maxProbePackets: 3,
  maxProbeBytesPerPacket: 80,
  maxDatagramProbeBytesPerPacket: 48,
  minProbeShare: 0.5,
  maxTracked: 4096,
});

export interface PortScanEvidence extends Evidence {
  flows: number;
  probes: number;
  /** Distinct host:port pairs with probes and no flow carrying data. */
  probedPairs: number;
  /** Distinct host:port pairs with a flow carrying data. */
  dataPairs: number;
  /** Distinct destination ports and hosts among the probed pairs. */
  distinctPorts: number;
  distinctHosts: number;
  /** The counts stopped at maxTracked: the true figures are at least these. */
  capped: boolean;
}

/** A vertical scan tries many ports of few hosts, a horizontal one few ports of many hosts, a block both. */
function scanKind(e: PortScanEvidence): string {
  if (e.distinctHosts <= 2) return 'vertical';
  if (e.distinctPorts <= 2) return 'horizontal';
  return 'block';
}

/** The verdict on one source's figures; undefined when they do not make a scan. */
export function judgePortScan(source: string, e: PortScanEvidence, o: PortScanOptions): HeuristicHit<PortScanEvidence> | undefined {
  if (e.probedPairs < o.minProbedPairs || e.probedPairs / (e.probedPairs + e.dataPairs) < o.minProbeShare) return undefined;
  const plus = e.capped ? '+' : '';
  return {
    heuristic: 'port-scan',
    subject: source,
    reason:
      `${scanKind(e)} scan: ${e.probedPairs}${plus} host:port pairs probed without a data exchange ` +
      `(${e.distinctPorts}${plus} ports on ${e.distinctHosts}${plus} hosts; ${e.dataPairs}${plus} pairs exchanged data), ` +
      `${e.probes} of ${e.flows} flows are probes`,
    evidence: e,
  };
}

interface SourceState {
  flows: number;
  probes: number;
  probedPairs: CappedSet<string>;
  dataPairs: CappedSet<string>;
}

/**
 * One source probing many host:port pairs it never exchanges data with: SYNs that get a reset or nothing,
 * empty datagrams. Flows from a service port to an ephemeral one are answers, not counted for their source: a busy
 * server answers many client ports without scanning anyone.
 */
export class PortScanDetector extends WindowDetector<FlowHeuristicInput, SourceState, PortScanEvidence, PortScanOptions> {
  constructor(options?: Partial<PortScanOptions>) {
    super(PORT_SCAN_DEFAULTS, options, 'port scan');
  }

  /** Headers only (no payload went either way in this flow), or a lone datagram to an unprivileged port. */
  isProbe(flow: FlowHeuristicInput): boolean {
    if (flow.packets > this.options.maxProbePackets) return false;
    if (flow.proto.toUpperCase() === 'TCP') return flow.bytes <= Math.max(1, flow.packets) * this.options.maxProbeBytesPerPacket;
    return (flow.sport >= 1024 && flow.dport >= 1024) || flow.bytes <= Math.max(1, flow.packets) * this.options.maxDatagramProbeBytesPerPacket;
  }

  protected keyOf(flow: FlowHeuristicInput): string | undefined {
    const answer = (flow.sport > 0 && flow.sport < 1025 && flow.dport >= 1025) || (flow.sport > 0 && flow.sport < 32768 && flow.dport >= 32768);
    return answer ? undefined : flow.srcIp;
  }

  /** A probe-sized flow back to a scanner is a target answering a probe (SYN-ACK, RST, ICMP unreachable). */
  protected override replyKeyOf(flow: FlowHeuristicInput): string | undefined {
    return this.isProbe(flow) ? flow.dstIp : undefined;
  }

  /** Only the probes and the answers to them carry the hit, not the scanner's ordinary traffic. */
  override tagsFor(flow: FlowHeuristicInput): HeuristicHit<PortScanEvidence>[] {
    return this.isProbe(flow) ? super.tagsFor(flow) : [];
  }

  protected createState(): SourceState {
    return { flows: 0, probes: 0, probedPairs: new CappedSet(this.options.maxTracked), dataPairs: new CappedSet(this.options.maxTracked) };
  }

  protected update(state: SourceState, flow: FlowHeuristicInput): void {
    state.flows++;
    const pair = `${flow.dstIp}|${flow.dport}`;
    if (this.isProbe(flow)) {
      state.probes++;
      state.probedPairs.add(pair);
    } else {
      state.dataPairs.add(pair);
    }
  }

  protected judge(source: string, s: SourceState): HeuristicHit<PortScanEvidence> | undefined {
    // A pair that also carried data is a service the source uses (a retried connection, a keep-alive), not a probe.
    const ports = new Set<string>();
    const hosts = new Set<string>();
    let probedPairs = 0;
    for (const pair of s.probedPairs) {
      if (s.dataPairs.has(pair)) continue;
      probedPairs++;
      const cut = pair.lastIndexOf('|');
      hosts.add(pair.slice(0, cut));
      ports.add(pair.slice(cut + 1));
    }
    const evidence: PortScanEvidence = {
      flows: s.flows,
      probes: s.probes,
      probedPairs,
      dataPairs: s.dataPairs.size,
      distinctPorts: ports.size,
      distinctHosts: hosts.size,
      capped: s.probedPairs.saturated || s.dataPairs.saturated,
    };
    return judgePortScan(source, evidence, this.options);
  }
}
