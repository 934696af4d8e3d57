import { NFDUMP_171_CSV_COLUMNS } from '../../ingest/decoders/nfdumpCsv';
import { mix32 } from './random';
import type { DnsRecord, FlowRecord, ProxyRecord } from './records';

/**
 * The text each record becomes, byte for byte as the real tools print it: `nfdump -o csv` (Debian nfdump 1.7.1),
 * Zeek's dns.log and http.log (TSV with the Stratosphere `label`/`detailedlabel` columns), Squid's native
 * access.log. Pure functions of the record; the writer adds headers and picks files.
 */

export const BENIGN_LABEL = 'Benign';
export const MALICIOUS_LABEL = 'Malicious';

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DD HH:MM:SS` for Unix seconds, remembering the last date so sorted input costs a few slices. */
export class SecondFormatter {
  private day = -1;
  private datePart = '';
  private lastSecond = -1;
  private lastText = '';

  format(epochSeconds: number): string {
    if (epochSeconds === this.lastSecond) return this.lastText;
    const day = Math.floor(epochSeconds / 86400);
    if (day !== this.day) {
      this.day = day;
      this.datePart = new Date(day * 86400000).toISOString().slice(0, 10);
    }
    const inDay = epochSeconds - day * 86400;
    const hours = Math.floor(inDay / 3600);
    const minutes = Math.floor((inDay % 3600) / 60);
    this.lastSecond = epochSeconds;
    this.lastText = `${this.datePart} ${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[inDay % 60]}`;
    return this.lastText;
  }
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

function pad6(n: number): string {
  const text = String(n);
  return text.length >= 6 ? text : '000000'.slice(text.length) + text;
}

/** Microseconds as seconds with six decimals: Zeek's `time` (`1715677200.123456`) and `interval` alike. */
export function zeekSeconds(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${pad6(micros - seconds * 1_000_000)}`;
}

/** Microseconds as seconds with three decimals (nfdump's `td`, Squid's time stamp fraction). */
function secondsWithMillis(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const seconds = Math.floor(millis / 1000);
  return `${seconds}.${pad3(millis - seconds * 1000)}`;
}

// ---------------------------------------------------------------------------------------------- nfdump CSV

/** The header line `nfdump -o csv` prints (the ingest decoder's own constant, so the two cannot drift). */
export const NFDUMP_CSV_HEADER = NFDUMP_171_CSV_COLUMNS;

// Columns after obyt that a plain NetFlow v9 export leaves at zero (in, out, AS numbers, masks, next hops,
// VLANs, MACs, MPLS labels, latency); written once, as nfdump prints them.
const NFDUMP_UNUSED_MIDDLE =
  ',0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,' +
  '0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,';

export class NfdumpCsvFormatter {
  private readonly seconds = new SecondFormatter();
  private readonly exportSeconds = new SecondFormatter();

  constructor(private readonly exporter: string) {}

  /** One flow as a line (without the newline); `opkt`/`obyt` stay 0 as in a unidirectional NetFlow export. */
  line(flow: FlowRecord): string {
    const startSecond = Math.floor(flow.time / 1_000_000);
    const endMicros = flow.time + flow.durationMicros;
    const start = this.seconds.format(startSecond);
    const end = this.seconds.format(Math.floor(endMicros / 1_000_000));
    // The collector receives the record when the exporter expires the flow: a few seconds after its end.
    const receivedMillis = Math.floor(endMicros / 1000) + 1000 + (flow.time % 14000);
    const receivedSecond = Math.floor(receivedMillis / 1000);
    const received = `${this.exportSeconds.format(receivedSecond)}.${pad3(receivedMillis - receivedSecond * 1000)}`;
    return (
      `${start},${end},${secondsWithMillis(flow.durationMicros)},${flow.sourceIp},${flow.destinationIp},` +
      `${flow.sourcePort},${flow.destinationPort},${flow.transport},${flow.flags},0,0,${flow.packets},${flow.bytes},0,0` +
      `${NFDUMP_UNUSED_MIDDLE}${this.exporter},0/0,1,${received}`
    );
  }
}

// ---------------------------------------------------------------------------------------------- Zeek TSV

export interface ZeekLogLayout {
  path: string;
  fields: readonly string[];
  types: readonly string[];
}

