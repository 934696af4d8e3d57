import type { FlowEvent } from '../../domain/events';
import { NfdumpCsvParser } from '../../ingest/decoders/nfdumpCsv';
import {
  NFDUMP_CSV_HEADER,
  NfdumpCsvFormatter,
  ZEEK_DNS_LAYOUT,
  ZEEK_HTTP_LAYOUT,
  squidLine,
  zeekDnsLine,
  zeekHeader,
  zeekHttpLine,
  zeekId,
  zeekSeconds,
} from './formats';
import { tcpConnection, type DnsRecord, type ProxyRecord } from './records';

// 2025-03-11 10:15:30.123456 UTC in microseconds.
const T = 1741688130_123456;

const [forward, reverse] = tcpConnection({
  time: T,
  durationMicros: 2_500_000,
  clientIp: '10.10.0.45',
  clientPort: 61013,
  serverIp: '142.250.1.10',
  serverPort: 443,
  sentBytes: 1200,
  receivedBytes: 40000,
});

const dns: DnsRecord = {
  kind: 'dns',
  time: T,
  clientIp: '10.10.0.45',
  clientPort: 61013,
  resolverIp: '10.1.0.10',
  transactionId: 4242,
  rttMicros: 1234,
  query: 'www.example.org',
  qtype: 1,
  rcode: 0,
  answers: ['www-example-org.cdn.cloudflare.net', '104.16.1.2'],
  ttls: [300, 60],
};

const http: ProxyRecord = {
  kind: 'proxy',
  time: T,
  clientIp: '10.10.0.45',
  clientPort: 61013,
  serverIp: '142.250.1.10',
  serverPort: 443,
  method: 'GET',
  host: 'www.google.com',
  uri: '/search?q=x',
  referrer: '',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  requestBytes: 0,
  responseBytes: 5120,
  status: 200,
  mime: 'text/html',
  elapsedMillis: 87,
};

describe('nfdump csv lines', () => {
  it('decode through the ingest decoder into the flow they were made from', () => {
    const formatter = new NfdumpCsvFormatter('10.0.0.1');
    const parser = new NfdumpCsvParser('flows.csv', 'nfdump-csv');
    expect(parser.parse(NFDUMP_CSV_HEADER, 1)).toBeUndefined();
    const result = parser.parse(formatter.line(forward), 2);
    expect(result).toMatchObject({ ok: true });
    const doc = (result as { doc: FlowEvent }).doc;
    expect(doc).toMatchObject({
      '@timestamp': '2025-03-11T10:15:30.000Z',
      event: { end: '2025-03-11T10:15:32.000Z', duration: 2_500_000_000 },
      source: { ip: '10.10.0.45', port: 61013, packets: forward.packets, bytes: forward.bytes },
      destination: { ip: '142.250.1.10', port: 443, packets: 0, bytes: 0 },
      network: { transport: 'tcp' },
      netflow: { tcp_control_bits: 0x1b, exporter: { address: '10.0.0.1' } },
    });
  });

  it('have as many fields as the nfdump 1.7 header, with the received time after the end', () => {
    const line = new NfdumpCsvFormatter('10.0.0.1').line(reverse);
    const fields = line.split(',');
    expect(fields.length).toBe(NFDUMP_CSV_HEADER.split(',').length);
    expect(fields[fields.length - 1] > fields[1]).toBe(true);
    expect(fields[8]).toBe('...AP.SF');
  });
});

describe('Zeek logs', () => {
  it('write a dns.log line with one value per #fields column and the Stratosphere labels', () => {
    const benign = zeekDnsLine(dns, 'CAbc').split('\t');
    expect(benign.length).toBe(ZEEK_DNS_LAYOUT.fields.length);
    const value = (name: string, fields: string[]) => fields[ZEEK_DNS_LAYOUT.fields.indexOf(name)];
    expect(value('ts', benign)).toBe('1741688130.123456');
    expect(value('qtype_name', benign)).toBe('A');
    expect(value('answers', benign)).toBe('www-example-org.cdn.cloudflare.net,104.16.1.2');
    expect(value('TTLs', benign)).toBe('300.000000,60.000000');
    expect([value('label', benign), value('detailedlabel', benign)]).toEqual(['Benign', '-']);
    const attack = zeekDnsLine({ ...dns, rcode: 3, answers: [], ttls: [], attack: 'dga' }, 'CAbc').split('\t');
    expect([value('rcode_name', attack), value('answers', attack), value('label', attack), value('detailedlabel', attack)]).toEqual(['NXDOMAIN', '-', 'Malicious', 'dga']);
  });

  it('write an http.log line with one value per column, unset values as "-" and no file ids without a body', () => {
    let files = 0;
    const fileId = () => `F${files++}`;
    const fields = zeekHttpLine(http, 'CAbc', fileId).split('\t');
    expect(fields.length).toBe(ZEEK_HTTP_LAYOUT.fields.length);
    const value = (name: string) => fields[ZEEK_HTTP_LAYOUT.fields.indexOf(name)];
    expect([value('method'), value('host'), value('uri'), value('referrer'), value('status_code'), value('status_msg')]).toEqual(['GET', 'www.google.com', 'https://www.google.com/search?q=x', '-', '200', 'OK']);
    expect([value('orig_fuids'), value('resp_fuids'), value('resp_mime_types')]).toEqual(['-', 'F0', 'text/html']);
    const redirect = zeekHttpLine({ ...http, status: 302, responseBytes: 0, mime: '' }, 'CAbd', fileId).split('\t');
    expect(redirect[ZEEK_HTTP_LAYOUT.fields.indexOf('resp_mime_types')]).toBe('-');
  });

  it('start a log with the eight header lines Zeek writes', () => {
    const header = zeekHeader(ZEEK_DNS_LAYOUT, 1741687200);
    expect(header[0]).toBe('#separator \\x09');
    expect(header[5]).toBe('#open\t2025-03-11-10-00-00');
    expect(header[6].split('\t').slice(1)).toEqual(ZEEK_DNS_LAYOUT.fields);
    expect(header[7].split('\t').length).toBe(header[6].split('\t').length);
  });

  it('make connection ids of 18 characters that differ by sequence and by seed', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(zeekId('C', i, 7));
    expect(ids.size).toBe(5000);
    expect(zeekId('C', 1, 7)).toMatch(/^C[0-9A-Za-z]{17}$/);
    expect(zeekId('C', 1, 7)).not.toBe(zeekId('C', 1, 8));
  });

  it('print times with six decimals', () => {
    expect(zeekSeconds(1_000_005)).toBe('1.000005');
    expect(zeekSeconds(T)).toBe('1741688130.123456');
  });
});

describe('Squid access.log lines', () => {
  it('follow the native format: time, elapsed, client, code/status, bytes, method, URL, user, hierarchy, type', () => {
    const fields = squidLine(http).split(/ +/);
    expect(fields).toEqual(['1741688130.123', '87', '10.10.0.45', 'TCP_MISS/200', expect.stringMatching(/^\d+$/), 'GET', 'https://www.google.com/search?q=x', '-', 'HIER_DIRECT/142.250.1.10', 'text/html']);
    expect(Number(fields[4])).toBeGreaterThan(http.responseBytes);
  });

  it('log a blocked request as TCP_DENIED with no peer', () => {
    expect(squidLine({ ...http, status: 403, responseBytes: 0, mime: '' })).toMatch(/ TCP_DENIED\/403 .* HIER_NONE\/- -$/);
  });
});
