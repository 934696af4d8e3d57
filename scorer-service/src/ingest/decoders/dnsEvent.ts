import { parse as parseDomain } from 'tldts';
import type { DnsEvent, Provenance } from '../../domain/events';
import type { Exchange } from './exchange';
import type { Transport } from './flowEvent';

/** IANA DNS RR type mnemonics (RFC 1035 onwards) of the types seen in practice. */
const QTYPE_NAMES = new Map<number, string>([
  [1, 'A'],
  [2, 'NS'],
  [5, 'CNAME'],
  [6, 'SOA'],
  [10, 'NULL'],
  [11, 'WKS'],
  [12, 'PTR'],
  [13, 'HINFO'],
  [15, 'MX'],
  [16, 'TXT'],
  [17, 'RP'],
  [18, 'AFSDB'],
  [24, 'SIG'],
  [25, 'KEY'],
  [28, 'AAAA'],
  [29, 'LOC'],
  [33, 'SRV'],
  [35, 'NAPTR'],
  [36, 'KX'],
  [37, 'CERT'],
  [39, 'DNAME'],
  [41, 'OPT'],
  [42, 'APL'],
  [43, 'DS'],
  [44, 'SSHFP'],
  [45, 'IPSECKEY'],
  [46, 'RRSIG'],
  [47, 'NSEC'],
  [48, 'DNSKEY'],
  [49, 'DHCID'],
  [50, 'NSEC3'],
  [51, 'NSEC3PARAM'],
  [52, 'TLSA'],
  [53, 'SMIMEA'],
  [55, 'HIP'],
  [59, 'CDS'],
  [60, 'CDNSKEY'],
  [61, 'OPENPGPKEY'],
  [62, 'CSYNC'],
  [63, 'ZONEMD'],
  [64, 'SVCB'],
  [65, 'HTTPS'],
  [99, 'SPF'],
  [249, 'TKEY'],
  [250, 'TSIG'],
  [251, 'IXFR'],
  [252, 'AXFR'],
  [255, 'ANY'],
  [256, 'URI'],
  [257, 'CAA'],
]);

const QCLASS_NAMES = new Map<number, string>([
  [1, 'IN'],
  [3, 'CH'],
  [4, 'HS'],
  [254, 'NONE'],
  [255, 'ANY'],
]);

/** RCODE mnemonics (RFC 1035, 2136, 6895). */
const RCODE_NAMES = new Map<number, string>([
  [0, 'NOERROR'],
  [1, 'FORMERR'],
  [2, 'SERVFAIL'],
  [3, 'NXDOMAIN'],
  [4, 'NOTIMP'],
  [5, 'REFUSED'],
  [6, 'YXDOMAIN'],
  [7, 'YXRRSET'],
  [8, 'NXRRSET'],
  [9, 'NOTAUTH'],
  [10, 'NOTZONE'],
  [11, 'DSOTYPENI'],
]);

export function qtypeName(code: number): string {
  return QTYPE_NAMES.get(code) ?? `TYPE${code}`;
}

export function qclassName(code: number): string {
  return QCLASS_NAMES.get(code) ?? `CLASS${code}`;
}

export function rcodeName(code: number): string {
  return RCODE_NAMES.get(code) ?? `RCODE${code}`;
}

export interface DnsFields {
  protocol?: Transport;
  bytes?: number;
  isAnswer: boolean;
  id?: number;
  name: string;
  qtype?: number;
  qtypeName?: string;
  qclass?: number;
  qclassName?: string;
  rcode?: number;
  rcodeName?: string;
  answers?: { data: string; type?: string; ttl?: number }[];
  resolvedIps?: string[];
  tags?: string[];
}

const DOMAIN_CACHE_LIMIT = 10_000;
const domainCache = new Map<string, Partial<DnsEvent['dns']['question']>>();

/**
 * Registered domain, subdomain and suffix of a query name, on the ICANN public suffix list. DNS logs repeat
 * a few names endlessly, so results are kept (copied out, never shared) in a bounded cache.
 */
