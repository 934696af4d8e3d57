import type { DnsEvent, FlowEvent, ProxyEvent } from '../../domain/events';
import { ecsJsonDecoder } from './ecsJson';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

const line = (doc: unknown) => `${JSON.stringify(doc)}\n`;

describe('ecs-json decoder', () => {
  it('rebuilds a Filebeat-style flow document, keeping only contract fields', async () => {
    const filebeat = {
      '@timestamp': '2024-02-13T14:34:38.788Z',
      agent: { type: 'filebeat' },
      event: { start: '2024-02-13T14:34:30.000Z', duration: 8_000_000_000, action: 'netflow_flow' },
      source: { ip: '10.0.0.1', port: 5353, bytes: 100, packets: 2, mac: 'aa:bb:cc:dd:ee:ff' },
      destination: { ip: '10.0.0.2', port: 53 },
      network: { transport: 'udp', iana_number: '17' },
      netflow: { tcp_control_bits: 0, exporter: { address: '10.0.0.254:2055' } },
      spothreat: { label: 'Benign', format: 'something-else', record: 99 },
    };
    const results = await decodeContent(ecsJsonDecoder, 'flow', line(filebeat));
    // The exporter here is address:port, which the contract's exporter address cannot hold.
    expect(rejectionsOf(results).map((r) => r.reason)).toEqual(['line 1: netflow.exporter.address "10.0.0.254:2055" is not an IPv4 or IPv6 address']);
    filebeat.netflow.exporter.address = '10.0.0.254';
    const [doc] = docsOf(await decodeContent(ecsJsonDecoder, 'flow', line(filebeat))) as FlowEvent[];
    expect(doc).toEqual({
      '@timestamp': '2024-02-13T14:34:38.788Z',
      event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow', start: '2024-02-13T14:34:30.000Z', duration: 8e9, action: 'netflow_flow' },
      source: { ip: '10.0.0.1', port: 5353, bytes: 100, packets: 2 },
      destination: { ip: '10.0.0.2', port: 53 },
      network: { transport: 'udp', iana_number: '17' },
      netflow: { tcp_control_bits: 0, exporter: { address: '10.0.0.254' } },
      spothreat: { format: 'ecs-json', file: 'input.txt', record: 1, label: 'Benign' },
    });
  });

  it('accepts dotted keys and epoch-millisecond timestamps', async () => {
    const [doc] = docsOf(
      await decodeContent(ecsJsonDecoder, 'flow', line({ '@timestamp': 1700000000123, 'source.ip': '::1', 'destination.ip': '127.0.0.1' })),
    ) as FlowEvent[];
    expect(doc['@timestamp']).toBe('2023-11-14T22:13:20.123Z');
    expect(doc.source.ip).toBe('::1');
  });

  it('reads DNS and proxy documents', async () => {
    const [dns] = docsOf(
      await decodeContent(
        ecsJsonDecoder,
        'dns',
        line({
          '@timestamp': '2024-01-01T00:00:00Z',
          source: { ip: '10.0.0.9' },
          destination: { ip: '8.8.8.8' },
          dns: { question: { name: 'a.example.com', type: 'A' }, response_code: 'NXDOMAIN', answers: [{ data: '1.2.3.4', ttl: 60 }] },
        }),
      ),
    ) as DnsEvent[];
    expect(dns.dns).toMatchObject({ type: 'answer', question: { name: 'a.example.com', type: 'A', registered_domain: 'example.com' }, response_code: 'NXDOMAIN' });
    expect(dns.dns.answers).toEqual([{ data: '1.2.3.4', ttl: 60 }]);
    const [proxy] = docsOf(
      await decodeContent(
        ecsJsonDecoder,
        'proxy',
        line({ '@timestamp': '2024-01-01T00:00:00Z', source: { ip: '10.0.0.9' }, url: { original: 'https://x.example.org:8443/p?q=1' }, http: { response: { status_code: 302 } } }),
      ),
    ) as ProxyEvent[];
    expect(proxy.url).toMatchObject({ domain: 'x.example.org', port: 8443, path: '/p', query: 'q=1', scheme: 'https' });
    expect(proxy.http.response.status_code).toBe(302);
  });

  it('rejects documents that are not JSON objects or lack what the type needs', async () => {
    const results = await decodeContent(ecsJsonDecoder, 'flow', '[1,2]\n{"@timestamp":"yesterday"}\n{"@timestamp":"2024-01-01T00:00:00Z","source":{"ip":"10.0.0.1"}}\nnot json\n');
    expect(results.map((r) => !r.ok && r.reason)).toEqual([
      'line 1: is JSON but not an object',
      'line 2: @timestamp "yesterday" is not a timestamp',
      'line 3: destination.ip is missing',
      expect.stringMatching(/^line 4: is not valid JSON/),
    ]);
  });
});
