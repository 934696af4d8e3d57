import { CappedSet, resolveOptions, WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';

export interface PortScanOptions {
  /** Distinct destination ports from one source that make a vertical scan. */
  minDistinctPorts: number;
  /** Distinct destination hosts from one source that make a horizontal scan. */
  minDistinctHosts: number;
  /** A flow of at most this many packets is a probe (a SYN and a reset, a lone UDP datagram). */
  maxProbePackets: number;
  /** Share of the source's flows that must be probes: real clients of many hosts move data. */
  minProbeShare: number;
  /** Distinct ports / hosts remembered per source before counting stops (bounds memory; evidence says so). */
  maxTracked: number;
}

export const PORT_SCAN_DEFAULTS: Readonly<PortScanOptions> = Object.freeze({
  minDistinctPorts: 50,
  minDistinctHosts: 50,
  maxProbePackets: 3,
  minProbeShare: 0.8,
  maxTracked: 4096,
});

export interface PortScanEvidence extends Evidence {
  flows: number;
  probes: number;
  distinctPorts: number;
  distinctHosts: number;
  /** The counts stopped at maxTracked: the true figures are at least these. */
  capped: boolean;
}

/** The verdict on one source's figures; undefined when they do not make a scan. */
export function judgePortScan(source: string, e: PortScanEvidence, o: PortScanOptions): HeuristicHit<PortScanEvidence> | undefined {
  if (e.flows === 0 || e.probes / e.flows < o.minProbeShare) return undefined;
  const vertical = e.distinctPorts >= o.minDistinctPorts;
  const horizontal = e.distinctHosts >= o.minDistinctHosts;
  if (!vertical && !horizontal) return undefined;
  const kind = vertical && horizontal ? 'block' : vertical ? 'vertical' : 'horizontal';
  return {
    heuristic: 'port-scan',
    subject: source,
    reason:
      `${kind} scan: ${e.distinctPorts}${e.capped ? '+' : ''} destination ports on ${e.distinctHosts}${e.capped ? '+' : ''} hosts, ` +
      `${e.probes} of ${e.flows} flows are probes of <= ${o.maxProbePackets} packets`,
    evidence: e,
  };
}

interface SourceState {
  flows: number;
  probes: number;
  ports: CappedSet<number>;
  hosts: CappedSet<string>;
}

/**
 * One source reaching many ports or many hosts with probe-sized flows. Replies from a service port to an
 * ephemeral port are not counted: a busy server answers many client ports without scanning anyone.
 */
export class PortScanDetector extends WindowDetector<FlowHeuristicInput, SourceState, PortScanEvidence, PortScanOptions> {
  constructor(options?: Partial<PortScanOptions>) {
    super(PORT_SCAN_DEFAULTS, options, 'port scan');
  }

  protected keyOf(flow: FlowHeuristicInput): string | undefined {
    return flow.sport > 0 && flow.sport < 1025 && flow.dport >= 1025 ? undefined : flow.srcIp;
  }

  /** A probe-sized flow back to a scanner is a target answering a probe (SYN-ACK, RST, ICMP unreachable). */
  protected override replyKeyOf(flow: FlowHeuristicInput): string | undefined {
    return flow.packets <= this.options.maxProbePackets ? flow.dstIp : undefined;
  }

  protected createState(): SourceState {
    return { flows: 0, probes: 0, ports: new CappedSet(this.options.maxTracked), hosts: new CappedSet(this.options.maxTracked) };
  }

  protected update(state: SourceState, flow: FlowHeuristicInput): void {
    state.flows++;
    if (flow.packets <= this.options.maxProbePackets) state.probes++;
    state.ports.add(flow.dport);
    state.hosts.add(flow.dstIp);
  }

  protected judge(source: string, s: SourceState): HeuristicHit<PortScanEvidence> | undefined {
    const evidence: PortScanEvidence = {
      flows: s.flows,
      probes: s.probes,
      distinctPorts: s.ports.size,
      distinctHosts: s.hosts.size,
      capped: s.ports.saturated || s.hosts.saturated,
    };
    return judgePortScan(source, evidence, this.options);
  }
}
