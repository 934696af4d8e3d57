import type { DnsEvent, FlowEvent, ProxyEvent } from '../../domain/events';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';
import { unescapeZeek, zeekDecoder } from './zeek';

const PREAMBLE = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-'];

function tsvLog(path: string, fields: string[], rows: string[][]): string {
  return [...PREAMBLE, `#path\t${path}`, `#fields\t${fields.join('\t')}`, ...rows.map((row) => row.join('\t')), '#close\t2022-06-17-00-00-07'].join('\n');
}

const CONN_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes',
  'tunnel_parents', 'label', 'detailedlabel',
];
// Taken from 008-zeek-mixed/data/conn.log.labeled (Stratosphere, CTU-Normal-40).
const CONN_ROW = [
  '1655071231.749548', 'CEL3aLvvNGvO6Ecoa', '193.201.9.232', '46563', '147.32.81.167', '3933', 'tcp', '-', '0.000010', '0', '0',
  'S0', 'F', 'T', '0', 'S', '2', '80', '0', '0', '(empty)', 'Malicious', 'External-Attack-to-Device',
];

const DNS_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'query', 'qclass', 'qclass_name', 'qtype',
  'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'Z', 'answers', 'TTLs', 'rejected',
];
const DNS_ROW = [
  '19.379652', 'CGTEd511MQ5RRlrSVd', '192.168.1.113', '58784', '8.8.8.8', '53', 'udp', '46035', 'www.msftncsi.com', '1', 'C_INTERNET', '1',
  'A', '0', 'NOERROR', 'F', 'F', 'T', 'T', '0', 'www.msftncsi.com.edgesuite.net,195.113.232.73', '3178.000000,19.000000', 'F',
];

describe('zeek decoder: conn logs as flows', () => {
  it('reads a labelled TSV conn row into an ECS flow with its Stratosphere labels', async () => {
    const [result] = await decodeContent(zeekDecoder, 'flow', tsvLog('conn', CONN_FIELDS, [CONN_ROW]));
    expect(result).toMatchObject({ ok: true, record: 7 });
    const doc = (result as { doc: FlowEvent }).doc;
    expect(doc).toMatchObject({
      '@timestamp': '2022-06-12T22:00:31.749Z',
      event: { duration: 10_000, action: 'S0' },
      source: { ip: '193.201.9.232', port: 46563, packets: 2, bytes: 80 },
      destination: { ip: '147.32.81.167', port: 3933, packets: 0, bytes: 0 },
      network: { transport: 'tcp', iana_number: '6' },
      spothreat: { format: 'zeek', record: 7, label: 'Malicious', label_detail: 'External-Attack-to-Device' },
    });
  });

  it('reads the same connection from a JSON-lines log', async () => {
    const json = JSON.stringify({
      ts: 1664462456.755299, uid: 'C5xhsO3uGtOfyrBlHh', 'id.orig_h': '172.16.1.11', 'id.orig_p': 40042, 'id.resp_h': '8.8.8.8',
      'id.resp_p': 53, proto: 'udp', duration: 0.012166976928710938, orig_bytes: 0, resp_bytes: 111, conn_state: 'SHR',
      orig_pkts: 0, orig_ip_bytes: 0, resp_pkts: 1, resp_ip_bytes: 139,
    });
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'flow', `${json}\n`)) as FlowEvent[];
    expect(doc['@timestamp']).toBe('2022-09-29T14:40:56.755Z');
    expect(doc.event.duration).toBe(12_167_000);
    expect(doc.destination).toEqual({ ip: '8.8.8.8', port: 53, packets: 1, bytes: 139 });
    expect(doc.spothreat.label).toBeUndefined();
  });

  it('splits the combined trailing "tunnel_parents   label   detailedlabel" column of older labelled logs', async () => {
    const fields = [...CONN_FIELDS.slice(0, 20), 'tunnel_parents   label   detailedlabel'];
    const row = [...CONN_ROW.slice(0, 20), '-   Malicious   PartOfAHorizontalPortScan'];
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'flow', tsvLog('conn', fields, [row]))) as FlowEvent[];
    expect(doc.spothreat).toMatchObject({ label: 'Malicious', label_detail: 'PartOfAHorizontalPortScan' });
  });

  it('calls Zeek icmp over IPv6 ipv6-icmp', async () => {
    const row = [...CONN_ROW];
    row[2] = 'fe80::1';
    row[4] = 'ff02::1';
    row[6] = 'icmp';
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'flow', tsvLog('conn', CONN_FIELDS, [row]))) as FlowEvent[];
    expect(doc.network).toMatchObject({ transport: 'ipv6-icmp', iana_number: '58' });
  });

  it('rejects a row whose field count differs from #fields, and a bad address, naming the line', async () => {
    const badIp = [...CONN_ROW];
    badIp[2] = '193.201.9';
    const text = tsvLog('conn', CONN_FIELDS, [CONN_ROW.slice(0, 10), badIp]);
    const rejected = rejectionsOf(await decodeContent(zeekDecoder, 'flow', text));
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 7: has 10 tab-separated fields, #fields names 23',
      'line 8: id.orig_h "193.201.9" is not an IPv4 or IPv6 address',
    ]);
  });

  it('refuses a log of another kind as a whole: a dns.log given as flow', async () => {
    await expect(decodeContent(zeekDecoder, 'flow', tsvLog('dns', DNS_FIELDS, [DNS_ROW]))).rejects.toThrow(
      'input.txt: line 6: this Zeek log (its #path is dns) is not a conn log as flow needs: #fields lacks any of conn_state, orig_pkts, history',
    );
  });

  it('refuses a file whose data comes before any #fields header and is not JSON', async () => {
    await expect(decodeContent(zeekDecoder, 'flow', '1286536309.450 193 192.168.0.224 TCP_MISS/200\n')).rejects.toThrow(
      /line 1: not a Zeek log/,
    );
  });

  it('rejects a damaged line in a JSON log as one bad record instead of refusing the file', async () => {
    const json = JSON.stringify({ ts: 1, 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '10.0.0.2', 'id.resp_p': 2, proto: 'tcp', conn_state: 'S0' });
    const results = await decodeContent(zeekDecoder, 'flow', `${json}\n"id.orig_h":"10.0.0.1"}\n${json}\n`);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ reason: 'line 2: is not a JSON object, and no #fields header came before it' });
  });

  it('rejects a JSON line that is broken or lacks the connection', async () => {
    const results = await decodeContent(zeekDecoder, 'flow', '{"ts":1,"uid":\n{"ts":1664462456.7,"conn_state":"S0"}\n{"query":"a.b"}\n');
    expect(results.map((r) => !r.ok && r.reason)).toEqual([
      expect.stringMatching(/^line 1: is not valid JSON/),
      'line 2: id.orig_h is unset',
      'line 3: has none of conn_state, orig_pkts, history: not a Zeek conn record',
    ]);
  });
});

