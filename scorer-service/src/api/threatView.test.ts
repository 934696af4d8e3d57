import { buildSuspiciousDocument } from '../scoring/suspiciousDocument';
import { buildNetworkGraph, geoPoints } from './networkGraph';
import { csvHeader, csvLine, threatRow } from './threatView';

/** A stored flow whose two external sides have an AS: one with a city record, one with the AS alone. */
function storedFlow() {
  const doc = buildSuspiciousDocument({
    dataType: 'flow',
    window: { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' },
    runId: 'run-1',
    scoredAt: '2026-11-22T00:05:00.000Z',
    model: { name: 'lda', version: 1 },
    rank: 1,
    score: 1e-5,
    words: ['w'],
    explanation: 'why',
    heuristics: [],
    rawIndex: 'raw',
    rawId: 'abc',
    event: { '@timestamp': '2026-11-21T10:00:00.000Z', source: { ip: '198.51.100.9', port: 5353 }, destination: { ip: '8.8.8.8', port: 53 } },
    enrichment: {
      source: { ip: '198.51.100.9', internal: false, geo: { asn: 64497 } },
      destination: { ip: '8.8.8.8', internal: false, geo: { countryCode: 'US', country: 'United States', lat: 37.7, lon: -122.4, asn: 15169, asOrg: 'Google LLC' } },
      reputation: { level: 0, hits: [] },
    },
  });
  return { id: 'id-1', index: 'spothreat-suspicious-flow-2026.11.21', doc };
}

describe('ASN in the suspicious document and the API views', () => {
  it('stores the AS in ECS places and shows it in the threat row beside the location', () => {
    const stored = storedFlow();
    expect(stored.doc.destination?.as).toEqual({ number: 15169, organization: { name: 'Google LLC' } });
    expect(stored.doc.source.as).toEqual({ number: 64497 });
    expect(stored.doc.source.geo).toBeUndefined();
    const row = threatRow(stored);
    expect(row.dstGeo).toEqual({ countryCode: 'US', country: 'United States', lat: 37.7, lon: -122.4, asn: 15169, asOrg: 'Google LLC' });
    expect(row.srcGeo).toEqual({ asn: 64497 });
  });

  it('exports the AS number and organisation as CSV columns', () => {
    const header = csvHeader().trim().split(',');
    const line = csvLine(threatRow(storedFlow())).trim().split(',');
    expect(line[header.indexOf('dstGeo.asn')]).toBe('15169');
    expect(line[header.indexOf('dstGeo.asOrg')]).toBe('Google LLC');
    expect(line[header.indexOf('srcGeo.asn')]).toBe('64497');
  });

  it('labels graph nodes and geo points with their AS', () => {
    const row = threatRow(storedFlow());
    const graph = buildNetworkGraph('flow', [row]);
    expect(graph.nodes.find((node) => node.id === '8.8.8.8')?.detail__as).toBe('AS15169 Google LLC');
    expect(graph.nodes.find((node) => node.id === '198.51.100.9')?.detail__as).toBe('AS64497');
    expect(geoPoints([row])).toEqual([expect.objectContaining({ ip: '8.8.8.8', asn: 15169, asOrg: 'Google LLC' })]);
  });
});
