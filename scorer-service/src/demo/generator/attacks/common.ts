import type { Dice } from '../random';
import { dnsLookup, proxyRecord, tcpConnection, type DayRecord, type DnsRecord, type FlowRecord, type WebRequest } from '../records';

/** The attacks the generator can inject, by the name the labels carry. */
export const ATTACK_NAMES = [
  'port-scan',
  'ssh-brute-force',
  'beaconing-c2',
  'dns-tunnelling',
  'dga',
  'slow-exfiltration',
  'lateral-movement',
] as const;

export type AttackName = (typeof ATTACK_NAMES)[number];

export type AttackRecords = Generator<DayRecord, void, undefined>;

/** Source ports of one attacking process: consecutive, wrapping inside the dynamic range. */
export class PortSequence {
  constructor(
    private next: number,
    private readonly low = 49152,
    private readonly high = 65535,
  ) {
    if (next < low || next > high) throw new RangeError(`first port ${next} is outside ${low}-${high}`);
  }

  take(): number {
    const port = this.next;
    this.next = port >= this.high ? this.low : port + 1;
    return port;
  }
}

export interface Answer {
  rcode: number;
  answers: readonly string[];
  ttls: readonly number[];
}

/**
 * One malicious process on a host: its address, its resolver, its run of source ports and the attack name
 * every record it makes is labelled with.
 */
export class AttackProcess {
  private readonly ports: PortSequence;

  constructor(
    readonly ip: string,
    private readonly resolver: string,
    firstSourcePort: number,
    private readonly dice: Dice,
    readonly attack: AttackName,
  ) {
    this.ports = new PortSequence(firstSourcePort, Math.min(firstSourcePort, 49152));
  }

  port(): number {
    return this.ports.take();
  }

  /** A lookup through the host's resolver: the dns.log line and its two UDP flows. */
  lookup(time: number, query: string, qtype: number, answer: Answer, rttMicros: number): [DnsRecord, FlowRecord, FlowRecord] {
    return dnsLookup({
      time,
      clientIp: this.ip,
      clientPort: this.ports.take(),
      resolverIp: this.resolver,
      transactionId: this.dice.nextInt(65536),
      rttMicros,
      query,
      qtype,
      ...answer,
      attack: this.attack,
    });
  }

  /** A completed TCP connection from a fresh source port. */
  connect(time: number, serverIp: string, serverPort: number, durationMicros: number, sentBytes: number, receivedBytes: number): [FlowRecord, FlowRecord] {
    return tcpConnection({ time, durationMicros, clientIp: this.ip, clientPort: this.ports.take(), serverIp, serverPort, sentBytes, receivedBytes, attack: this.attack });
  }

  /** One request through the web gateway on its own HTTPS connection: the connection's two flows, then the proxy record. */
  request(time: number, serverIp: string, request: WebRequest, durationMicros: number, elapsedMillis: number): DayRecord[] {
    const clientPort = this.ports.take();
    const flows = tcpConnection({
      time,
      durationMicros,
      clientIp: this.ip,
      clientPort,
      serverIp,
      serverPort: 443,
      sentBytes: 700 + request.userAgent.length + request.requestBytes,
      receivedBytes: 400 + request.responseBytes,
      attack: this.attack,
    });
    const handshake = Math.min(durationMicros, this.dice.between(30000, 120000));
    return [...flows, proxyRecord(request, time + handshake, this.ip, clientPort, serverIp, 443, elapsedMillis, this.attack)];
  }
}
