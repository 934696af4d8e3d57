import type { ProxyEvent } from '../../domain/events';
import { squidDecoder } from './squid';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

const LINE = '1286536309.450    193 192.168.0.224 TCP_MISS/200 1052 GET http://www.google.com/search?q=x - DIRECT/74.125.39.99 text/html';

describe('squid decoder', () => {
  it('reads a native access.log line into a proxy event', async () => {
    const [doc] = docsOf(await decodeContent(squidDecoder, 'proxy', `${LINE}\n`)) as ProxyEvent[];
    expect(doc).toMatchObject({
      '@timestamp': '2010-10-08T11:11:49.450Z',
      event: { duration: 193_000_000, action: 'TCP_MISS', dataset: 'spothreat.proxy' },
      source: { ip: '192.168.0.224' },
      destination: { ip: '74.125.39.99', bytes: 1052, domain: 'www.google.com' },
      url: { original: 'http://www.google.com/search?q=x', scheme: 'http', domain: 'www.google.com', path: '/search', query: 'q=x' },
      http: { request: { method: 'GET' }, response: { status_code: 200, bytes: 1052, mime_type: 'text/html' } },
    });
    expect(doc.user).toBeUndefined();
  });

  it('reads a CONNECT authority and a denied request without a reply status', async () => {
    const connect = '1286536310.000 5 10.0.0.1 TCP_DENIED/000 0 CONNECT mail.example.com:443 alice NONE/- -';
    const [doc] = docsOf(await decodeContent(squidDecoder, 'proxy', `${connect}\n`)) as ProxyEvent[];
    expect(doc.url).toMatchObject({ original: 'mail.example.com:443', domain: 'mail.example.com', port: 443 });
    expect(doc.http.response.status_code).toBeUndefined();
    expect(doc.user).toEqual({ name: 'alice' });
    expect(doc.destination.ip).toBeUndefined();
  });

  it('rejects every line of a log in another format with the field count', async () => {
    const zeek = '1655071298.201945\tC5hVfL2fjFRPxB5V3d\t147.32.81.167\t62773\t91.228.165.44\t80\t1\tPOST\ti4.c.eset.com\t/livegrid';
    const rejected = rejectionsOf(await decodeContent(squidDecoder, 'proxy', `#separator \\x09\n${zeek}\n`));
    expect(rejected.map((r) => r.reason)).toEqual([
      "line 1: has 2 space-separated fields; Squid's native access.log format has 10",
      // Ten tab-separated Zeek fields pass the count, and fail on the first field that is not Squid's.
      'line 2: result "62773" is not CODE/STATUS',
    ]);
  });

  it('rejects a bad client address and a non-numeric size', async () => {
    const results = await decodeContent(squidDecoder, 'proxy', `${LINE.replace('192.168.0.224', 'host.lan')}\n${LINE.replace(' 1052 ', ' lots ')}\n`);
    expect(results.map((r) => !r.ok && r.reason)).toEqual([
      'line 1: client address "host.lan" is not an IPv4 or IPv6 address',
      'line 2: bytes "lots" is not a non-negative integer',
    ]);
  });
});