export const ZEEK_DNS_LAYOUT: ZeekLogLayout = {
  path: 'dns',
  fields: [
    'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'rtt', 'query', 'qclass',
    'qclass_name', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'Z', 'answers', 'TTLs',
    'rejected', 'label', 'detailedlabel',
  ],
  types: [
    'time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'count', 'interval', 'string', 'count', 'string', 'count',
    'string', 'count', 'string', 'bool', 'bool', 'bool', 'bool', 'count', 'vector[string]', 'vector[interval]', 'bool',
    'string', 'string',
  ],
};

export const ZEEK_HTTP_LAYOUT: ZeekLogLayout = {
  path: 'http',
  fields: [
    'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'trans_depth', 'method', 'host', 'uri', 'referrer',
    'version', 'user_agent', 'origin', 'request_body_len', 'response_body_len', 'status_code', 'status_msg', 'info_code',
    'info_msg', 'tags', 'username', 'password', 'proxied', 'orig_fuids', 'orig_filenames', 'orig_mime_types',
    'resp_fuids', 'resp_filenames', 'resp_mime_types', 'label', 'detailedlabel',
  ],
  types: [
    'time', 'string', 'addr', 'port', 'addr', 'port', 'count', 'string', 'string', 'string', 'string', 'string', 'string',
    'string', 'count', 'count', 'count', 'string', 'count', 'string', 'set[enum]', 'string', 'string', 'set[string]',
    'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'string',
    'string',
  ],
};

/** Zeek's `YYYY-MM-DD-HH-MM-SS` stamp of the #open and #close lines. */
export function zeekStamp(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace(/[T:]/g, '-');
}

/** The eight header lines Zeek writes at the top of a TSV log. */
export function zeekHeader(layout: ZeekLogLayout, openedAtSeconds: number): string[] {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${layout.path}`,
    `#open\t${zeekStamp(openedAtSeconds)}`,
    `#fields\t${layout.fields.join('\t')}`,
    `#types\t${layout.types.join('\t')}`,
  ];
}

export function zeekFooter(closedAtSeconds: number): string {
  return `#close\t${zeekStamp(closedAtSeconds)}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Array.from(BASE62, (c) => c.charCodeAt(0));
const POWERS_OF_62 = [1, 62, 62 ** 2, 62 ** 3, 62 ** 4, 62 ** 5];

/**
 * A Zeek-style identifier (`C` + 17 characters for connections, `F` for files) derived from a sequence number
 * and the seed: unique within a day, reproducible, and free of draws from the simulation's dice. Built in one
 * allocation, since every DNS and proxy line needs one.
 */
export function zeekId(prefix: 'C' | 'F', sequence: number, seed: number): string {
  const a = mix32(seed, sequence);
  const b = mix32(a, Math.floor(sequence / 0x100000000) + 0x9e37);
  const c = mix32(b, a);
  // 17 base-62 digits from three 32-bit words: 6 + 6 + 5 digits (62^6 < 2^36, so the low digits repeat little).
  const d = (word: number, k: number) => BASE62_CODES[Math.floor(word / POWERS_OF_62[k]) % 62];
  return String.fromCharCode(
    prefix.charCodeAt(0),
    d(a, 0), d(a, 1), d(a, 2), d(a, 3), d(a, 4), d(a, 5),
    d(b, 0), d(b, 1), d(b, 2), d(b, 3), d(b, 4), d(b, 5),
    d(c, 0), d(c, 1), d(c, 2), d(c, 3), d(c, 4),
  );
}

const QTYPE_NAMES: Readonly<Record<number, string>> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 10: 'NULL', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 65: 'HTTPS' };
const RCODE_NAMES: Readonly<Record<number, string>> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

export function qtypeName(qtype: number): string {
  return QTYPE_NAMES[qtype] ?? `TYPE${qtype}`;
}

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

function labelColumns(attack: string | undefined): string {
  return attack === undefined ? `${BENIGN_LABEL}\t-` : `${MALICIOUS_LABEL}\t${attack}`;
}

export function zeekDnsLine(dns: DnsRecord, uid: string): string {
  const answers = dns.answers.length === 0 ? '-' : dns.answers.join(',');
  let ttls = '-';
  if (dns.ttls.length > 0) {
    ttls = '';
    for (let i = 0; i < dns.ttls.length; i++) ttls += `${i === 0 ? '' : ','}${dns.ttls[i]}.000000`;
  }
  return (
    `${zeekSeconds(dns.time)}\t${uid}\t${dns.clientIp}\t${dns.clientPort}\t${dns.resolverIp}\t53\tudp\t${dns.transactionId}\t` +
    `${zeekSeconds(dns.rttMicros)}\t${dns.query}\t1\tC_INTERNET\t${dns.qtype}\t${qtypeName(dns.qtype)}\t${dns.rcode}\t` +
    `${rcodeName(dns.rcode)}\tF\tF\tT\tT\t0\t${answers}\t${ttls}\tF\t${labelColumns(dns.attack)}`
  );
}

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found',
  304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function statusMessage(status: number): string {
  return STATUS_MESSAGES[status] ?? 'Unknown';
}

/** Zeek writes `(empty)` for an empty string and `-` for a missing one; a tab inside a value is escaped. */
function zeekString(value: string): string {
  if (value.length === 0) return '(empty)';
  return value.indexOf('\t') === -1 ? value : value.replace(/\t/g, '\\x09');
}

/**
 * The http.log `uri` of a request: origin-form for plain HTTP; for HTTPS, which only the inspecting gateway
 * sees decrypted, the absolute URL it logs, so a reader can tell the scheme and host from the line alone.
 */
export function zeekUri(http: ProxyRecord): string {
  return http.serverPort === 443 ? `https://${http.host}${http.uri}` : http.uri;
}

