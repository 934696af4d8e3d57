import type { DnsEvent, FlowEvent, ProxyEvent } from '../domain/events';
import { eventId, eventIdentity, rejectionId } from './ids';

function flow(overrides: Partial<FlowEvent> = {}): FlowEvent {
  return {
    '@timestamp': '2018-01-12T15:37:30.123Z',
    event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow', end: '2018-01-12T15:37:31.000Z' },
    source: { ip: '147.32.80.119', port: 51234, bytes: 60, packets: 1 },
    destination: { ip: '147.32.82.62', port: 443, bytes: 0, packets: 0 },
    network: { transport: 'tcp', iana_number: '6' },
    spothreat: { format: 'nfdump-csv', file: 'a.csv', record: 2 },
    ...overrides,
  };
}

describe('event ids', () => {
  it('gives the same record read from another file, line, format or with a label the same id', () => {
    const renamed = flow({ spothreat: { format: 'nfcapd', file: '/elsewhere/b.nfcapd', record: 99, label: 'Malicious' } });
    expect(eventId('flow', renamed)).toBe(eventId('flow', flow()));
  });

  it('tells apart flows that differ in one port, one counter or the exporter', () => {
    const base = eventId('flow', flow());
    expect(eventId('flow', flow({ source: { ip: '147.32.80.119', port: 51235, bytes: 60, packets: 1 } }))).not.toBe(base);
    expect(eventId('flow', flow({ source: { ip: '147.32.80.119', port: 51234, bytes: 61, packets: 1 } }))).not.toBe(base);
    expect(eventId('flow', flow({ netflow: { exporter: { address: '10.0.0.1' } } }))).not.toBe(base);
  });

  it('tells apart flows without addresses by their features, whatever the key order', () => {
    const a = flow({ flow_features: { 'Flow IAT Mean': 1.5, 'Fwd Pkts/s': 2 } });
    const b = flow({ flow_features: { 'Fwd Pkts/s': 2, 'Flow IAT Mean': 1.5 } });
    const c = flow({ flow_features: { 'Fwd Pkts/s': 3, 'Flow IAT Mean': 1.5 } });
    expect(eventId('flow', a)).toBe(eventId('flow', b));
    expect(eventId('flow', a)).not.toBe(eventId('flow', c));
  });

  it('keeps an absent field apart from an empty neighbour (fields are separated, not concatenated)', () => {
    const noEnd = flow({ event: { kind: 'event', category: [], type: [], dataset: 'spothreat.flow' } });
    expect(eventIdentity('flow', noEnd).split('\u001f')).toHaveLength(eventIdentity('flow', flow()).split('\u001f').length);
    expect(eventId('flow', noEnd)).not.toBe(eventId('flow', flow()));
  });

  it('identifies a DNS answer by time, endpoints, transaction id and question', () => {
    const answer: DnsEvent = {
      '@timestamp': '2024-02-01T10:00:00.000Z',
      event: { kind: 'event', category: ['network'], type: ['protocol'], dataset: 'spothreat.dns' },
      source: { ip: '10.0.0.5' },
      destination: { ip: '8.8.8.8', port: 53 },
      network: { protocol: 'dns', transport: 'udp' },
      dns: { type: 'answer', id: 4660, question: { name: 'example.com', type: 'A' }, response_code: 'NOERROR' },
      spothreat: { format: 'pcap', file: 'x.pcap', record: 7 },
    };
    const other = { ...answer, dns: { ...answer.dns, id: 4661 } };
    expect(eventId('dns', answer)).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(eventId('dns', other)).not.toBe(eventId('dns', answer));
  });

  it('identifies a proxy request by its URL and method among others', () => {
    const request: ProxyEvent = {
      '@timestamp': '2024-02-01T10:00:00.000Z',
      event: { kind: 'event', category: ['web'], type: ['access'], dataset: 'spothreat.proxy' },
      source: { ip: '10.0.0.5' },
      destination: { domain: 'example.com' },
      url: { original: 'http://example.com/a' },
      http: { request: { method: 'GET' }, response: { status_code: 200 } },
      spothreat: { format: 'squid', file: 'access.log', record: 1 },
    };
    const post = { ...request, http: { ...request.http, request: { method: 'POST' } } };
    expect(eventId('proxy', post)).not.toBe(eventId('proxy', request));
  });

  it('gives a rejected record an id from where it was read and what it said', () => {
    expect(rejectionId('flow', 'nfdump-csv', 'a.csv', 3, 'garbage')).toBe(rejectionId('flow', 'nfdump-csv', 'a.csv', 3, 'garbage'));
    expect(rejectionId('flow', 'nfdump-csv', 'a.csv', 3, 'garbage')).not.toBe(rejectionId('flow', 'nfdump-csv', 'a.csv', 4, 'garbage'));
  });
});
