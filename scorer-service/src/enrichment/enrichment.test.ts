import { AsnRangesBuilder } from './asnRanges';
import { parseBlocklist } from './blocklist';
import { Enricher } from './enricher';
import { IpRangeSet } from '../domain/ipRanges';
import { parseNetworkContext } from './networkContext';
import { dnsCode, dnsQtypeName, dnsRcodeName, httpStatusName } from './protocolNames';
import { checkReputation, mergeReputation, type ReputationProvider } from './reputation';

describe('IpRangeSet', () => {
  const internal = new IpRangeSet(['10.0.0.0/8', '192.168.0.0/16', 'fc00::/7']);

  it.each([
    ['10.1.2.3', true],
    ['192.168.255.1', true],
    ['8.8.8.8', false],
    ['::ffff:10.0.0.9', true],
    ['fd12::1', true],
    ['2001:db8::1', false],
    ['not an ip', false],
  ])('says whether %s is inside', (ip, expected) => {
    expect(internal.contains(ip)).toBe(expected);
  });

  it('rejects a malformed range with its text', () => {
    expect(() => new IpRangeSet(['10.0.0.0/8', 'office'])).toThrow(/"office"/);
  });

  it('answers the same for an address asked again, also after more distinct addresses than it remembers', () => {
    const ranges = new IpRangeSet(['10.0.0.0/9']);
    const addresses = Array.from({ length: 70_000 }, (_v, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    addresses.push('10.128.0.1', '10.127.255.255');
    const first = addresses.map((ip) => ranges.contains(ip));
    expect(addresses.map((ip) => ranges.contains(ip))).toEqual(first);
    expect(first.slice(-2)).toEqual([false, true]);
    expect(first.every((inside, i) => inside === (i < 70_000 || i === addresses.length - 1))).toBe(true);
  });
});

describe('parseNetworkContext', () => {
  const context = parseNetworkContext(
    ['ip,name', '10.0.0.0/8,datacenter', '10.1.2.3,mail server', '192.168.1.10-192.168.1.20,printers', '2001:db8::/32,lab v6'].join('\n'),
    'context.csv',
  );

  it('names an address by the narrowest entry covering it', () => {
    expect(context.nameOf('10.1.2.3')).toBe('mail server');
    expect(context.nameOf('10.9.9.9')).toBe('datacenter');
    expect(context.nameOf('192.168.1.15')).toBe('printers');
    expect(context.nameOf('192.168.1.21')).toBeUndefined();
    expect(context.nameOf('2001:db8:1::5')).toBe('lab v6');
  });

  it('reports every bad line with its number', () => {
    expect(() => parseNetworkContext('10.0.0.1,ok\n10.0.0.300,bad\nnocomma\n10.0.0.2,', 'x.csv')).toThrow(/line 2[\s\S]*line 3[\s\S]*line 4/);
  });
});

describe('protocol names', () => {
  it('names DNS and HTTP codes, and says Unknown for the rest', () => {
    expect(dnsQtypeName(16)).toBe('TXT');
    expect(dnsRcodeName(3)).toBe('NXDOMAIN');
    expect(httpStatusName(404)).toBe('Not Found');
    expect(dnsQtypeName(4242)).toBe('Unknown (4242)');
  });

  it('recovers the code from a mnemonic when the event kept only that', () => {
    expect(dnsCode('qtype', undefined, 'aaaa')).toEqual({ code: 28, name: 'AAAA' });
    expect(dnsCode('qtype', undefined, 'TYPE65')).toEqual({ code: 65, name: 'HTTPS' });
    expect(dnsCode('rcode', 2, 'whatever')).toEqual({ code: 2, name: 'SERVFAIL' });
    expect(dnsCode('rcode', undefined, undefined)).toBeUndefined();
  });
});

describe('blocklist', () => {
  const list = parseBlocklist('# local intel\n203.0.113.7\n198.51.100.0/24,2,scanner net\nevil.example\n', 'blocklist.txt');

  it('matches addresses, ranges, domains with their subdomains, and URL hosts', () => {
    expect(list.lookup({ kind: 'ip', value: '203.0.113.7' })?.level).toBe(3);
    expect(list.lookup({ kind: 'ip', value: '198.51.100.77' })).toMatchObject({ level: 2, label: 'scanner net' });
    expect(list.lookup({ kind: 'domain', value: 'cdn.EVIL.example.' })?.level).toBe(3);
    expect(list.lookup({ kind: 'url', value: 'http://a.evil.example/x?y=1' })?.level).toBe(3);
    expect(list.lookup({ kind: 'domain', value: 'notevil.example' })).toBeUndefined();
  });

  it('refuses lines that are neither address nor domain, and bad levels', () => {
    expect(() => parseBlocklist('1.2.3.4,7\nhello world\n', 'b.txt')).toThrow(/line 1[\s\S]*line 2/);
  });
});

describe('reputation merge', () => {
  const high: ReputationProvider = { name: 'a', check: async (ind) => ind.map((i) => ({ provider: 'a', indicator: i.value, level: 3 as const, label: 'MALICIOUS' })) };
  const low: ReputationProvider = { name: 'b', check: async (ind) => ind.map((i) => ({ provider: 'b', indicator: i.value, level: 1 as const, label: 'minimal' })) };
  const broken: ReputationProvider = { name: 'c', check: async () => Promise.reject(new Error('timeout')) };

  it('keeps the highest level whatever order the providers answer in, and every hit', async () => {
    for (const providers of [[high, low], [low, high]]) {
      const merged = mergeReputation(await checkReputation(providers, [{ kind: 'ip', value: '203.0.113.7' }]));
      expect(merged.level).toBe(3);
      expect(merged.hits.map((h) => h.provider).sort()).toEqual(['a', 'b']);
    }
  });

  it('shows a failed provider as unavailable instead of clean', async () => {
    const hits = await checkReputation([broken], [{ kind: 'domain', value: 'x.example' }]);
    expect(hits).toEqual([{ provider: 'c', indicator: 'x.example', level: -1, label: 'unavailable: timeout' }]);
    expect(mergeReputation([]).level).toBe(0);
  });
});

describe('Enricher', () => {
  const enricher = new Enricher({
    internalRanges: ['10.0.0.0/8'],
    context: parseNetworkContext('10.0.0.5,web proxy', 'c.csv'),
    geo: { locate: (ip) => (ip === '203.0.113.7' ? { countryCode: 'NL', country: 'Netherlands', lat: 52, lon: 5 } : undefined) },
    reputation: [{ name: 'blocklist', check: async (ind) => parseBlocklist('evil.example\n203.0.113.7,2', 'b').hits('blocklist', ind) }],
  });

  it('adds internal flags, context, geo for external hosts and reputation to a flow', async () => {
    const [flow] = await enricher.enrich('flow', [{ source: { ip: '10.0.0.5' }, destination: { ip: '203.0.113.7' } }]);
    expect(flow.source).toEqual({ ip: '10.0.0.5', internal: true, context: 'web proxy' });
    expect(flow.destination).toMatchObject({ internal: false, geo: { countryCode: 'NL' } });
    expect(flow.reputation.level).toBe(2);
  });

  it('names DNS codes, splits the domain at its public suffix and checks the name', async () => {
    const [dns] = await enricher.enrich('dns', [
      { source: { ip: '10.0.0.9' }, destination: { ip: '10.0.0.53' }, dns: { question: { name: 'x1.cdn.evil.example.co.uk' } }, dns_codes: { qtype: 16, rcode: 3 } },
    ]);
    expect(dns.dns).toEqual({ qtype: { code: 16, name: 'TXT' }, rcode: { code: 3, name: 'NXDOMAIN' } });
    expect(dns.domain).toEqual({ host: 'x1.cdn.evil.example.co.uk', registered: 'example.co.uk', tld: 'co.uk' });
    expect(dns.reputation.level).toBe(0);
  });

  it('names the HTTP status of a proxy request', async () => {
    const [proxy] = await enricher.enrich('proxy', [
      { source: { ip: '10.0.0.9' }, url: { original: 'http://evil.example/a', domain: 'evil.example' }, http: { response: { status_code: 503 } } },
    ]);
    expect(proxy.http).toEqual({ statusName: 'Service Unavailable' });
    expect(proxy.reputation.level).toBe(3);
  });
});

describe('Enricher with an ASN table', () => {
  const builder = new AsnRangesBuilder();
  builder.add('203.0.113.0', '203.0.113.255', '64496', 'Example Transit', { file: 't.csv', line: 1 });
  builder.add('198.51.100.0', '198.51.100.255', '64497', 'No Geo Net', { file: 't.csv', line: 2 });
  builder.add('10.0.0.0', '10.255.255.255', '64498', 'Own Private AS', { file: 't.csv', line: 3 });
  const cityRecord = { countryCode: 'NL', country: 'Netherlands' };
  const enricher = new Enricher({
    internalRanges: ['10.0.0.0/8'],
    geo: { locate: (ip) => (ip === '203.0.113.7' ? cityRecord : undefined) },
    asn: builder.build().ranges,
  });

  it('adds the AS number and organisation to the location of external hosts, on both sides', async () => {
    const [flow] = await enricher.enrich('flow', [{ source: { ip: '198.51.100.9' }, destination: { ip: '203.0.113.7' } }]);
    expect(flow.source.geo).toEqual({ asn: 64497, asOrg: 'No Geo Net' });
    expect(flow.destination?.geo).toEqual({ countryCode: 'NL', country: 'Netherlands', asn: 64496, asOrg: 'Example Transit' });
    expect(cityRecord).toEqual({ countryCode: 'NL', country: 'Netherlands' });
  });

  it('leaves internal hosts and addresses of no AS without one', async () => {
    const [flow] = await enricher.enrich('flow', [{ source: { ip: '10.1.2.3' }, destination: { ip: '192.0.2.1' } }]);
    expect(flow.source.geo).toBeUndefined();
    expect(flow.destination?.geo).toBeUndefined();
  });
});
