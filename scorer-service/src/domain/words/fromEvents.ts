import type { DnsEvent, FlowEvent, ProxyEvent } from '../events';
import type { DnsWordInput, FlowWordInput, ProxyWordInput } from './types';

/**
 * Maps the stored ECS documents onto the word creators' inputs. A document that lacks what a word needs is
 * rejected with the reason, never turned into a default word that would then score as if it were real.
 */

export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface FlowRecord {
  srcIp: string;
  dstIp: string;
  /** Event time, epoch milliseconds. */
  timestamp: number;
  word: FlowWordInput;
}

export interface DnsRecord {
  /** The client that asked: its document gets the word. */
  clientIp: string;
  timestamp: number;
  word: DnsWordInput;
}

export interface ProxyRecord {
  clientIp: string;
  timestamp: number;
  word: ProxyWordInput;
}

class MappingError extends Error {}

function fail(reason: string): never {
  throw new MappingError(reason);
}

function mapped<T>(build: () => T): Mapped<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof MappingError) return { ok: false, reason: error.message };
    throw error;
  }
}

function requiredText(value: string | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) fail(`${field} is missing`);
  return value;
}

function optionalCount(value: number | undefined, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(`${field} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Milliseconds and UTC hour of `@timestamp`; word hours are UTC so that every worker builds the same word. */
function eventTime(timestamp: string | undefined): { ms: number; hour: number } {
  const text = requiredText(timestamp, '@timestamp');
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) fail(`@timestamp "${text}" is not a valid time`);
  return { ms, hour: new Date(ms).getUTCHours() };
}

const PROTOCOL_NAMES: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP', '58': 'IPV6-ICMP', '132': 'SCTP' };
const PORTED_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** Upper-case protocol name, as nfdump prints it and as Spot's words carry it. */
function protocolName(event: FlowEvent): string {
  const transport = event.network?.transport?.trim();
  if (transport) return transport.toUpperCase();
  const number = event.network?.iana_number?.trim();
  if (number) return PROTOCOL_NAMES[number] ?? number;
  return fail('network.transport and network.iana_number are both missing');
}

function flowPort(port: number | undefined, field: string, proto: string): number {
  if (port === undefined || port === null) {
    // Protocols without ports (ICMP, GRE, ESP) are stored without them; Spot's flows carry 0 there.
    if (PORTED_PROTOCOLS.has(proto)) fail(`${field} is missing for a ${proto} flow`);
    return 0;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${field} must be an integer 0..65535, got ${port}`);
  return port;
}

/** The total of a flow: the flow-level figure when stored, else both directions added. */
function flowTotal(total: number | undefined, fromSource: number | undefined, fromDestination: number | undefined, what: string): number {
  const whole = optionalCount(total, `network.${what}`);
  if (whole !== undefined) return whole;
  const src = optionalCount(fromSource, `source.${what}`);
  const dst = optionalCount(fromDestination, `destination.${what}`);
  if (src === undefined && dst === undefined) fail(`no ${what} count (network.${what}, source.${what} and destination.${what} are all missing)`);
  return (src ?? 0) + (dst ?? 0);
}

export function flowRecordFromEvent(event: FlowEvent): Mapped<FlowRecord> {
  return mapped(() => {
    const time = eventTime(event['@timestamp']);
    const srcIp = requiredText(event.source?.ip, 'source.ip');
    const dstIp = requiredText(event.destination?.ip, 'destination.ip');
    const proto = protocolName(event);
    return {
      srcIp,
      dstIp,
      timestamp: time.ms,
      word: {
        sport: flowPort(event.source.port, 'source.port', proto),
        dport: flowPort(event.destination.port, 'destination.port', proto),
        proto,
        hour: time.hour,
        bytes: flowTotal(event.network?.bytes, event.source.bytes, event.destination.bytes, 'bytes'),
        packets: flowTotal(event.network?.packets, event.source.packets, event.destination.packets, 'packets'),
      },
    };
  });
}

function codeOrName(code: number | undefined, name: string | undefined, field: string): string | undefined {
  if (code !== undefined && code !== null) {
    if (!Number.isInteger(code) || code < 0) fail(`${field} code must be a non-negative integer, got ${code}`);
    return String(code);
  }
  const trimmed = name?.trim();
  return trimmed ? trimmed : undefined;
}

export function dnsRecordFromEvent(event: DnsEvent): Mapped<DnsRecord> {
  return mapped(() => {
    const time = eventTime(event['@timestamp']);
    const clientIp = requiredText(event.source?.ip, 'source.ip');
    const queryName = requiredText(event.dns?.question?.name, 'dns.question.name').trim();
    return {
      clientIp,
      timestamp: time.ms,
      word: {
        queryName,
        frameLength: optionalCount(event.network?.bytes, 'network.bytes'),
        hour: time.hour,
        // Numeric codes where the decoder kept them (Spot's words carry numbers), else the mnemonic.
        queryType: codeOrName(event.dns_codes?.qtype, event.dns.question.type, 'query type'),
        responseCode: codeOrName(event.dns_codes?.rcode, event.dns.response_code, 'response code'),
      },
    };
  });
}

/** Spot's "full URI" is host + path + query; a scheme in front would only add the same characters to every URI. */
function uriWithoutScheme(original: string): string {
  const schemeEnd = original.indexOf('://');
  return schemeEnd > 0 && schemeEnd < 10 ? original.slice(schemeEnd + 3) : original;
}

export function proxyRecordFromEvent(event: ProxyEvent): Mapped<ProxyRecord> {
  return mapped(() => {
    const time = eventTime(event['@timestamp']);
    const clientIp = requiredText(event.source?.ip, 'source.ip');
    const original = requiredText(event.url?.original, 'url.original');
    const host = event.url.domain?.trim() || event.destination?.domain?.trim() || fail('url.domain and destination.domain are both missing');
    const status = event.http?.response?.status_code;
    if (status !== undefined && status !== null && (!Number.isInteger(status) || status < 0)) {
      fail(`http.response.status_code must be a non-negative integer, got ${status}`);
    }
    return {
      clientIp,
      timestamp: time.ms,
      word: {
        host,
        hour: time.hour,
        method: event.http?.request?.method?.trim() || undefined,
        uri: uriWithoutScheme(original),
        contentType: event.http?.response?.mime_type,
        userAgent: event.user_agent?.original,
        responseCode: status ?? undefined,
      },
    };
  });
}
