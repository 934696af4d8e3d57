import { parseTopDomainList, TopDomainClassifier } from '../topDomains';
import { dnsWord } from './dnsWords';
import { proxyWord } from './proxyWords';
import type { DnsWordInput, ProxyWordInput } from './types';
import { UserAgentCounts } from './userAgents';

const list = parseTopDomainList('google.com\nfacebook.com\nbbc.co.uk\n');
const seedDomains = new TopDomainClassifier(list, { userDomains: ['apache'] });
const spotDomains = new TopDomainClassifier(list, { userDomains: ['apache'], matchBy: 'label' });

const dns = (over: Partial<DnsWordInput>): DnsWordInput => ({
  queryName: 'abcdefg.apache.com',
  frameLength: 213,
  hour: 11,
  queryType: '1',
  responseCode: '0',
  ...over,
});

describe('dnsWord(input, ctx)', () => {
  it("reproduces Spot's code test with the spot-code variant", () => {
    expect(dnsWord(dns({}), { variant: 'spot-code', domains: spotDomains })).toBe('2_7_11_2_10_1_1_0');
  });

  it('bins the same query with the seed cutoffs and counts periods in the subdomain only', () => {
    // frame 213 -> first cutoff >= 213 is 256 (index 9); subdomain "abcdefg": length 7 -> 4, entropy log2(7) -> 10, no periods -> 0
    expect(dnsWord(dns({}), { variant: 'seed', domains: seedDomains })).toBe('2_9_11_4_10_0_1_0');
  });

  it('classes a name on the top list as 1 and others as 0', () => {
    const ctx = { variant: 'seed' as const, domains: seedDomains };
    expect(dnsWord(dns({ queryName: 'www.google.com' }), ctx).startsWith('1_')).toBe(true);
    expect(dnsWord(dns({ queryName: 'news.bbc.co.uk' }), ctx).startsWith('1_')).toBe(true);
    expect(dnsWord(dns({ queryName: 'www.google.co.uk' }), ctx).startsWith('0_')).toBe(true);
    expect(dnsWord(dns({ queryName: 'x9f2k.example.org' }), ctx).startsWith('0_')).toBe(true);
  });

  it("matches on the first label only in the spot-code variant, as Spot's code did", () => {
    expect(dnsWord(dns({ queryName: 'www.google.co.uk' }), { variant: 'spot-code', domains: spotDomains }).startsWith('1_')).toBe(true);
  });

  it('splits on the public suffix list: the subdomain of a.b.example.co.uk is "a.b"', () => {
    // "a.b": length 3 -> 3, entropy log2(3) = 1.58 -> 6, one period -> 1
    expect(dnsWord(dns({ queryName: 'a.b.example.co.uk' }), { variant: 'seed', domains: seedDomains })).toBe('0_9_11_3_6_1_1_0');
  });

  it('writes -1 for a frame length, query type or response code the source did not record', () => {
    const word = dnsWord(dns({ frameLength: undefined, queryType: undefined, responseCode: undefined }), {
      variant: 'seed',
      domains: seedDomains,
    });
    expect(word).toBe('2_-1_11_4_10_0_-1_-1');
  });

  it('rejects an empty name, a negative frame length and a bad hour with a reason', () => {
    const ctx = { variant: 'seed' as const, domains: seedDomains };
    expect(() => dnsWord(dns({ queryName: '' }), ctx)).toThrow('query name is empty');
    expect(() => dnsWord(dns({ frameLength: -5 }), ctx)).toThrow('frame length must be a finite number >= 0');
    expect(() => dnsWord(dns({ hour: Number.NaN }), ctx)).toThrow('hour must be an integer 0..23');
  });
});

const proxy = (over: Partial<ProxyWordInput>): ProxyWordInput => ({
  host: 'intel.com',
  hour: 0,
  method: 'PUT',
  uri: 'ab',
  contentType: 'text',
  userAgent: 'curl/8',
  responseCode: 202,
  ...over,
});

describe('proxyWord(input, ctx)', () => {
  const agents = new UserAgentCounts();
  agents.add('curl/8');
  const userAgentCount = (ua: string | undefined) => agents.count(ua);
  const intel = new TopDomainClassifier(list, { userDomains: ['intel'] });

  it("reproduces Spot's code test with the spot-code variant (URI-length feature included)", () => {
    expect(proxyWord(proxy({}), { variant: 'spot-code', domains: intel, userAgentCount })).toBe('2_0_PUT_4_text_0_1_202');
  });

  it('leaves out the URI length and bins the agent count with the seed cutoffs', () => {
    expect(proxyWord(proxy({}), { variant: 'seed', domains: intel, userAgentCount })).toBe('2_0_PUT_4_text_1_202');
  });

  it('keeps only the top-level content type and fills missing text with "-"', () => {
    const ctx = { variant: 'seed' as const, domains: intel, userAgentCount };
    expect(proxyWord(proxy({ contentType: 'image/png; q=1' }), ctx)).toBe('2_0_PUT_4_image_1_202');
    expect(proxyWord(proxy({ contentType: undefined, method: undefined, userAgent: undefined, responseCode: undefined }), ctx)).toBe(
      '2_0_-_4_-_0_-1',
    );
  });

  it('rejects an empty host and a fractional status code with a reason', () => {
    const ctx = { variant: 'seed' as const, domains: intel, userAgentCount };
    expect(() => proxyWord(proxy({ host: '' }), ctx)).toThrow('host is empty');
    expect(() => proxyWord(proxy({ responseCode: 20.5 }), ctx)).toThrow('response code must be a non-negative integer');
  });
});
