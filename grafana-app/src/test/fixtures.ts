import type { DataType, Threat } from '../api/types';

/**
 * Deterministic made-up threats for tests, the browser harness and the UI benchmark. The addresses come from the
 * documentation ranges and private ranges, the places from a short fixed list: none of it is real data.
 */

const PLACES = [
  { countryCode: 'US', country: 'United States', city: 'Ashburn', lat: 39.04, lon: -77.49, asOrg: 'Example Cloud' },
  { countryCode: 'DE', country: 'Germany', city: 'Frankfurt', lat: 50.11, lon: 8.68, asOrg: 'Example Hosting' },
  { countryCode: 'BR', country: 'Brazil', city: 'Sao Paulo', lat: -23.55, lon: -46.63, asOrg: 'Example Telecom' },
  { countryCode: 'JP', country: 'Japan', city: 'Tokyo', lat: 35.68, lon: 139.69, asOrg: 'Example Net' },
  { countryCode: 'ZA', country: 'South Africa', city: 'Johannesburg', lat: -26.2, lon: 28.05, asOrg: 'Example Transit' },
  { countryCode: 'AU', country: 'Australia', city: 'Sydney', lat: -33.87, lon: 151.21, asOrg: 'Example Pacific' },
  { countryCode: 'IN', country: 'India', city: 'Mumbai', lat: 19.08, lon: 72.88, asOrg: 'Example Data' },
];
const HEURISTICS = ['port-scan', 'beaconing', 'brute-force', 'dga', 'dns-tunnelling', 'long-random-subdomain'];
/** Made-up figures per heuristic, shaped like the scorer's evidence (keys differ per heuristic). */
const EVIDENCE: Record<string, Record<string, number | boolean>> = {
  'port-scan': { distinctPorts: 412, connections: 530, failedRatio: 0.93 },
  beaconing: { events: 96, meanIntervalSeconds: 300.2, cv: 0.021, spanSeconds: 28_800, outOfOrder: 0 },
  'brute-force': { connections: 220, attempts: 214, meanPackets: 6.4, meanBytes: 812 },
  dga: { names: 38, meanEntropy: 3.71, nxdomainRatio: 0.84 },
  'dns-tunnelling': { queries: 1800, distinctSubdomains: 1790, meanLength: 52, meanEntropy: 4.4, capped: false },
  'long-random-subdomain': { length: 61, entropy: 4.6 },
};
const AE_FEATURES = ['log_source_bytes', 'destination_port', 'log_duration_seconds', 'log_source_packets', 'flag_syn'];
const CONTEXTS = ['Finance VLAN', 'DMZ web', 'VPN pool', 'Lab'];

/** mulberry32: a small seeded generator, so every run draws the same rows. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FixtureOptions {
  dataType?: DataType;
  seed?: number;
  /** How many distinct internal and external addresses to draw from; more addresses, more graph nodes. */
  internalHosts?: number;
  externalHosts?: number;
  start?: number;
  spanMs?: number;
}

