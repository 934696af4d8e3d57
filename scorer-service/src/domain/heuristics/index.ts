/**
 * Attack heuristics. Feed a window's events to `FlowHeuristics` / `DnsHeuristics` in pass 1 (in time order, as
 * a window read sorted by @timestamp arrives), then ask `tagsFor(event)` in pass 2 for the hits to tag it with.
 */
import type { DnsRecord, FlowRecord, ProxyRecord } from '../words/fromEvents';
import { BeaconingDetector, type BeaconingOptions } from './beaconing';
import { BruteForceDetector, LOGIN_SERVICE_PORTS, type BruteForceOptions } from './bruteForce';
import { DgaDetector, DnsTunnellingDetector, longRandomSubdomain, type DgaOptions, type LongRandomSubdomainOptions, type TunnellingOptions } from './dns';
import { LateralMovementDetector, PRIVATE_RANGES, type LateralMovementOptions } from './lateralMovement';
import { PortScanDetector, type PortScanOptions } from './portScan';
import { eventStrength, DEFAULT_STRENGTH_THRESHOLDS, type StrengthThresholds } from './strength';
import type { DnsHeuristicInput, WindowHeuristic, FlowHeuristicInput, HeuristicHit } from './types';

export * from './types';
export * from './portScan';
export * from './bruteForce';
export * from './beaconing';
export * from './lateralMovement';
export * from './dns';
export * from './strength';

export function flowHeuristicInput(record: FlowRecord): FlowHeuristicInput {
  const { sport, dport, proto, bytes, packets } = record.word;
  return { srcIp: record.srcIp, dstIp: record.dstIp, sport, dport, proto, bytes, packets, timestamp: record.timestamp };
}

export function dnsHeuristicInput(record: DnsRecord): DnsHeuristicInput {
  return { clientIp: record.clientIp, queryName: record.word.queryName, timestamp: record.timestamp, responseCode: record.word.responseCode };
}

export interface FlowHeuristicOptions {
  portScan?: Partial<PortScanOptions>;
  bruteForce?: Partial<BruteForceOptions>;
  servicePorts?: readonly number[];
  beaconing?: Partial<BeaconingOptions>;
  lateralMovement?: Partial<LateralMovementOptions>;
  /** CIDR ranges of the network's own hosts, for lateral movement; the private ranges by default. */
  internalRanges?: readonly string[];
}

export class FlowHeuristics {
  readonly portScan: PortScanDetector;
  readonly bruteForce: BruteForceDetector;
  readonly beaconing: BeaconingDetector;
  readonly lateralMovement: LateralMovementDetector;

  private readonly thresholds: StrengthThresholds;
  /** The four detectors, in the order their hits are listed. */
  private readonly detectors: readonly WindowHeuristic<FlowHeuristicInput>[];

  constructor(options: FlowHeuristicOptions = {}) {
    this.portScan = new PortScanDetector(options.portScan);
    this.bruteForce = new BruteForceDetector(options.bruteForce, options.servicePorts ?? LOGIN_SERVICE_PORTS);
    this.beaconing = new BeaconingDetector(options.beaconing);
    this.lateralMovement = new LateralMovementDetector(options.lateralMovement, options.internalRanges ?? PRIVATE_RANGES);
    this.detectors = [this.portScan, this.bruteForce, this.beaconing, this.lateralMovement];
    this.thresholds = {
      ...DEFAULT_STRENGTH_THRESHOLDS,
      portScan: this.portScan.options,
      bruteForce: this.bruteForce.options,
      beaconing: this.beaconing.options,
      lateralMovement: this.lateralMovement.options,
    };
  }

  /** The heuristic evidence of a flow (`eventStrength` of its hits, judged by these detectors' thresholds). */
  strengthOf(hits: readonly HeuristicHit[]): number {
    return eventStrength(hits, this.thresholds);
  }

  add(flow: FlowHeuristicInput): void {
    for (const detector of this.detectors) detector.add(flow);
  }

  hits(): HeuristicHit[] {
    return this.detectors.flatMap((detector) => detector.hits());
  }

