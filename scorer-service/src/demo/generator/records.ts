/**
 * What the simulated day is made of before it becomes text: one record per line of an output file. Times are
 * integer microseconds since the Unix epoch (Zeek prints microseconds; nfdump prints seconds and milliseconds).
 * `attack` names the injected attack a record belongs to; benign records leave it out.
 */

export type Transport = 'TCP' | 'UDP';

/** One unidirectional flow as a NetFlow exporter reports it (a TCP connection is two of them). */
export interface FlowRecord {
  kind: 'flow';
  time: number;
  durationMicros: number;
  sourceIp: string;
  destinationIp: string;
  sourcePort: number;
  destinationPort: number;
  transport: Transport;
  /** nfdump's eight-letter flag string (`...AP.SF`); `........` for UDP. */
  flags: string;
  packets: number;
  bytes: number;
  attack?: string;
}

/** One DNS transaction as Zeek's dns.log reports it (query and its answer on one line). */
export interface DnsTransaction {
  time: number;
  clientIp: string;
  clientPort: number;
  resolverIp: string;
  transactionId: number;
  rttMicros: number;
  query: string;
  qtype: number;
  rcode: number;
  /** Answer data in Zeek's rendering (addresses, names, `TXT 12 text`); empty when there is none. */
  answers: readonly string[];
  ttls: readonly number[];
  attack?: string;
}

export interface DnsRecord extends DnsTransaction {
  kind: 'dns';
}

/** What a client asks of a web server and what comes back. */
export interface WebRequest {
  method: string;
  host: string;
  /** Path and query (`/search?q=x`); for CONNECT the `host:port` target. */
  uri: string;
  referrer: string;
  userAgent: string;
  requestBytes: number;
  responseBytes: number;
  status: number;
  /** Response content type; empty when the response has no body. */
  mime: string;
}

/** One HTTP request through the web gateway. */
export interface ProxyRecord extends WebRequest {
  kind: 'proxy';
  time: number;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  /** Time the gateway spent on the request. */
  elapsedMillis: number;
  attack?: string;
}

export type DayRecord = FlowRecord | DnsRecord | ProxyRecord;

/**
 * A proxy record for a request on a connection. Written out field by field rather than spread: every proxy
 * record then has one hidden class, which keeps the formatters that read millions of them fast.
 */
export function proxyRecord(request: WebRequest, time: number, clientIp: string, clientPort: number, serverIp: string, serverPort: number, elapsedMillis: number, attack?: string): ProxyRecord {
  return {
    kind: 'proxy',
    time,
    clientIp,
    clientPort,
    serverIp,
    serverPort,
    method: request.method,
    host: request.host,
    uri: request.uri,
    referrer: request.referrer,
    userAgent: request.userAgent,
    requestBytes: request.requestBytes,
    responseBytes: request.responseBytes,
    status: request.status,
    mime: request.mime,
    elapsedMillis,
    attack,
  };
}

export const MICROS_PER_SECOND = 1_000_000;

// nfdump 1.7 flag letters, in print order: C E U A P R S F.
export const FLAGS_COMPLETE = '...AP.SF';
export const FLAGS_ACK_PUSH = '...AP...';
export const FLAGS_SYN = '......S.';
export const FLAGS_SYN_ACK = '...A..S.';
export const FLAGS_RESET_ACK = '...A.R..';
export const FLAGS_NONE = '........';

const MSS_PAYLOAD = 1380;
const TCP_OVERHEAD = 52;
const UDP_OVERHEAD = 28;

export interface TcpExchange {
  time: number;
  durationMicros: number;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  /** Application bytes each way; headers are added for the IP byte counts NetFlow reports. */
  sentBytes: number;
  receivedBytes: number;
  attack?: string;
}

/**
 * A completed TCP connection as two unidirectional flows: handshake, data both ways and the ACKs it takes,
 * counted the way a NetFlow exporter counts IP packets and bytes.
 */
