import type { FlowEvent, Provenance } from '../../domain/events';

/** IANA protocol numbers of the transports flow sources name in words. */
const IANA_BY_NAME: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  ipv4: 4,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  'ipv6-icmp': 58,
  icmpv6: 58,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  l2tp: 115,
  sctp: 132,
};

const NAME_BY_IANA = new Map<number, string>([
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipv4'],
  [6, 'tcp'],
  [17, 'udp'],
  [41, 'ipv6'],
  [46, 'rsvp'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'ipv6-icmp'],
  [89, 'ospf'],
  [103, 'pim'],
  [112, 'vrrp'],
  [115, 'l2tp'],
  [132, 'sctp'],
]);

export interface Transport {
  transport?: string;
  iana_number?: string;
}

const transportCache = new Map<string, Transport>();

/**
 * ECS `network.transport` / `network.iana_number` from a protocol as sources write it: a name in any case
 * (`TCP`, `udp`, `ICMP6`) or a number (`6`). An unknown name is kept as its lower-case self.
 */
export function transportOf(protocol: string): Transport {
  const cached = transportCache.get(protocol);
  if (cached) return cached;
  const text = protocol.trim().toLowerCase();
  let result: Transport;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) {
    const number = Number(text);
    const name = NAME_BY_IANA.get(number);
    result = name ? { transport: name, iana_number: String(number) } : { iana_number: String(number) };
  } else {
    const number = IANA_BY_NAME[text];
    result = number === undefined ? { transport: text } : { transport: text === 'icmp6' || text === 'icmpv6' ? 'ipv6-icmp' : text, iana_number: String(number) };
  }
  // Protocol values are few; the bound only guards against a file full of garbage protocol names.
  if (transportCache.size < 1024) transportCache.set(protocol, result);
  return result;
}

export interface FlowFields {
  timestamp: string;
  end?: string;
  durationNs?: number;
  sourceIp: string;
  sourcePort?: number;
  sourceBytes?: number;
  sourcePackets?: number;
  destinationIp: string;
  destinationPort?: number;
  destinationBytes?: number;
  destinationPackets?: number;
  protocol?: Transport;
  /** Total bytes / packets when the source gives only totals (Argus). Otherwise the sum of both sides. */
  totalBytes?: number;
  totalPackets?: number;
  tcpFlags?: number;
  exporter?: string;
  action?: string;
  features?: Record<string, number>;
  tags?: string[];
}

function sumIfBoth(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

/** The ECS flow document every flow decoder emits; absent values stay absent rather than becoming zeros. */
export function buildFlowEvent(fields: FlowFields, provenance: Provenance): FlowEvent {
  const event: FlowEvent['event'] = {
    kind: 'event',
    category: ['network'],
    type: ['connection'],
    dataset: 'spothreat.flow',
    start: fields.timestamp,
  };
  if (fields.end !== undefined) event.end = fields.end;
  if (fields.durationNs !== undefined) event.duration = fields.durationNs;
  if (fields.action !== undefined) event.action = fields.action;

  const source: FlowEvent['source'] = { ip: fields.sourceIp };
  if (fields.sourcePort !== undefined) source.port = fields.sourcePort;
  if (fields.sourceBytes !== undefined) source.bytes = fields.sourceBytes;
  if (fields.sourcePackets !== undefined) source.packets = fields.sourcePackets;
  const destination: FlowEvent['destination'] = { ip: fields.destinationIp };
  if (fields.destinationPort !== undefined) destination.port = fields.destinationPort;
  if (fields.destinationBytes !== undefined) destination.bytes = fields.destinationBytes;
  if (fields.destinationPackets !== undefined) destination.packets = fields.destinationPackets;

  const network: FlowEvent['network'] = {};
  if (fields.protocol?.transport !== undefined) network.transport = fields.protocol.transport;
  if (fields.protocol?.iana_number !== undefined) network.iana_number = fields.protocol.iana_number;
  const bytes = fields.totalBytes ?? sumIfBoth(fields.sourceBytes, fields.destinationBytes);
  const packets = fields.totalPackets ?? sumIfBoth(fields.sourcePackets, fields.destinationPackets);
  if (bytes !== undefined) network.bytes = bytes;
  if (packets !== undefined) network.packets = packets;

  const doc: FlowEvent = { '@timestamp': fields.timestamp, event, source, destination, network, spothreat: provenance };
  if (fields.tcpFlags !== undefined || fields.exporter !== undefined) {
    doc.netflow = {};
    if (fields.tcpFlags !== undefined) doc.netflow.tcp_control_bits = fields.tcpFlags;
    if (fields.exporter !== undefined) doc.netflow.exporter = { address: fields.exporter };
  }
  if (fields.features !== undefined) doc.flow_features = fields.features;
  if (fields.tags !== undefined && fields.tags.length > 0) doc.tags = fields.tags;
  return doc;
}

export function provenanceOf(format: string, file: string, record: number, label?: string, labelDetail?: string): Provenance {
  const provenance: Provenance = { format, file, record };
  if (label !== undefined && label !== '') provenance.label = label;
  if (labelDetail !== undefined && labelDetail !== '') provenance.label_detail = labelDetail;
  return provenance;
}
