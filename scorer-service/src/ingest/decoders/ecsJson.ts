import type { DataType, RawEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import { buildDnsEvent } from './dnsEvent';
import {
  RecordError,
  isIp,
  isoFromEpochMillis,
  isoFromTimestampText,
  parseCount,
  parseJsonObject,
  parsePort,
  quote,
  requireIp,
} from './fields';
import { buildFlowEvent, provenanceOf, transportOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';
import { buildProxyEvent, splitUrl } from './proxyEvent';


type Json = Record<string, unknown>;

/** A field by its ECS path, nested (`{"source":{"ip":..}}`) or flat with dots (`{"source.ip":..}`), as shippers write either. */
function lookup(doc: Json, path: string): unknown {
  if (path in doc) return doc[path];
  let node: unknown = doc;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

class EcsRecord {
  constructor(private readonly doc: Json) {}

  text(path: string): string | undefined {
    const value = lookup(this.doc, path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new RecordError(`${path} is not a scalar: ${quote(JSON.stringify(value))}`);
  }

  required(path: string): string {
    const value = this.text(path);
    if (value === undefined || value === '') throw new RecordError(`${path} is missing`);
    return value;
  }

  count(path: string): number | undefined {
    const value = this.text(path);
    return value === undefined ? undefined : parseCount(value, path);
  }

  port(path: string): number | undefined {
    const value = this.text(path);
    return value === undefined ? undefined : parsePort(value, path);
  }

  ip(path: string): string | undefined {
    const value = this.text(path);
    return value === undefined ? undefined : requireIp(value, path);
  }

  /** `@timestamp` as ISO-8601 text or epoch milliseconds (what a Logstash/Filebeat output holds). */
  timestamp(path = '@timestamp'): string {
    const value = lookup(this.doc, path);
    if (typeof value === 'number') return isoFromEpochMillis(value, path);
    if (typeof value === 'string' && value !== '') return isoFromTimestampText(value, path);
    throw new RecordError(value === undefined ? `${path} is missing` : `${path} ${quote(JSON.stringify(value))} is not a timestamp`);
  }

  optionalTimestamp(path: string): string | undefined {
    return lookup(this.doc, path) === undefined ? undefined : this.timestamp(path);
  }

  strings(path: string): string[] | undefined {
    const value = lookup(this.doc, path);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return [String(value)];
    return value.map(String);
  }

  /** An array of objects (`dns.answers`), each readable the same way. */
  objects(path: string): EcsRecord[] | undefined {
    const value = lookup(this.doc, path);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new RecordError(`${path} is not an array`);
    return value.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new RecordError(`${path}[${i}] is not an object`);
      return new EcsRecord(item as Json);
    });
  }

  numbers(path: string): Record<string, number> | undefined {
    const value = lookup(this.doc, path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new RecordError(`${path} is not an object of numbers`);
    for (const [key, n] of Object.entries(value)) {
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new RecordError(`${path}.${key} ${quote(JSON.stringify(n))} is not a number`);
    }
    return value as Record<string, number>;
  }

  provenance(file: string, record: number) {
    return provenanceOf('ecs-json', file, record, this.text('spothreat.label'), this.text('spothreat.label_detail'));
  }
}

function transport(record: EcsRecord) {
  const name = record.text('network.transport');
  const number = record.text('network.iana_number');
  const fromName = name === undefined ? undefined : transportOf(name);
  if (number === undefined) return fromName;
  return { ...(fromName ?? transportOf(number)), iana_number: String(parseCount(number, 'network.iana_number')) };
}

function flowEvent(record: EcsRecord, file: string, line: number): RawEvent {
  const doc = buildFlowEvent(
    {
      timestamp: record.timestamp(),
      end: record.optionalTimestamp('event.end'),
      durationNs: record.count('event.duration'),
      sourceIp: requireIp(record.required('source.ip'), 'source.ip'),
      sourcePort: record.port('source.port'),
      sourceBytes: record.count('source.bytes'),
      sourcePackets: record.count('source.packets'),
      destinationIp: requireIp(record.required('destination.ip'), 'destination.ip'),
      destinationPort: record.port('destination.port'),
      destinationBytes: record.count('destination.bytes'),
      destinationPackets: record.count('destination.packets'),
      protocol: transport(record),
      totalBytes: record.count('network.bytes'),
      totalPackets: record.count('network.packets'),
      tcpFlags: record.count('netflow.tcp_control_bits'),
      exporter: record.ip('netflow.exporter.address'),
      action: record.text('event.action'),
      features: record.numbers('flow_features'),
      tags: record.strings('tags'),
    },
    record.provenance(file, line),
  );
  // The builder starts the flow at @timestamp; a source's own event.start wins when it has one.
  const start = record.optionalTimestamp('event.start');
  if (start !== undefined) doc.event.start = start;
  return doc;
}

function dnsEvent(record: EcsRecord, file: string, line: number): RawEvent {
  const answers = record.objects('dns.answers');
  const qtype = record.count('dns_codes.qtype');
  const rcode = record.count('dns_codes.rcode');
  return buildDnsEvent(
    {
      timestamp: record.timestamp(),
      clientIp: requireIp(record.required('source.ip'), 'source.ip'),
      clientPort: record.port('source.port'),
      serverIp: requireIp(record.required('destination.ip'), 'destination.ip'),
      serverPort: record.port('destination.port'),
    },
    {
      protocol: transport(record),
      bytes: record.count('network.bytes'),
      isAnswer: record.text('dns.type') !== 'query',
      id: record.count('dns.id'),
      name: record.required('dns.question.name'),
      qtype,
      qtypeName: record.text('dns.question.type'),
      qclass: record.count('dns_codes.qclass'),
      qclassName: record.text('dns.question.class'),
      rcode,
      rcodeName: record.text('dns.response_code'),
      answers: answers?.map((item) => {
        const entry: { data: string; type?: string; ttl?: number } = { data: item.required('data') };
        const type = item.text('type');
        const ttl = item.count('ttl');
        if (type !== undefined) entry.type = type;
        if (ttl !== undefined) entry.ttl = ttl;
        return entry;
      }),
      resolvedIps: record.strings('dns.resolved_ip')?.map((ip) => requireIp(ip, 'dns.resolved_ip')),
      tags: record.strings('tags'),
    },
    record.provenance(file, line),
  );
}

function proxyEvent(record: EcsRecord, file: string, line: number): RawEvent {
  const original = record.text('url.original') ?? record.required('url.full');
  const parts = splitUrl(record.text('url.full') ?? original);
  const domain = record.text('url.domain') ?? parts?.host;
  const serverIp = record.text('destination.ip');
  return buildProxyEvent(
    {
      timestamp: record.timestamp(),
      clientIp: requireIp(record.required('source.ip'), 'source.ip'),
      clientPort: record.port('source.port'),
      serverIp: serverIp === undefined ? undefined : requireIp(serverIp, 'destination.ip'),
      serverPort: record.port('destination.port'),
    },
    {
      durationNs: record.count('event.duration'),
      original,
      scheme: record.text('url.scheme') ?? parts?.scheme,
      host: domain !== undefined && !isIp(domain) ? domain.toLowerCase() : domain,
      port: record.port('url.port') ?? parts?.port,
      path: record.text('url.path') ?? parts?.pathAndQuery?.split('?')[0],
      query: record.text('url.query') ?? parts?.pathAndQuery?.split('?').slice(1).join('?'),
      extension: record.text('url.extension'),
      method: record.text('http.request.method'),
      referrer: record.text('http.request.referrer'),
      requestBytes: record.count('http.request.bytes') ?? record.count('source.bytes'),
      responseBytes: record.count('http.response.bytes') ?? record.count('destination.bytes'),
      status: record.count('http.response.status_code'),
      mimeType: record.text('http.response.mime_type'),
      userAgent: record.text('user_agent.original'),
      userName: record.text('user.name'),
      action: record.text('event.action'),
    },
    record.provenance(file, line),
  );
}

const BUILDERS: Record<DataType, (record: EcsRecord, file: string, line: number) => RawEvent> = {
  flow: flowEvent,
  dns: dnsEvent,
  proxy: proxyEvent,
};

/**
 * One ECS JSON document per line (what Filebeat/Logstash file outputs and `_source` exports hold). Each
 * document is rebuilt from the ECS fields Spothreat's contract has: the raw indices are strict, so fields
 * outside the contract (agent, host, log, ...) are not carried over, and a wrong type is a rejection here
 * rather than a mapping failure later. Provenance is Spothreat's own (format, file, line), keeping any
 * `spothreat.label` the document had.
 */
class EcsJsonParser implements LineParser {
  private readonly build: (record: EcsRecord, file: string, line: number) => RawEvent;

  constructor(
    private readonly file: string,
    dataType: DataType,
  ) {
    this.build = BUILDERS[dataType];
  }

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.trim().length === 0) return undefined;
    return { ok: true, record: lineNumber, doc: this.build(new EcsRecord(parseJsonObject(line)), this.file, lineNumber) };
  }
}

export const ecsJsonDecoder = textDecoder('ecs-json', ['flow', 'dns', 'proxy'], (file, dataType) => new EcsJsonParser(file, dataType));
