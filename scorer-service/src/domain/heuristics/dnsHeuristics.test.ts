import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DnsHeuristics } from './index';
import { DGA_DEFAULTS, judgeDga, judgeTunnelling, longRandomSubdomain, TUNNELLING_DEFAULTS, type DgaEvidence, type TunnellingEvidence } from './dns';

const data = path.resolve(__dirname, '../../../../../shared/data');

function lines(file: string): string[] {
  return gunzipSync(readFileSync(path.join(data, file)))
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Query names of a netrack capture (`label,qname` rows). */
function capturedNames(kind: string): string[] {
  return lines(`dns-tunnel-netrack/${kind}_qnames.csv.gz`)
    .slice(1)
    .map((line) => line.slice(line.indexOf(',') + 1));
}

const t0 = Date.UTC(2024, 0, 1);

describe('judgeTunnelling(subject, evidence, options)', () => {
  it.each<[string, Partial<TunnellingEvidence>, boolean]>([
    ['iodine-like: thousands of long random names', { queries: 6000, distinctSubdomains: 6000, meanLength: 120, meanEntropy: 4.9 }, true],
    ['a CDN: many names, short', { queries: 800, distinctSubdomains: 700, meanLength: 9, meanEntropy: 2.7 }, false],
    ['long but repetitive names', { queries: 400, distinctSubdomains: 300, meanLength: 40, meanEntropy: 2.5 }, false],
    ['long random names, but only 49 of them', { queries: 49, distinctSubdomains: 49, meanLength: 60, meanEntropy: 4.5 }, false],
  ])('%s -> %s', (_case, figures, flagged) => {
    const evidence: TunnellingEvidence = { queries: 0, distinctSubdomains: 0, meanLength: 0, meanEntropy: 0, capped: false, ...figures };
    expect(judgeTunnelling('c -> d', evidence, TUNNELLING_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('judgeDga(subject, evidence, options)', () => {
  it.each<[string, Partial<DgaEvidence>, boolean]>([
    ['300 NXDOMAIN for 300 domains', { nxResponses: 300, distinctDomains: 300 }, true],
    ['a typo retried 50 times', { nxResponses: 50, distinctDomains: 1 }, false],
    ['19 NXDOMAIN', { nxResponses: 19, distinctDomains: 19 }, false],
  ])('%s -> %s', (_case, figures, flagged) => {
    const evidence: DgaEvidence = { nxResponses: 0, distinctDomains: 0, meanLabelEntropy: 3, maxPerMinute: 1, capped: false, ...figures };
    expect(judgeDga('c', evidence, DGA_DEFAULTS) !== undefined).toBe(flagged);
  });
});

describe('DnsHeuristics on real captures', () => {
  it.each(['iodine', 'dns2tcp', 'dnscapy'])('flags the %s tunnel and not the plain browsing beside it', (tunnel) => {
    const heuristics = new DnsHeuristics();
    capturedNames(tunnel).forEach((queryName, i) => heuristics.add({ clientIp: '10.0.0.66', queryName, timestamp: t0 + i * 100, responseCode: '0' }));
    capturedNames('plain').forEach((queryName, i) => heuristics.add({ clientIp: '10.0.0.10', queryName, timestamp: t0 + i * 100, responseCode: '0' }));
    const hits = heuristics.hits();
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.every((hit) => hit.heuristic === 'dns-tunnelling' && hit.subject.startsWith('10.0.0.66 -> '))).toBe(true);
    expect(hits[0].evidence.distinctSubdomains).toBeGreaterThan(1000);
  });

  it('flags a client whose queries for DGA names come back NXDOMAIN, not one resolving popular names', () => {
    const heuristics = new DnsHeuristics();
    const generated = lines('dga-umudga/families_10000/cryptolocker.txt.gz').slice(0, 200);
    generated.forEach((queryName, i) => heuristics.add({ clientIp: '10.0.0.77', queryName, timestamp: t0 + i * 500, responseCode: 'NXDOMAIN' }));
    const popular = lines('dga-umudga/legit_top100000.txt.gz').slice(0, 200);
    popular.forEach((queryName, i) => heuristics.add({ clientIp: '10.0.0.11', queryName, timestamp: t0 + i * 500, responseCode: '0' }));
    // A few typos from the ordinary client.
    for (let i = 0; i < 5; i++) heuristics.add({ clientIp: '10.0.0.11', queryName: 'gogle.cmo', timestamp: t0 + i, responseCode: '3' });

    const hits = heuristics.hits();
    expect(hits.map((h) => `${h.heuristic} ${h.subject}`)).toEqual(['dga 10.0.0.77']);
    expect(hits[0].evidence).toMatchObject({ nxResponses: 200, distinctDomains: 200, maxPerMinute: 120 });
    expect(heuristics.tagsFor({ clientIp: '10.0.0.77', queryName: generated[0], timestamp: t0, responseCode: 'NXDOMAIN' }).map((h) => h.heuristic)).toContain('dga');
    expect(heuristics.tagsFor({ clientIp: '10.0.0.77', queryName: 'www.google.com', timestamp: t0, responseCode: '0' })).toEqual([]);
  });
});

describe('longRandomSubdomain(query)', () => {
  it('flags nearly every iodine query that carries payload, one query at a time', () => {
    const long = capturedNames('iodine').filter((name) => name.length >= 60);
    const hits = long.map((queryName) => longRandomSubdomain({ clientIp: '10.0.0.66', queryName, timestamp: t0, responseCode: '0' }));
    const flagged = hits.filter((hit) => hit !== undefined);
    expect(flagged.length / long.length).toBeGreaterThan(0.95);
    expect(flagged[0]?.evidence.subdomainLength).toBeGreaterThanOrEqual(40);
    expect(flagged[0]?.evidence.entropy).toBeGreaterThanOrEqual(4);
  });

  it('leaves long but orderly names and reverse lookups alone', () => {
    const query = (queryName: string) => ({ clientIp: 'c', queryName, timestamp: t0, responseCode: '0' });
    expect(longRandomSubdomain(query('www.google.com'))).toBeUndefined();
    expect(longRandomSubdomain(query('aaaa.bbbb.aaaa.bbbb.aaaa.bbbb.aaaa.bbbb.aaaa.example.com'))).toBeUndefined();
    expect(longRandomSubdomain(query('b.a.9.8.7.6.5.4.3.2.1.0.f.e.d.c.b.a.9.8.7.6.5.4.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'))).toBeUndefined();
  });
});