export function tcpConnection(c: TcpExchange): [FlowRecord, FlowRecord] {
  const sentSegments = Math.ceil(c.sentBytes / MSS_PAYLOAD);
  const receivedSegments = Math.ceil(c.receivedBytes / MSS_PAYLOAD);
  // Handshake and teardown (3 each way), data segments, and one ACK for every two segments from the other side.
  const forwardPackets = 3 + sentSegments + (receivedSegments >> 1);
  const reversePackets = 3 + receivedSegments + (sentSegments >> 1);
  // The answer's delay comes from the time stamp rather than the dice, so building a connection draws nothing.
  const answerDelay = Math.min(c.durationMicros, 800 + (c.time % 9000));
  return [
    {
      kind: 'flow',
      time: c.time,
      durationMicros: c.durationMicros,
      sourceIp: c.clientIp,
      destinationIp: c.serverIp,
      sourcePort: c.clientPort,
      destinationPort: c.serverPort,
      transport: 'TCP',
      flags: FLAGS_COMPLETE,
      packets: forwardPackets,
      bytes: c.sentBytes + forwardPackets * TCP_OVERHEAD,
      attack: c.attack,
    },
    {
      kind: 'flow',
      time: c.time + answerDelay,
      durationMicros: c.durationMicros - answerDelay,
      sourceIp: c.serverIp,
      destinationIp: c.clientIp,
      sourcePort: c.serverPort,
      destinationPort: c.clientPort,
      transport: 'TCP',
      flags: FLAGS_COMPLETE,
      packets: reversePackets,
      bytes: c.receivedBytes + reversePackets * TCP_OVERHEAD,
      attack: c.attack,
    },
  ];
}

/** A connection attempt to a closed port: a SYN answered by a RST (or unanswered when `answered` is false). */
export function refusedConnection(
  time: number,
  clientIp: string,
  clientPort: number,
  serverIp: string,
  serverPort: number,
  answered: boolean,
  attack?: string,
): FlowRecord[] {
  const syn: FlowRecord = {
    kind: 'flow',
    time,
    durationMicros: 0,
    sourceIp: clientIp,
    destinationIp: serverIp,
    sourcePort: clientPort,
    destinationPort: serverPort,
    transport: 'TCP',
    flags: FLAGS_SYN,
    packets: 1,
    bytes: 60,
    attack,
  };
  if (!answered) return [syn];
  return [syn, { ...syn, time: time + 300, sourceIp: serverIp, destinationIp: clientIp, sourcePort: serverPort, destinationPort: clientPort, flags: FLAGS_RESET_ACK, bytes: 40 }];
}

/** A request/response over UDP (DNS, NTP, SNMP, Kerberos) as two single-packet-ish flows. */
export function udpExchange(
  time: number,
  durationMicros: number,
  clientIp: string,
  clientPort: number,
  serverIp: string,
  serverPort: number,
  requestBytes: number,
  responseBytes: number,
  packets = 1,
  attack?: string,
): [FlowRecord, FlowRecord] {
  return [
    {
      kind: 'flow',
      time,
      durationMicros,
      sourceIp: clientIp,
      destinationIp: serverIp,
      sourcePort: clientPort,
      destinationPort: serverPort,
      transport: 'UDP',
      flags: FLAGS_NONE,
      packets,
      bytes: requestBytes + packets * UDP_OVERHEAD,
      attack,
    },
    {
      kind: 'flow',
      time: time + Math.max(1, Math.floor(durationMicros / 2)),
      durationMicros: Math.floor(durationMicros / 2),
      sourceIp: serverIp,
      destinationIp: clientIp,
      sourcePort: serverPort,
      destinationPort: clientPort,
      transport: 'UDP',
      flags: FLAGS_NONE,
      packets,
      bytes: responseBytes + packets * UDP_OVERHEAD,
      attack,
    },
  ];
}

/** Approximate size of a DNS message carrying a name, for the flow byte counts of a lookup. */
export function dnsMessageBytes(query: string, answers: readonly string[]): { request: number; response: number } {
  const request = 17 + query.length + 4;
  let response = request;
  for (const answer of answers) response += 12 + Math.min(answer.length, 255);
  return { request, response };
}

/** A lookup as the sensors see it: the dns.log line and the two UDP flows it makes at the router. */
export function dnsLookup(t: DnsTransaction): [DnsRecord, FlowRecord, FlowRecord] {
  const sizes = dnsMessageBytes(t.query, t.answers);
  const [request, response] = udpExchange(t.time, t.rttMicros, t.clientIp, t.clientPort, t.resolverIp, 53, sizes.request, sizes.response, 1, t.attack);
  const record: DnsRecord = {
    kind: 'dns',
    time: t.time,
    clientIp: t.clientIp,
    clientPort: t.clientPort,
    resolverIp: t.resolverIp,
    transactionId: t.transactionId,
    rttMicros: t.rttMicros,
    query: t.query,
    qtype: t.qtype,
    rcode: t.rcode,
    answers: t.answers,
    ttls: t.ttls,
    attack: t.attack,
  };
  return [record, request, response];
}