export function zeekHttpLine(http: ProxyRecord, uid: string, fileIdSource: () => string): string {
  const requestFile = http.requestBytes > 0 ? fileIdSource() : '-';
  const responseFile = http.responseBytes > 0 ? fileIdSource() : '-';
  const requestMime = http.requestBytes > 0 ? 'application/octet-stream' : '-';
  return (
    `${zeekSeconds(http.time)}\t${uid}\t${http.clientIp}\t${http.clientPort}\t${http.serverIp}\t${http.serverPort}\t1\t` +
    `${http.method}\t${zeekString(http.host)}\t${zeekString(zeekUri(http))}\t${http.referrer.length === 0 ? '-' : zeekString(http.referrer)}\t1.1\t` +
    `${http.userAgent.length === 0 ? '-' : zeekString(http.userAgent)}\t-\t${http.requestBytes}\t${http.responseBytes}\t${http.status}\t` +
    `${statusMessage(http.status)}\t-\t-\t(empty)\t-\t-\t-\t${requestFile}\t-\t${requestMime}\t${responseFile}\t-\t` +
    `${http.mime.length === 0 || responseFile === '-' ? '-' : http.mime}\t${labelColumns(http.attack)}`
  );
}

// ---------------------------------------------------------------------------------------------- Squid

/** Squid's cache result for a request (`TCP_MISS`, `TCP_HIT`, ...), chosen from what was asked and answered. */
function squidResult(http: ProxyRecord): string {
  if (http.status === 403) return 'TCP_DENIED';
  if (http.method === 'CONNECT') return 'TCP_TUNNEL';
  if (http.status === 304) return 'TCP_REFRESH_UNMODIFIED';
  // Small static assets over plain HTTP are often served from the cache; the choice is fixed by the time stamp.
  if (http.method === 'GET' && http.serverPort === 80 && http.status === 200 && http.time % 5 === 0) return 'TCP_HIT';
  return 'TCP_MISS';
}

/** The URL Squid logs: absolute for plain and intercepted HTTPS requests, `host:port` for a CONNECT. */
export function squidUrl(http: ProxyRecord): string {
  if (http.method === 'CONNECT') return http.uri;
  const port = http.serverPort === 80 || http.serverPort === 443 ? '' : `:${http.serverPort}`;
  return `${http.serverPort === 443 ? 'https' : 'http'}://${http.host}${port}${http.uri}`;
}

/** Squid's native access.log line: time elapsed client code/status bytes method URL user hierarchy/peer type. */
export function squidLine(http: ProxyRecord, userName = '-'): string {
  const result = squidResult(http);
  const url = squidUrl(http);
  const hierarchy = result === 'TCP_DENIED' || result === 'TCP_HIT' ? 'HIER_NONE/-' : `HIER_DIRECT/${http.serverIp}`;
  // Squid counts the reply headers in the size it logs.
  const bytes = http.responseBytes + 250 + (http.time % 200);
  return `${secondsWithMillis(http.time)} ${String(http.elapsedMillis).padStart(6)} ${http.clientIp} ${result}/${http.status} ${bytes} ${http.method} ${url} ${userName} ${hierarchy} ${http.mime.length === 0 ? '-' : http.mime}`;
}
