import { FlowHeuristics, ProxyHeuristics, proxyHeuristicInput } from './index';
import { DEFAULT_STRENGTH_THRESHOLDS, eventStrength, hitStrength } from './strength';
import type { FlowHeuristicInput, HeuristicHit } from './types';

const flow = (over: Partial<FlowHeuristicInput>): FlowHeuristicInput => ({
  srcIp: '198.51.100.7',
  dstIp: '10.0.0.22',
  sport: 51000,
  dport: 22,
  proto: 'TCP',
  timestamp: Date.UTC(2024, 0, 1),
  bytes: 3000,
  packets: 20,
  ...over,
});

const hit = (heuristic: HeuristicHit['heuristic'], evidence: HeuristicHit['evidence']): HeuristicHit => ({ heuristic, subject: 's', reason: 'r', evidence });

describe('the strength of heuristic evidence', () => {
  it('is 1 at the thresholds and grows with the ln of how far the figures went past them', () => {
    expect(hitStrength(hit('brute-force', { attempts: 20 }))).toBe(1);
    expect(hitStrength(hit('brute-force', { attempts: 200 }))).toBeCloseTo(1 + Math.log(10), 12);
    expect(hitStrength(hit('port-scan', { probedPairs: 600 }))).toBeCloseTo(1 + Math.log(20), 12);
    expect(hitStrength(hit('lateral-movement', { destinations: 12 }))).toBeCloseTo(1 + Math.log(3), 12);
    expect(hitStrength(hit('dga', { nxResponses: 40, distinctDomains: 20 }))).toBeCloseTo(1 + 2 * Math.log(2), 12);
  });

  it('counts a more regular beacon as stronger, up to a hundredth of the variation limit', () => {
    const loose = hitStrength(hit('beaconing', { events: 10, cv: 0.2 }));
    const tight = hitStrength(hit('beaconing', { events: 10, cv: 0.02 }));
    const exact = hitStrength(hit('beaconing', { events: 10, cv: 0 }));
    expect(loose).toBe(1);
    expect(tight).toBeCloseTo(1 + Math.log(10), 12);
    expect(exact).toBeCloseTo(1 + Math.log(100), 12);
  });

  it('adds the hits of an event; an event without hits has none', () => {
    expect(eventStrength([])).toBe(0);
    expect(eventStrength([hit('brute-force', { attempts: 20 }), hit('beaconing', { events: 10, cv: 0.2 })], DEFAULT_STRENGTH_THRESHOLDS)).toBe(2);
  });
});

describe('the other direction of an attack conversation', () => {
  it("tags the server's answers to a brute-forcer with the brute force, and the targets' answers to a scanner with the scan", () => {
    const heuristics = new FlowHeuristics();
    for (let i = 0; i < 30; i++) heuristics.add(flow({ sport: 51000 + i, timestamp: Date.UTC(2024, 0, 1) + i * 2000 }));
    for (let port = 1; port <= 120; port++) heuristics.add(flow({ srcIp: '10.0.0.66', dstIp: '10.0.0.30', sport: 40000, dport: port, packets: 1, bytes: 44 }));
    const answer = flow({ srcIp: '10.0.0.22', dstIp: '198.51.100.7', sport: 22, dport: 51003, packets: 18 });
    expect(heuristics.tagsFor(answer).map((h) => h.heuristic)).toEqual(['brute-force']);
    const synAck = flow({ srcIp: '10.0.0.30', dstIp: '10.0.0.66', sport: 22, dport: 40000, packets: 1, bytes: 44 });
    expect(heuristics.tagsFor(synAck).map((h) => h.heuristic)).toContain('port-scan');
    // A real session from the scanned host back to the scanner is not an answer to a probe.
    expect(heuristics.tagsFor({ ...synAck, packets: 400, bytes: 500_000 }).map((h) => h.heuristic)).not.toContain('port-scan');
  });
});

describe('beaconing through a web proxy', () => {
  it('tags a client requesting one host every five minutes, with the host as the subject', () => {
    const heuristics = new ProxyHeuristics();
    const request = (i: number, host = 'cdn-update.example') =>
      proxyHeuristicInput({
        clientIp: '10.0.0.34',
        timestamp: Date.UTC(2024, 0, 1) + i * 300_000 + (i % 3) * 1000,
        word: { host, hour: 9, method: 'GET', uri: `${host}/jquery.min.js`, contentType: undefined, userAgent: undefined, responseCode: 200 },
      });
    for (let i = 0; i < 20; i++) heuristics.add(request(i));
    heuristics.add(request(3, 'news.example'));
    const tags = heuristics.tagsFor(request(5));
    expect(tags.map((h) => h.subject)).toEqual(['10.0.0.34 -> cdn-update.example']);
    expect(heuristics.strengthOf(tags)).toBeGreaterThan(1);
    expect(heuristics.tagsFor(request(3, 'news.example'))).toEqual([]);
  });
});