describe('zeek decoder: dns logs', () => {
  it('reads query, codes and mnemonics, and pairs answers with their TTLs', async () => {
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'dns', tsvLog('dns', DNS_FIELDS, [DNS_ROW]))) as DnsEvent[];
    expect(doc.source).toEqual({ ip: '192.168.1.113', port: 58784 });
    expect(doc.destination).toEqual({ ip: '8.8.8.8', port: 53 });
    expect(doc.dns).toMatchObject({
      type: 'answer',
      id: 46035,
      question: { name: 'www.msftncsi.com', type: 'A', class: 'IN', registered_domain: 'msftncsi.com', subdomain: 'www' },
      response_code: 'NOERROR',
      answers: [
        { data: 'www.msftncsi.com.edgesuite.net', ttl: 3178 },
        { data: '195.113.232.73', type: 'A', ttl: 19 },
      ],
      resolved_ip: ['195.113.232.73'],
    });
    expect(doc.dns_codes).toEqual({ qtype: 1, qclass: 1, rcode: 0 });
  });

  it('marks a query without a response as a query and rejects one without a name', async () => {
    const unanswered = [...DNS_ROW];
    unanswered[13] = '-';
    unanswered[14] = '-';
    const nameless = [...DNS_ROW];
    nameless[8] = '-';
    const results = await decodeContent(zeekDecoder, 'dns', tsvLog('dns', DNS_FIELDS, [unanswered, nameless]));
    expect((results[0] as { doc: DnsEvent }).doc.dns.type).toBe('query');
    expect(results[1]).toMatchObject({ ok: false, reason: 'line 8: query is unset' });
  });

  it('turns Zeek \\x escapes back into bytes and reads them as UTF-8', async () => {
    const row = [...DNS_ROW];
    row[8] = 'sebastian\\xe2\\x80\\x99s macbook pro._device-info._tcp.local';
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'dns', tsvLog('dns', DNS_FIELDS, [row]))) as DnsEvent[];
    expect(doc.dns.question.name).toBe('sebastian\u2019s macbook pro._device-info._tcp.local');
    expect(unescapeZeek('\\x01\\x02__MSBROWSE__\\x02')).toBe('\u0001\u0002__MSBROWSE__\u0002');
  });
});

describe('zeek decoder: http logs as proxy events', () => {
  const HTTP_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'trans_depth', 'method', 'host', 'uri', 'referrer',
    'user_agent', 'request_body_len', 'response_body_len', 'status_code', 'status_msg', 'resp_mime_types', 'label', 'detailedlabel'];
  const HTTP_ROW = ['1655071298.201945', 'C5hVfL2fjFRPxB5V3d', '147.32.81.167', '62773', '91.228.165.44', '8080', '1', 'POST',
    'i4.c.eset.com', '/livegrid/x.php?a=1', '-', 'EES Update (Windows)', '277', '697', '200', 'OK', 'text/html', 'Benign', 'ESET'];

  it('builds the URL from host, port and uri, and keeps method, status, sizes and agent', async () => {
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'proxy', tsvLog('http', HTTP_FIELDS, [HTTP_ROW]))) as ProxyEvent[];
    expect(doc.url).toEqual({
      original: '/livegrid/x.php?a=1',
      full: 'http://i4.c.eset.com:8080/livegrid/x.php?a=1',
      scheme: 'http',
      domain: 'i4.c.eset.com',
      registered_domain: 'eset.com',
      top_level_domain: 'com',
      port: 8080,
      path: '/livegrid/x.php',
      query: 'a=1',
      extension: 'php',
    });
    expect(doc.http).toEqual({ request: { method: 'POST', bytes: 277 }, response: { status_code: 200, bytes: 697, mime_type: 'text/html' } });
    expect(doc.user_agent).toEqual({ original: 'EES Update (Windows)' });
    expect(doc.spothreat).toMatchObject({ label: 'Benign', label_detail: 'ESET' });
  });

  it('reads an absolute URI (a request to a proxy) as the URL itself', async () => {
    const row = [...HTTP_ROW];
    row[9] = 'http://update.example.org/file.exe';
    const [doc] = docsOf(await decodeContent(zeekDecoder, 'proxy', tsvLog('http', HTTP_FIELDS, [row]))) as ProxyEvent[];
    expect(doc.url).toMatchObject({ domain: 'update.example.org', path: '/file.exe', extension: 'exe', full: 'http://update.example.org/file.exe' });
  });
});
