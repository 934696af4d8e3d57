/**
 * Attack heuristics. Feed a window's events to `FlowHeuristics` / `DnsHeuristics` in pass 1 (in time order, as
 * a window read sorted by @timestamp arrives), then ask `tagsFor(event)` in pass 2 for the hits to tag it with.
 */
import type { DnsRecord, FlowRecord } from '../words/fromEvents';
import { BeaconingDetector, type BeaconingOptions } from './beaconing';
import { BruteForceDetector, LOGIN_SERVICE_PORTS, type BruteForceOptions } from './bruteForce';
import { DgaDetector, DnsTunnellingDetector, longRandomSubdomain, type DgaOptions, type LongRandomSubdomainOptions, type TunnellingOptions } from './dns';
import { PortScanDetector, type PortScanOptions } from './portScan';
import type { DnsHeuristicInput, FlowHeuristicInput, HeuristicHit } from './types';

export * from './types';
export * from './portScan';
export * from './bruteForce';
export * from './beaconing';
export * from './dns';

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
}

export class FlowHeuristics {
  readonly portScan: PortScanDetector;
  readonly bruteForce: BruteForceDetector;
  readonly beaconing: BeaconingDetector;

  constructor(options: FlowHeuristicOptions = {}) {
    this.portScan = new PortScanDetector(options.portScan);
    this.bruteForce = new BruteForceDetector(options.bruteForce, options.servicePorts ?? LOGIN_SERVICE_PORTS);
    this.beaconing = new BeaconingDetector(options.beaconing);
  }

  add(flow: FlowHeuristicInput): void {
    this.portScan.add(flow);
    this.bruteForce.add(flow);
    this.beaconing.add(flow);
  }

  hits(): HeuristicHit[] {
    return [...this.portScan.hits(), ...this.bruteForce.hits(), ...this.beaconing.hits()];
  }

  tagsFor(flow: FlowHeuristicInput): HeuristicHit[] {
    return [...this.portScan.tagsFor(flow), ...this.bruteForce.tagsFor(flow), ...this.beaconing.tagsFor(flow)];
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

  constructor(private readonly options: DnsHeuristicOptions = {}) {
    this.tunnelling = new DnsTunnellingDetector(options.tunnelling);
    this.dga = new DgaDetector(options.dga);
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
    return [...this.tunnelling.tagsFor(query), ...this.dga.tagsFor(query), ...(single ? [single] : [])];
  }
}