export function makeThreats(count: number, options: FixtureOptions = {}): Threat[] {
  const { dataType = 'flow', seed = 7, internalHosts = 40, externalHosts = 160, start = Date.UTC(2026, 10, 20), spanMs = 86_400_000 } = options;
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const threats: Threat[] = [];
  for (let i = 0; i < count; i++) {
    const internal = Math.floor(random() * internalHosts);
    const external = Math.floor(random() * externalHosts);
    const srcIp = `10.${(internal >> 8) & 255}.${internal & 255}.${10 + (internal % 200)}`;
    const dstIp = `203.0.${(external >> 8) & 255}.${external & 255}`;
    const place = PLACES[external % PLACES.length];
    const timestamp = new Date(start + Math.floor(random() * spanMs)).toISOString();
    const score = Math.pow(10, -2 - random() * 8);
    const heuristics = random() < 0.4 ? [pick(HEURISTICS)] : [];
    // Fused scores fall with the rank, as the scorer writes them: row i is the (i + 1)th most suspicious.
    const fusedScore = 12 / (1 + i / 50) + random();
    const reputationLevel = random() < 0.1 ? 3 : random() < 0.2 ? 2 : 0;
    const common: Threat = {
      id: `${dataType}-${seed}-${i}`,
      dataType,
      timestamp,
      windowFrom: new Date(start).toISOString(),
      windowTo: new Date(start + spanMs).toISOString(),
      rank: i + 1,
      score,
      modelVersion: 3,
      model: 'lda',
      srcIp,
      srcInternal: true,
      srcContext: CONTEXTS[internal % CONTEXTS.length],
      words: [`${dataType}_w${Math.floor(random() * 50)}`, `${dataType}_w${Math.floor(random() * 50)}`],
      explanation: `P(word | ${srcIp}) is ${score.toExponential(1)}: this host rarely talks this way.`,
      heuristics,
      heuristicHits: heuristics.map((heuristic) => ({
        heuristic,
        subject: srcIp,
        reason: `${heuristic} pattern from ${srcIp}`,
        strength: 1 + Math.round(random() * 30) / 10,
        evidence: EVIDENCE[heuristic],
      })),
      fused: {
        score: fusedScore,
        rank: i + 1,
        pValue: Math.pow(10, -fusedScore),
        by: 'fisher(concentration,autoencoder,heuristics)',
        components: { concentration: fusedScore * 0.5, heuristics: heuristics.length > 0 ? 2 : 0 },
      },
      concentration: Math.round(random() * 4000) / 1000,
      reputation: reputationLevel > 0 ? { level: reputationLevel, hits: [{ provider: 'blocklist', indicator: dstIp, level: reputationLevel, label: 'listed' }] } : undefined,
      rawIndex: `spothreat-raw-${dataType}-2026.11.20`,
      rawId: `raw-${i}`,
    };
    if (dataType === 'dns') {
      const name = `x${Math.floor(random() * 1e6).toString(36)}.example-${external}.test`;
      threats.push({ ...common, dstIp, dstGeo: place, dnsQuery: name, dnsQtype: 1, dnsQtypeName: 'A', dnsRcode: 0, dnsRcodeName: 'NOERROR', domain: `example-${external}.test`, tld: 'test' });
    } else if (dataType === 'proxy') {
      const host = `cdn${external}.example.test`;
      threats.push({ ...common, dstIp, dstGeo: place, url: `http://${host}/p/${i}?q=${Math.floor(random() * 1e9)}`, httpMethod: random() < 0.8 ? 'GET' : 'POST', httpStatus: 200, domain: host, userAgent: 'curl/8.0' });
    } else {
      threats.push({
        ...common,
        srcPort: 1024 + Math.floor(random() * 60000),
        dstIp,
        dstPort: pick([22, 53, 80, 443, 445, 3389, 4444, 8080]),
        dstInternal: false,
        dstGeo: place,
        protocol: random() < 0.85 ? 'tcp' : 'udp',
        srcBytes: Math.floor(random() * 5e6),
        dstBytes: Math.floor(random() * 5e5),
        srcPackets: Math.floor(random() * 4000),
        dstPackets: Math.floor(random() * 400),
        autoencoder: madeUpAutoencoder(random),
      });
    }
  }
  return threats;
}

/** An error around the threshold (a third of the rows above it) and three contributing features. */
function madeUpAutoencoder(random: () => number): NonNullable<Threat['autoencoder']> {
  const threshold = 0.8;
  const error = threshold * (0.3 + random() * 2.5);
  const first = Math.floor(random() * AE_FEATURES.length);
  const shares = [0.55, 0.25, 0.1];
  return {
    error,
    threshold,
    topFeatures: shares.map((share, k) => {
      const feature = AE_FEATURES[(first + k) % AE_FEATURES.length];
      const expected = feature === 'flag_syn' ? 1 : feature === 'destination_port' ? 443 : Math.round(100 + random() * 2000);
      return { feature, share, value: feature === 'flag_syn' ? 0 : Math.round(expected * (2 + random() * 40)), expected };
    }),
  };
}