function domainParts(name: string): Partial<DnsEvent['dns']['question']> {
  let parts = domainCache.get(name);
  if (parts === undefined) {
    const host = name.endsWith('.') ? name.slice(0, -1) : name;
    const parsed = parseDomain(host.toLowerCase(), { allowPrivateDomains: false, extractHostname: false });
    parts = {};
    if (!parsed.isIp && parsed.domain !== null) {
      parts.registered_domain = parsed.domain;
      if (parsed.subdomain) parts.subdomain = parsed.subdomain;
      if (parsed.publicSuffix) parts.top_level_domain = parsed.publicSuffix;
    }
    if (domainCache.size >= DOMAIN_CACHE_LIMIT) domainCache.clear();
    domainCache.set(name, parts);
  }
  return parts;
}

/**
 * The ECS DNS document both DNS decoders (tshark on pcaps, Zeek dns.log) emit. In the exchange the client
 * is the host that asked (ECS source) and the server the resolver that answered (ECS destination).
 */
export function buildDnsEvent(exchange: Exchange & { serverIp: string }, fields: DnsFields, provenance: Provenance): DnsEvent {
  const question: DnsEvent['dns']['question'] = { name: fields.name };
  // Properties are copied one by one: an object spread here made V8 build slow dictionary-mode objects.
  const parts = domainParts(fields.name);
  if (parts.registered_domain !== undefined) question.registered_domain = parts.registered_domain;
  if (parts.subdomain !== undefined) question.subdomain = parts.subdomain;
  if (parts.top_level_domain !== undefined) question.top_level_domain = parts.top_level_domain;
  const typeName = fields.qtypeName ?? (fields.qtype === undefined ? undefined : qtypeName(fields.qtype));
  const className = fields.qclassName ?? (fields.qclass === undefined ? undefined : qclassName(fields.qclass));
  if (typeName !== undefined) question.type = typeName;
  if (className !== undefined) question.class = className;

  const dns: DnsEvent['dns'] = { type: fields.isAnswer ? 'answer' : 'query', question };
  if (fields.id !== undefined) dns.id = fields.id;
  const responseCode = fields.rcodeName ?? (fields.rcode === undefined ? undefined : rcodeName(fields.rcode));
  if (responseCode !== undefined) dns.response_code = responseCode;
  if (fields.answers !== undefined && fields.answers.length > 0) dns.answers = fields.answers;
  if (fields.resolvedIps !== undefined && fields.resolvedIps.length > 0) dns.resolved_ip = fields.resolvedIps;

  const source: DnsEvent['source'] = { ip: exchange.clientIp };
  if (exchange.clientPort !== undefined) source.port = exchange.clientPort;
  const destination: DnsEvent['destination'] = { ip: exchange.serverIp };
  if (exchange.serverPort !== undefined) destination.port = exchange.serverPort;
  const network: DnsEvent['network'] = { protocol: 'dns' };
  if (fields.protocol?.transport !== undefined) network.transport = fields.protocol.transport;
  if (fields.protocol?.iana_number !== undefined) network.iana_number = fields.protocol.iana_number;
  if (fields.bytes !== undefined) network.bytes = fields.bytes;

  const doc: DnsEvent = {
    '@timestamp': exchange.timestamp,
    event: { kind: 'event', category: ['network'], type: ['protocol'], dataset: 'spothreat.dns' },
    source,
    destination,
    network,
    dns,
    spothreat: provenance,
  };
  if (fields.qtype !== undefined || fields.qclass !== undefined || fields.rcode !== undefined) {
    doc.dns_codes = {};
    if (fields.qtype !== undefined) doc.dns_codes.qtype = fields.qtype;
    if (fields.qclass !== undefined) doc.dns_codes.qclass = fields.qclass;
    if (fields.rcode !== undefined) doc.dns_codes.rcode = fields.rcode;
  }
  if (fields.tags !== undefined && fields.tags.length > 0) doc.tags = fields.tags;
  return doc;
}
