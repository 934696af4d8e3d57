import type { Dice } from '../random';
import { FLAGS_SYN_ACK, refusedConnection, type FlowRecord } from '../records';
import type { AttackRecords } from './common';

export interface PortScanParams {
  scanner: string;
  /**
   * Addresses swept for live hosts first, in order, as nmap's default host discovery does: a SYN to 443 and an ACK
   * to 80 for each. A live host answers the ACK with a RST and the SYN with a SYN-ACK or a RST; an unused address
   * stays silent.
   */
  sweep: readonly string[];
  /** Whether an address of the sweep holds a host. */
  isLive: (address: string) => boolean;
  /** Live hosts then scanned on every port of `ports`. */
  targets: readonly string[];
  ports: readonly number[];
  start: number;
  /** Mean time between probes (a SYN scan at a polite rate). */
  probeGapMicros: number;
  /** Which target:port pairs are listening (answered with SYN-ACK). */
  isOpen: (target: string, port: number) => boolean;
  /** Share of closed ports (and of discovery probes to live hosts) that answer with a RST; the rest are filtered and stay silent. */
  answerRate: number;
  /** The scanner keeps one source port for the whole port scan, as nmap's SYN scan does. */
  sourcePort: number;
  /** Source port of the discovery probes (nmap uses another one than the scan's). */
  discoverySourcePort: number;
}

/**
 * nmap's default run from a compromised host: host discovery over `sweep`, then a TCP SYN scan of every port in
 * `ports` on every target, in shuffled order: one SYN per probe, a SYN-ACK from open ports (reset by the scanner's
 * kernel), a RST from closed ones, silence from filtered ones.
 */
export function* portScan(p: PortScanParams, dice: Dice): AttackRecords {
  const attack = 'port-scan';
  let time = p.start;
  const gap = () => Math.max(1, Math.round(dice.exponential(p.probeGapMicros)));
  for (const address of p.sweep) {
    const live = p.isLive(address);
    yield* synProbe(time, p.scanner, p.discoverySourcePort, address, 443, live && p.isOpen(address, 443), live && dice.chance(p.answerRate), attack);
    time += gap();
    const ack: FlowRecord = {
      kind: 'flow', time, durationMicros: 0, sourceIp: p.scanner, destinationIp: address, sourcePort: p.discoverySourcePort,
      destinationPort: 80, transport: 'TCP', flags: '...A....', packets: 1, bytes: 40, attack,
    };
    yield ack;
    // A stray ACK gets a bare RST from a live host's stack, whatever its ports.
    if (live) yield { ...ack, time: time + 300, sourceIp: address, destinationIp: p.scanner, sourcePort: 80, destinationPort: p.discoverySourcePort, flags: '.....R..' };
    time += gap();
  }
  // The scan proper starts once discovery has waited out its timeouts.
  time += 1_500_000;
  const probes = p.targets.length * p.ports.length;
  if (probes === 0) return;
  // Visit target x port pairs in a random order without building the list: a stride coprime with the count.
  let stride = 1 + dice.nextInt(Math.max(1, probes - 1));
  while (gcd(stride, probes) !== 1) stride++;
  let index = dice.nextInt(probes);
  for (let i = 0; i < probes; i++) {
    const target = p.targets[index % p.targets.length];
    const port = p.ports[Math.floor(index / p.targets.length)];
    yield* synProbe(time, p.scanner, p.sourcePort, target, port, p.isOpen(target, port), dice.chance(p.answerRate), attack);
    time += gap();
    index = (index + stride) % probes;
  }
}

/** One SYN: open ports answer SYN-ACK (and the scanner's kernel resets), closed ones RST when `answered`, filtered ones nothing. */
function* synProbe(time: number, scanner: string, sourcePort: number, target: string, port: number, open: boolean, answered: boolean, attack: string): Generator<FlowRecord> {
  if (open) {
    // The SYN and the scanner's RST after the SYN-ACK share a 5-tuple, so the exporter reports them as one flow.
    const syn: FlowRecord = {
      kind: 'flow', time, durationMicros: 500, sourceIp: scanner, destinationIp: target, sourcePort,
      destinationPort: port, transport: 'TCP', flags: '.....RS.', packets: 2, bytes: 84, attack,
    };
    yield syn;
    yield { ...syn, time: time + 400, sourceIp: target, destinationIp: scanner, sourcePort: port, destinationPort: sourcePort, flags: FLAGS_SYN_ACK, packets: 1, bytes: 44 };
  } else {
    yield* refusedConnection(time, scanner, sourcePort, target, port, answered, attack);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
