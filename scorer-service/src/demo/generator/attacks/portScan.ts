import type { Dice } from '../random';
import { FLAGS_SYN_ACK, refusedConnection, type FlowRecord } from '../records';
import type { AttackRecords } from './common';

export interface PortScanParams {
  scanner: string;
  targets: readonly string[];
  ports: readonly number[];
  start: number;
  /** Mean time between probes (a SYN scan at a polite rate). */
  probeGapMicros: number;
  /** Which target:port pairs are listening (answered with SYN-ACK). */
  isOpen: (target: string, port: number) => boolean;
  /** Share of closed ports that answer with a RST; the rest are filtered and stay silent. */
  answerRate: number;
  /** The scanner keeps one source port for the whole scan, as nmap's SYN scan does. */
  sourcePort: number;
}

/**
 * A TCP SYN scan of every port in `ports` on every target, in shuffled order: one SYN per probe, a SYN-ACK from
 * open ports (reset by the scanner's kernel), a RST from closed ones, silence from filtered ones.
 */
export function* portScan(p: PortScanParams, dice: Dice): AttackRecords {
  const attack = 'port-scan';
  const probes = p.targets.length * p.ports.length;
  // Visit target x port pairs in a random order without building the list: a stride coprime with the count.
  let stride = 1 + dice.nextInt(Math.max(1, probes - 1));
  while (gcd(stride, probes) !== 1) stride++;
  let index = dice.nextInt(probes);
  let time = p.start;
  for (let i = 0; i < probes; i++) {
    const target = p.targets[index % p.targets.length];
    const port = p.ports[Math.floor(index / p.targets.length)];
    if (p.isOpen(target, port)) {
      // The SYN and the scanner's RST after the SYN-ACK share a 5-tuple, so the exporter reports them as one flow.
      const syn: FlowRecord = {
        kind: 'flow', time, durationMicros: 500, sourceIp: p.scanner, destinationIp: target, sourcePort: p.sourcePort,
        destinationPort: port, transport: 'TCP', flags: '.....RS.', packets: 2, bytes: 84, attack,
      };
      yield syn;
      yield { ...syn, time: time + 400, sourceIp: target, destinationIp: p.scanner, sourcePort: port, destinationPort: p.sourcePort, flags: FLAGS_SYN_ACK, packets: 1, bytes: 44 };
    } else {
      yield* refusedConnection(time, p.scanner, p.sourcePort, target, port, dice.chance(p.answerRate), attack);
    }
    time += Math.max(1, Math.round(dice.exponential(p.probeGapMicros)));
    index = (index + stride) % probes;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