  tagsFor(flow: FlowHeuristicInput): HeuristicHit[] {
    const hits: HeuristicHit[] = [];
    for (const detector of this.detectors) {
      if (detector.leadsAVerdict(flow.srcIp) || detector.leadsAVerdict(flow.dstIp)) hits.push(...detector.tagsFor(flow));
    }
    return hits;
  }
}

/** A proxied request as the beaconing heuristic reads it: the client, and the host in place of a destination address. */
export function proxyHeuristicInput(record: ProxyRecord): FlowHeuristicInput {
  return { srcIp: record.clientIp, dstIp: record.word.host, sport: 0, dport: 0, proto: 'HTTP', bytes: 0, packets: 0, timestamp: record.timestamp };
}

/** Beaconing through a web proxy: one client requesting one host at regular intervals (an implant's check-in). */
class RequestBeaconingDetector extends BeaconingDetector {
  protected override keyOf(request: FlowHeuristicInput): string {
    return `${request.srcIp} -> ${request.dstIp}`;
  }

  protected override replyKeyOf(): undefined {
    return undefined;
  }
}

export interface ProxyHeuristicOptions {
  beaconing?: Partial<BeaconingOptions>;
}

export class ProxyHeuristics {
  readonly beaconing: BeaconingDetector;
  private readonly thresholds: StrengthThresholds;

  constructor(options: ProxyHeuristicOptions = {}) {
    this.beaconing = new RequestBeaconingDetector(options.beaconing);
    this.thresholds = { ...DEFAULT_STRENGTH_THRESHOLDS, beaconing: this.beaconing.options };
  }

  add(request: FlowHeuristicInput): void {
    this.beaconing.add(request);
  }

  hits(): HeuristicHit[] {
    return this.beaconing.hits();
  }

  tagsFor(request: FlowHeuristicInput): HeuristicHit[] {
    return this.beaconing.leadsAVerdict(request.srcIp) ? this.beaconing.tagsFor(request) : [];
  }

  strengthOf(hits: readonly HeuristicHit[]): number {
    return eventStrength(hits, this.thresholds);
  }
}

export interface DnsHeuristicOptions {
  tunnelling?: Partial<TunnellingOptions>;
  dga?: Partial<DgaOptions>;
  longRandomSubdomain?: LongRandomSubdomainOptions;
}

export class DnsHeuristics {
  readonly tunnelling: DnsTunnellingDetector;
  readonly dga: DgaDetector;

  private readonly thresholds: StrengthThresholds;

  constructor(private readonly options: DnsHeuristicOptions = {}) {
    this.tunnelling = new DnsTunnellingDetector(options.tunnelling);
    this.dga = new DgaDetector(options.dga);
    this.thresholds = {
      ...DEFAULT_STRENGTH_THRESHOLDS,
      tunnelling: this.tunnelling.options,
      dga: this.dga.options,
      longRandomSubdomain: options.longRandomSubdomain ?? DEFAULT_STRENGTH_THRESHOLDS.longRandomSubdomain,
    };
  }

  /** The heuristic evidence of a query (`eventStrength` of its hits, judged by these detectors' thresholds). */
  strengthOf(hits: readonly HeuristicHit[]): number {
    return eventStrength(hits, this.thresholds);
  }

  add(query: DnsHeuristicInput): void {
    this.tunnelling.add(query);
    this.dga.add(query);
  }

  hits(): HeuristicHit[] {
    return [...this.tunnelling.hits(), ...this.dga.hits()];
  }

  tagsFor(query: DnsHeuristicInput): HeuristicHit[] {
    const single = longRandomSubdomain(query, this.options.longRandomSubdomain);
    const hits: HeuristicHit[] = [];
    if (this.tunnelling.leadsAVerdict(query.clientIp)) hits.push(...this.tunnelling.tagsFor(query));
    if (this.dga.leadsAVerdict(query.clientIp)) hits.push(...this.dga.tagsFor(query));
    if (single) hits.push(single);
    return hits;
  }
}
