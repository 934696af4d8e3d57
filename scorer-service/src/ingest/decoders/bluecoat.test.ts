import type { ProxyEvent } from '../../domain/events';
import { bluecoatDecoder, tokenizeElff } from './bluecoat';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

// Spot's 27-field order (spot-spec section 2.3).
const LINE =
  '2016-06-01 12:00:07 145 10.0.0.5 jdoe "CORP\\Users" - OBSERVED "Technology/Internet" http://ref.example/ 200 TCP_HIT GET ' +
  'text/html http www.example.com 80 /a/b/page.html ?x=1&y=2 html "Mozilla/5.0 (Windows NT 10.0)" 192.168.1.10 1024 512 - - -';

describe('bluecoat decoder', () => {
  it("reads Spot's 27-field layout with quoted fields", async () => {
    const [doc] = docsOf(await decodeContent(bluecoatDecoder, 'proxy', `#Software: SGOS 6.5\n${LINE}\n`)) as ProxyEvent[];
    expect(doc).toMatchObject({
      '@timestamp': '2016-06-01T12:00:07.000Z',
      event: { duration: 145_000_000, action: 'TCP_HIT' },
      source: { ip: '10.0.0.5', bytes: 512 },
      destination: { ip: '192.168.1.10', bytes: 1024, domain: 'www.example.com' },
      url: {
        original: 'http://www.example.com/a/b/page.html?x=1&y=2',
        full: 'http://www.example.com/a/b/page.html?x=1&y=2',
        path: '/a/b/page.html',
        query: 'x=1&y=2',
        extension: 'html',
        port: 80,
      },
      http: {
        request: { method: 'GET', referrer: 'http://ref.example/', bytes: 512 },
        response: { status_code: 200, bytes: 1024, mime_type: 'text/html' },
      },
      user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0)' },
      user: { name: 'jdoe' },
      proxy: { categories: 'Technology/Internet', filter_result: 'OBSERVED', action: 'TCP_HIT', auth_group: 'CORP\\Users' },
      spothreat: { format: 'bluecoat', record: 2 },
    });
  });

  it('follows the order of a #Fields: directive', async () => {
    const text = '#Fields: date time c-ip sc-status cs-method cs-host cs-uri-path\n2016-06-01 12:00:07 10.0.0.5 404 GET a.example.org /x\n';
    const [doc] = docsOf(await decodeContent(bluecoatDecoder, 'proxy', text)) as ProxyEvent[];
    expect(doc.url.original).toBe('a.example.org/x');
    expect(doc.http.response.status_code).toBe(404);
  });

  it('rejects a line with the wrong number of fields or an unclosed quote', async () => {
    const rejected = rejectionsOf(await decodeContent(bluecoatDecoder, 'proxy', `2016-06-01 12:00:07 145\n${LINE} "unclosed\n`));
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 1: has 3 fields, the Bluecoat layout has 27',
      expect.stringMatching(/^line 2: has an unclosed quote at character \d+/),
    ]);
  });
});

describe('tokenizeElff', () => {
  it('splits on spaces and tabs and keeps quoted spaces', () => {
    expect(tokenizeElff('a  "b c"\td ""')).toEqual(['a', 'b c', 'd', '']);
  });
});
