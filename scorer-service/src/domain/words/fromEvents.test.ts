import type { DnsEvent, FlowEvent, ProxyEvent } from '../events';
import { dnsRecordFromEvent, flowRecordFromEvent, proxyRecordFromEvent } from './fromEvents';
import { flowWords } from './flowWords';

const provenance = { format: 'test', file: 'test.csv', record: 1 };
const eventBase = { kind: 'event' as const, category: ['network'], type: ['connection'], dataset: 'spothreat.flow' };

function flowEvent(over: Partial<FlowEvent> = {}): FlowEvent {
  return {
    '@timestamp': '2024-03-01T03:15:00.000Z',
    event: eventBase,
    spothreat: provenance,
    source: { ip: '10.0.0.5', port: 1066, bytes: 1000, packets: 6 },
    destination: { ip: '192.0.2.7', port: 301, bytes: 26, packets: 4 },
    network: { transport: 'tcp' },
    ...over,
  };
}

describe('flowRecordFromEvent(event)', () => {
  it("maps an ECS flow onto the seed example's word", () => {
    const mapped = flowRecordFromEvent(flowEvent());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value).toMatchObject({ srcIp: '10.0.0.5', dstIp: '192.0.2.7', timestamp: Date.UTC(2024, 2, 1, 3, 15) });
    expect(flowWords(mapped.value.word)).toEqual({ srcWord: '301_TCP_3_12_5', dstWord: '-1_301_TCP_3_12_5' });
  });

  it('prefers the flow-level totals when the document has them', () => {
    const mapped = flowRecordFromEvent(flowEvent({ network: { transport: 'udp', bytes: 64, packets: 1 } }));
    expect(mapped.ok && mapped.value.word).toMatchObject({ proto: 'UDP', bytes: 64, packets: 1 });
  });

  it('gives port 0 to a protocol without ports and names it from its IANA number', () => {
    const mapped = flowRecordFromEvent(
      flowEvent({ source: { ip: '10.0.0.5', bytes: 84, packets: 1 }, destination: { ip: '10.0.0.6' }, network: { iana_number: '1' } }),
    );
    expect(mapped.ok && mapped.value.word).toMatchObject({ sport: 0, dport: 0, proto: 'ICMP' });
  });

  it.each<[string, Partial<FlowEvent>, string]>([
    ['a missing source IP', { source: { ip: '', port: 1, bytes: 1, packets: 1 } }, 'source.ip is missing'],
    ['a missing TCP port', { destination: { ip: '192.0.2.7', bytes: 1, packets: 1 } }, 'destination.port is missing for a TCP flow'],
    ['negative bytes', { source: { ip: '10.0.0.5', port: 1066, bytes: -1, packets: 1 } }, 'source.bytes must be a finite number >= 0, got -1'],
    ['NaN packets', { network: { transport: 'tcp', bytes: 10, packets: Number.NaN } }, 'network.packets must be a finite number >= 0, got NaN'],
    ['no byte count at all', { source: { ip: '10.0.0.5', port: 1066 }, destination: { ip: '192.0.2.7', port: 301 } }, 'no bytes count'],
    ['no protocol', { network: {} }, 'network.transport and network.iana_number are both missing'],
    ['an unreadable time', { '@timestamp': 'yesterday' }, '@timestamp "yesterday" is not a valid time'],
    ['a port out of range', { source: { ip: '10.0.0.5', port: 70000, bytes: 1, packets: 1 } }, 'source.port must be an integer 0..65535'],
  ])('rejects %s with a reason', (_name, over, reason) => {
    const mapped = flowRecordFromEvent(flowEvent(over));
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.reason).toContain(reason);
  });
});

function dnsEvent(question: Partial<DnsEvent['dns']['question']> = {}, over: Partial<DnsEvent> = {}): DnsEvent {
  return {
    '@timestamp': '2024-03-01T11:32:00Z',
    event: { ...eventBase, dataset: 'spothreat.dns' },
    spothreat: provenance,
    source: { ip: '10.0.0.9' },
    destination: { ip: '10.0.0.53' },
    network: { protocol: 'dns', bytes: 213 },
    dns: { type: 'answer', question: { name: 'abcdefg.apache.com', type: 'A', ...question }, response_code: 'NOERROR' },
    dns_codes: { qtype: 1, rcode: 0 },
    ...over,
  };
}

describe('dnsRecordFromEvent(event)', () => {
  it('puts the word in the asking client and prefers numeric codes', () => {
    const mapped = dnsRecordFromEvent(dnsEvent());
    expect(mapped.ok && mapped.value).toMatchObject({
      clientIp: '10.0.0.9',
      word: { queryName: 'abcdefg.apache.com', frameLength: 213, hour: 11, queryType: '1', responseCode: '0' },
    });
  });

  it('falls back to the mnemonics and leaves an unrecorded frame length undefined', () => {
    const mapped = dnsRecordFromEvent(dnsEvent({}, { dns_codes: undefined, network: { protocol: 'dns' } }));
    expect(mapped.ok && mapped.value.word).toMatchObject({ frameLength: undefined, queryType: 'A', responseCode: 'NOERROR' });
  });

  it('rejects a missing query name and a negative frame length with a reason', () => {
    expect(dnsRecordFromEvent(dnsEvent({ name: ' ' }))).toEqual({ ok: false, reason: 'dns.question.name is missing' });
    const negative = dnsRecordFromEvent(dnsEvent({}, { network: { protocol: 'dns', bytes: -3 } }));
    expect(negative).toEqual({ ok: false, reason: 'network.bytes must be a finite number >= 0, got -3' });
  });
});

function proxyEvent(over: Partial<ProxyEvent> = {}): ProxyEvent {
  return {
    '@timestamp': '2024-03-01T00:57:00Z',
    event: { ...eventBase, dataset: 'spothreat.proxy' },
    spothreat: provenance,
    source: { ip: '10.0.0.20' },
    destination: {},
    url: { original: 'http://intel.com/ab', domain: 'intel.com' },
    http: { request: { method: 'PUT' }, response: { status_code: 202, mime_type: 'text/html' } },
    user_agent: { original: 'curl/8' },
    ...over,
  };
}

describe('proxyRecordFromEvent(event)', () => {
  it('maps the request and drops the scheme from the URI, as Spot built host + path + query', () => {
    const mapped = proxyRecordFromEvent(proxyEvent());
    expect(mapped.ok && mapped.value).toMatchObject({
      clientIp: '10.0.0.20',
      word: { host: 'intel.com', hour: 0, method: 'PUT', uri: 'intel.com/ab', contentType: 'text/html', userAgent: 'curl/8', responseCode: 202 },
    });
  });

  it('rejects a request without a host or with a fractional status, with a reason', () => {
    expect(proxyRecordFromEvent(proxyEvent({ url: { original: '/x' } }))).toEqual({
      ok: false,
      reason: 'url.domain and destination.domain are both missing',
    });
    const bad = proxyRecordFromEvent(proxyEvent({ http: { request: {}, response: { status_code: 2.5 } } }));
    expect(bad).toEqual({ ok: false, reason: 'http.response.status_code must be a non-negative integer, got 2.5' });
  });
});
