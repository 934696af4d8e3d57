import crypto from 'node:crypto';
import type { DataType, DnsEvent, FlowEvent, ProxyEvent, RawEvent } from '../domain/events';

/**
 * Document ids of raw events: the SHA-1 (base64url, 27 characters) of a canonical string of the fields that
 * make the event what it is. Ingest writes with `create`, so an id that already exists is a duplicate.
 *
 * What goes in, per data type, is the event's content only, never where it was read from: the file name,
 * the line number, the input format and the ground-truth label are left out, so the same flow in a renamed
 * or re-exported file (nfcapd read directly or through `nfdump -o csv`, a Zeek log rotated and gzipped) is
 * still the same document. The price: two records identical in every one of these fields (same time to the
 * millisecond, same endpoints, same counters) are taken for one event. For flows the byte and packet
 * counters, the exporter and any CICFlowMeter features are in, so that takes two truly indistinguishable flows.
 *
 * Changing what goes in changes every id: existing data would then be ingested a second time. Do not.
 */

const SEP = '\u001f';

type Part = string | number | undefined;

function join(parts: readonly Part[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out += SEP;
    const part = parts[i];
    if (part !== undefined) out += part;
  }
  return out;
}

function flowIdentity(e: FlowEvent): string {
  return join([
    'flow',
    e['@timestamp'],
    e.event.end,
    e.source.ip,
    e.source.port,
    e.destination.ip,
    e.destination.port,
    e.network.iana_number ?? e.network.transport,
    e.source.bytes,
    e.source.packets,
    e.destination.bytes,
    e.destination.packets,
    e.netflow?.exporter?.address,
    e.flow_features && featureIdentity(e.flow_features),
  ]);
}

// Sources without IPs or ports (some CIC exports) leave flows that only their features tell apart.
function featureIdentity(features: Record<string, number>): string {
  return Object.keys(features)
    .sort()
    .map((k) => `${k}=${features[k]}`)
    .join(',');
}

function dnsIdentity(e: DnsEvent): string {
  return join([
    'dns',
    e['@timestamp'],
    e.source.ip,
    e.source.port,
    e.destination.ip,
    e.destination.port,
    e.dns.type,
    e.dns.id,
    e.dns.question.name,
    e.dns.question.type,
    e.dns.question.class,
    e.dns.response_code,
    e.dns.resolved_ip?.join(','),
  ]);
}

function proxyIdentity(e: ProxyEvent): string {
  return join([
    'proxy',
    e['@timestamp'],
    e.source.ip,
    e.source.port,
    e.destination.ip,
    e.destination.port,
    e.http.request.method,
    e.url.original,
    e.http.response.status_code,
    e.source.bytes,
    e.destination.bytes,
    e.event.duration,
    e.user_agent?.original,
    e.user?.name,
  ]);
}

/** The canonical identity string (exported for tests and for explaining a duplicate). */
export function eventIdentity(dataType: DataType, doc: RawEvent): string {
  switch (dataType) {
    case 'flow':
      return flowIdentity(doc as FlowEvent);
    case 'dns':
      return dnsIdentity(doc as DnsEvent);
    case 'proxy':
      return proxyIdentity(doc as ProxyEvent);
  }
}

// The one-shot `crypto.hash` (Node 20.12+) is about twice as fast as a Hash object, and ingest hashes every record.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

export function hashId(text: string): string {
  return oneShot ? oneShot('sha1', text, 'base64url') : crypto.createHash('sha1').update(text).digest('base64url');
}

export function eventId(dataType: DataType, doc: RawEvent): string {
  return hashId(eventIdentity(dataType, doc));
}

/**
 * Id of a rejected record: where it was read (file as named, record number) and what it said, so a re-run
 * over the same file overwrites its dead letters instead of adding more.
 */
export function rejectionId(dataType: DataType, format: string, file: string, record: number, raw: string): string {
  return hashId(join(['rejected', dataType, format, file, record, raw]));
}
