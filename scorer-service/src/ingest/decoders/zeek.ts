import type { DataType, RawEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import { buildDnsEvent } from './dnsEvent';
import type { Exchange } from './exchange';
import {
  FormatError,
  RecordError,
  isIp,
  isoFromEpochSeconds,
  isoFromTimestampText,
  parseCount,
  parseJsonObject,
  parseDurationSeconds,
  parsePort,
  quote,
  requireIp,
} from './fields';
import { FieldSplitter } from './fieldSplitter';
import { buildFlowEvent, provenanceOf, transportOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';
import { buildProxyEvent, splitUrl } from './proxyEvent';


/** A Zeek record read by name, the same way whether it came from a TSV row or a JSON line. */
interface ZeekRecord {
  /** The value as text; undefined when the field is absent or unset (`-`); `''` when empty (`(empty)`). */
  text(name: string): string | undefined;
  /** A set or vector field as its elements; undefined when absent or unset. */
  list(name: string): string[] | undefined;
}

/** Columns each log kind needs; a TSV log without them is another kind of log and the file is refused. */
const REQUIRED: Record<DataType, readonly string[]> = {
  flow: ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
  dns: ['ts', 'id.orig_h', 'id.resp_h', 'query'],
  proxy: ['ts', 'id.orig_h', 'id.resp_h', 'host', 'uri'],
};

const LOG_NAME: Record<DataType, string> = { flow: 'conn', dns: 'dns', proxy: 'http' };

/**
 * Fields only that kind of log has: a dns.log has ts, addresses, ports and proto too, so the required
 * columns alone would let it pass for a conn log. A log or JSON record needs at least one of these.
 */
const KIND_MARKERS: Record<DataType, readonly string[]> = {
  flow: ['conn_state', 'orig_pkts', 'history'],
  dns: ['query', 'qtype', 'rcode', 'trans_id'],
  proxy: ['method', 'uri', 'status_code', 'trans_depth'],
};

/**
 * Zeek writes bytes outside printable ASCII as `\xNN`, byte by byte, so a UTF-8 character comes as several
 * escapes (`\xe2\x80\x99`). The escapes are turned back into bytes and the bytes read as UTF-8.
 */
export function unescapeZeek(value: string): string {
  if (value.indexOf('\\x') === -1) return value;
  const parts = value.split(/((?:\\x[0-9a-fA-F]{2})+)/);
  return parts
    .map((part, i) => (i % 2 === 0 ? part : Buffer.from(part.replace(/\\x/g, ''), 'hex').toString('utf8')))
    .join('');
}

function required(record: ZeekRecord, name: string): string {
  const value = record.text(name);
  if (value === undefined || value === '') throw new RecordError(`${name} is unset`);
  return value;
}

function optionalCount(record: ZeekRecord, name: string): number | undefined {
  const value = record.text(name);
  return value === undefined || value === '' ? undefined : parseCount(value, name);
}

function optionalPort(record: ZeekRecord, name: string): number | undefined {
  const value = record.text(name);
  return value === undefined || value === '' ? undefined : parsePort(value, name);
}

/** `ts` is Unix seconds in TSV and default JSON, ISO-8601 when Zeek's JSON uses its ISO time format. */
function timestampOf(record: ZeekRecord): string {
  const ts = required(record, 'ts');
  return ts.indexOf('-') > 0 || ts.indexOf('T') > 0 ? isoFromTimestampText(ts, 'ts') : isoFromEpochSeconds(ts, 'ts');
}

function labelOf(record: ZeekRecord, name: string): string | undefined {
  const value = record.text(name);
  return value === undefined || value === '' ? undefined : value;
}

function provenance(record: ZeekRecord, file: string, line: number) {
  return provenanceOf('zeek', file, line, labelOf(record, 'label'), labelOf(record, 'detailedlabel'));
}

function connEvent(record: ZeekRecord, file: string, line: number): RawEvent {
  const sourceIp = requireIp(required(record, 'id.orig_h'), 'id.orig_h');
  const protocolName = required(record, 'proto');
  // Zeek calls ICMPv6 plain `icmp`; the address family tells them apart.
  const protocol = protocolName === 'icmp' && sourceIp.indexOf(':') !== -1 ? transportOf('ipv6-icmp') : transportOf(protocolName);
  const duration = record.text('duration');
  const features: Record<string, number> = {};
  for (const name of ['orig_bytes', 'resp_bytes', 'missed_bytes']) {
    const value = optionalCount(record, name);
    if (value !== undefined) features[name] = value;
  }
  return buildFlowEvent(
    {
      timestamp: timestampOf(record),
      durationNs: duration === undefined || duration === '' ? undefined : parseDurationSeconds(duration, 'duration'),
      sourceIp,
      sourcePort: parsePort(required(record, 'id.orig_p'), 'id.orig_p'),
      destinationIp: requireIp(required(record, 'id.resp_h'), 'id.resp_h'),
      destinationPort: parsePort(required(record, 'id.resp_p'), 'id.resp_p'),
      protocol,
      // IP-level bytes, as a NetFlow exporter counts them; payload bytes go to flow_features.
      sourceBytes: optionalCount(record, 'orig_ip_bytes'),
      sourcePackets: optionalCount(record, 'orig_pkts'),
      destinationBytes: optionalCount(record, 'resp_ip_bytes'),
      destinationPackets: optionalCount(record, 'resp_pkts'),
      action: record.text('conn_state') || undefined,
      features: Object.keys(features).length > 0 ? features : undefined,
    },
    provenance(record, file, line),
  );
}

/** Time and both ends of the connection a dns.log or http.log record belongs to. */
function connectionOf(record: ZeekRecord): Exchange & { serverIp: string } {
  return {
    timestamp: timestampOf(record),
    clientIp: requireIp(required(record, 'id.orig_h'), 'id.orig_h'),
    clientPort: optionalPort(record, 'id.orig_p'),
    serverIp: requireIp(required(record, 'id.resp_h'), 'id.resp_h'),
    serverPort: optionalPort(record, 'id.resp_p'),
  };
}

/** Zeek names classes `C_INTERNET`; ECS and Spot use the RFC mnemonics. */
const ZEEK_CLASS_NAMES: Record<string, string> = { C_INTERNET: 'IN', C_CHAOS: 'CH', C_HESIOD: 'HS', C_NONE: 'NONE', C_ANY: 'ANY' };

function dnsEvent(record: ZeekRecord, file: string, line: number): RawEvent {
  const rcode = optionalCount(record, 'rcode');
  const answers = record.list('answers') ?? [];
  const ttls = record.list('TTLs') ?? [];
  const qclassName = record.text('qclass_name');
  const proto = record.text('proto');
  return buildDnsEvent(
    connectionOf(record),
    {
      protocol: proto === undefined || proto === '' ? undefined : transportOf(proto),
      isAnswer: rcode !== undefined,
      id: optionalCount(record, 'trans_id'),
      name: unescapeZeek(required(record, 'query')),
      qtype: optionalCount(record, 'qtype'),
      qtypeName: record.text('qtype_name') || undefined,
      qclass: optionalCount(record, 'qclass'),
      qclassName: qclassName ? (ZEEK_CLASS_NAMES[qclassName] ?? qclassName) : undefined,
      rcode,
      rcodeName: record.text('rcode_name') || undefined,
      answers: answers.map((data, i) => {
        const answer: { data: string; type?: string; ttl?: number } = { data: unescapeZeek(data) };
        // Zeek does not log answer types; an address answer can only be A or AAAA.
        if (isIp(data)) answer.type = data.indexOf(':') === -1 ? 'A' : 'AAAA';
        if (ttls[i] !== undefined && ttls[i] !== '') answer.ttl = Math.round(Number(ttls[i]));
        if (answer.ttl !== undefined && !Number.isFinite(answer.ttl)) throw new RecordError(`TTLs ${quote(ttls[i])} is not a number`);
        return answer;
      }),
      resolvedIps: answers.filter(isIp),
    },
    provenance(record, file, line),
  );
}

function httpEvent(record: ZeekRecord, file: string, line: number): RawEvent {
  const hostHeader = unescapeZeek(record.text('host') ?? '').toLowerCase();
  const uri = unescapeZeek(required(record, 'uri'));
  const connection = connectionOf(record);
  const status = optionalCount(record, 'status_code');
  // http.log is plain HTTP; a request to a proxy names the absolute URL in `uri`.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? splitUrl(uri) : undefined;
  const userAgent = record.text('user_agent');
  return buildProxyEvent(
    connection,
    {
      original: uri,
      scheme: absolute?.scheme ?? 'http',
      host: absolute?.host ?? (hostHeader === '' ? undefined : hostHeader),
      port: absolute ? absolute.port : connection.serverPort,
      pathAndQuery: absolute ? absolute.pathAndQuery : uri,
      method: record.text('method') || undefined,
      referrer: record.text('referrer') || undefined,
      requestBytes: optionalCount(record, 'request_body_len'),
      responseBytes: optionalCount(record, 'response_body_len'),
      // Zeek logs 0 when no response was seen; that is absence, not a status.
      status: status === undefined || status === 0 ? undefined : status,
      mimeType: record.list('resp_mime_types')?.[0],
      userAgent: userAgent ? unescapeZeek(userAgent) : undefined,
      userName: record.text('username') || undefined,
    },
    provenance(record, file, line),
  );
}

const BUILDERS: Record<DataType, (record: ZeekRecord, file: string, line: number) => RawEvent> = {
  flow: connEvent,
  dns: dnsEvent,
  proxy: httpEvent,
};

/** Reads `\x09`-style escapes in `#separator` (Zeek escapes the separator it declares). */
function unescapeDirective(value: string): string {
  return value.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

interface TsvHeader {
  names: string[];
  index: Map<string, number>;
  /** Stratosphere's older labelled logs join the last columns into one (`tunnel_parents   label   detailedlabel`). */
  composite?: { column: number; parts: number };
}

class TsvRecord implements ZeekRecord {
  private values: string[] | undefined;

  constructor(
    private readonly header: TsvHeader,
    private readonly fields: FieldSplitter,
    private readonly setSeparator: string,
    private readonly emptyField: string,
    private readonly unsetField: string,
  ) {}

  /** Prepares the record for a row that `fields` has just split; throws when the row does not fit the header. */
  load(width: number): void {
    const header = this.header;
    this.values = undefined;
    if (header.composite === undefined) {
      if (width !== header.names.length) {
        throw new RecordError(`has ${width} tab-separated fields, #fields names ${header.names.length}`);
      }
      return;
    }
    const { column, parts } = header.composite;
    const expected = header.names.length - parts + 1;
    if (width !== expected) throw new RecordError(`has ${width} tab-separated fields, #fields names ${expected}`);
    const values = this.fields.all();
    const split = values[column].trim().split(/\s+/);
    if (split.length !== parts) {
      throw new RecordError(`combined last field ${quote(values[column])} has ${split.length} parts, its header names ${parts}`);
    }
    values.splice(column, 1, ...split);
    this.values = values;
  }

  private raw(name: string): string | undefined {
    const i = this.header.index.get(name);
    if (i === undefined) return undefined;
    return this.values ? this.values[i] : this.fields.get(i);
  }

  text(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || value === this.unsetField) return undefined;
    return value === this.emptyField ? '' : value;
  }

  list(name: string): string[] | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    return value === '' ? [] : value.split(this.setSeparator);
  }
}

class JsonRecord implements ZeekRecord {
  constructor(private readonly object: Record<string, unknown>) {}

  text(name: string): string | undefined {
    const value = this.object[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/0+$/, '');
    if (typeof value === 'boolean') return value ? 'T' : 'F';
    if (Array.isArray(value)) return value.map(String).join(',');
    throw new RecordError(`${name} is not a scalar: ${quote(JSON.stringify(value))}`);
  }

  list(name: string): string[] | undefined {
    const value = this.object[name];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.map(String) : [String(value)];
  }
}

/**
 * Zeek logs in either of Zeek's writers: TSV (`#separator`, `#fields`, `#types`, ... headers, possibly
 * several header blocks in one concatenated file) and JSON lines (one object per line). The data type asked
 * for decides the log kind read: conn for flow, dns for dns, http for proxy. A TSV log whose `#fields` lack
 * the kind's columns is refused as a whole (a dns.log given as flow); a JSON line without them is rejected.
 * Stratosphere's labels (`label`, `detailedlabel`) go into provenance.
 */
class ZeekParser implements LineParser {
  private separator = '\t';
  private setSeparator = ',';
  private emptyField = '(empty)';
  private unsetField = '-';
  private path: string | undefined;
  private fields = new FieldSplitter('\t');
  private tsv: TsvRecord | undefined;
  private seenJson = false;
  private readonly build: (record: ZeekRecord, file: string, line: number) => RawEvent;

  constructor(
    private readonly file: string,
    private readonly dataType: DataType,
  ) {
    this.build = BUILDERS[dataType];
  }

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.length === 0) return undefined;
    const first = line.charCodeAt(0);
    if (first === 35 /* # */) {
      this.directive(line);
      return undefined;
    }
    if (first === 123 /* { */) {
      this.seenJson = true;
      return { ok: true, record: lineNumber, doc: this.build(this.jsonRecord(line), this.file, lineNumber) };
    }
    if (this.tsv === undefined) {
      // Only the file's first record decides that it is no Zeek log; in a JSON log a later damaged line is one bad record.
      if (!this.seenJson) throw new FormatError(`not a Zeek log: a data line comes before any #fields header and is not JSON: ${quote(line)}`);
      throw new RecordError('is not a JSON object, and no #fields header came before it');
    }
    this.tsv.load(this.fields.split(line));
    return { ok: true, record: lineNumber, doc: this.build(this.tsv, this.file, lineNumber) };
  }

  private jsonRecord(line: string): ZeekRecord {
    const object = parseJsonObject(line);
    const markers = KIND_MARKERS[this.dataType];
    if (!markers.some((name) => name in object)) {
      throw new RecordError(`has none of ${markers.join(', ')}: not a Zeek ${LOG_NAME[this.dataType]} record`);
    }
    return new JsonRecord(object);
  }

  private directive(line: string): void {
    if (line.startsWith('#separator ')) {
      this.separator = unescapeDirective(line.slice('#separator '.length));
      this.fields = new FieldSplitter(this.separator);
      return;
    }
    const parts = line.split(this.separator);
    const [keyword, ...values] = parts;
    switch (keyword) {
      case '#set_separator':
        this.setSeparator = values[0] ?? ',';
        break;
      case '#empty_field':
        this.emptyField = values[0] ?? '(empty)';
        break;
      case '#unset_field':
        this.unsetField = values[0] ?? '-';
        break;
      case '#path':
        this.path = values[0];
        break;
      case '#fields':
        this.tsv = new TsvRecord(this.header(values), this.fields, this.setSeparator, this.emptyField, this.unsetField);
        break;
      default:
        // #types, #open, #close and comments carry nothing a record needs.
        break;
    }
  }

  private header(columns: string[]): TsvHeader {
    let composite: TsvHeader['composite'];
    const names: string[] = [];
    columns.forEach((column, i) => {
      const parts = column.trim().split(/\s+/);
      if (parts.length > 1) {
        if (composite !== undefined || i !== columns.length - 1) {
          throw new FormatError(`#fields has a column name with spaces that is not the last one: ${quote(column)}`);
        }
        composite = { column: i, parts: parts.length };
      }
      names.push(...parts);
    });
    const index = new Map(names.map((name, i) => [name, i]));
    const missing = REQUIRED[this.dataType].filter((name) => !index.has(name));
    const markers = KIND_MARKERS[this.dataType];
    if (!markers.some((name) => index.has(name))) missing.push(`any of ${markers.join(', ')}`);
    if (missing.length > 0) {
      const kind = this.path === undefined ? '' : ` (its #path is ${this.path})`;
      throw new FormatError(
        `this Zeek log${kind} is not a ${LOG_NAME[this.dataType]} log as ${this.dataType} needs: #fields lacks ${missing.join(', ')}`,
      );
    }
    return { names, index, composite };
  }
}

export const zeekDecoder = textDecoder('zeek', ['flow', 'dns', 'proxy'], (file, dataType) => new ZeekParser(file, dataType));
