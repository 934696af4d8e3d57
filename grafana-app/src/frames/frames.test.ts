import { FieldType } from '@grafana/data';

import { makeThreats } from '../test/fixtures';
import { framesToGeoPoints, geoPointsToFrame } from './geoFrame';
import { ingestToSeries } from './ingestSeries';
import { frameToRows, rowsToFrame } from './rowsFrame';
import { framesToThreats, threatsToFrame } from './threatFrame';
import { threatsToGeoPoints } from './threatRows';

describe('rowsToFrame(rows) and frameToRows(frame)', () => {
  it('flattens nested objects into dotted field names and folds them back', () => {
    const frame = rowsToFrame([{ ip: '10.0.0.1', geo: { country: 'DE', lat: 50 }, hits: 2 }, { ip: '10.0.0.2', hits: 1 }], 'rows');
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['ip', FieldType.string],
      ['geo.country', FieldType.string],
      ['geo.lat', FieldType.number],
      ['hits', FieldType.number],
    ]);
    expect(frameToRows(frame)).toEqual([{ ip: '10.0.0.1', geo: { country: 'DE', lat: 50 }, hits: 2 }, { ip: '10.0.0.2', hits: 1 }]);
  });
});

describe('threatsToFrame(threats) and framesToThreats(frames)', () => {
  it('round-trips threats of every data type', () => {
    for (const dataType of ['flow', 'dns', 'proxy'] as const) {
      const threats = makeThreats(5, { dataType });
      expect(framesToThreats([threatsToFrame(threats)])).toEqual(threats);
    }
  });

  it('reads heuristic lists joined with "|" the way the CSV export writes them', () => {
    const frame = rowsToFrame([{ id: 'a', srcIp: '10.0.0.1', heuristics: 'dga|beaconing' }], 'csv');
    expect(framesToThreats([frame])[0].heuristics).toEqual(['dga', 'beaconing']);
  });

  it('skips frames that are not threats', () => {
    expect(framesToThreats([rowsToFrame([{ time: 1, value: 2 }], 'series')])).toEqual([]);
  });
});

describe('threatsToGeoPoints(threats) and framesToGeoPoints(frames)', () => {
  it('keeps one point per located address and reads Geomap-style frames', () => {
    const threats = makeThreats(200, { externalHosts: 10 });
    const points = threatsToGeoPoints(threats);
    expect(points).toHaveLength(10);
    expect(points.reduce((sum, p) => sum + p.count, 0)).toBe(200);
    expect(framesToGeoPoints([geoPointsToFrame(points)])).toEqual(points);
  });

  it('carries the autonomous system of an address through the point and its frame', () => {
    const [threat] = makeThreats(1, { externalHosts: 1 });
    const located = { ...threat, srcGeo: { lat: 37.4, lon: -122.1, country: 'US', asn: 15169, asOrg: 'Google LLC' }, dstGeo: undefined };
    const points = threatsToGeoPoints([located]);
    expect(points).toEqual([expect.objectContaining({ ip: threat.srcIp, asn: 15169, asOrg: 'Google LLC' })]);
    expect(framesToGeoPoints([geoPointsToFrame(points)])[0]).toMatchObject({ asn: 15169, asOrg: 'Google LLC' });
  });

  it('accepts latitude/longitude field names as well as lat/lon', () => {
    const frame = rowsToFrame([{ name: 'x', latitude: 1.5, longitude: 2.5 }], 'geo');
    expect(framesToGeoPoints([frame])[0]).toMatchObject({ ip: 'x', lat: 1.5, lon: 2.5, count: 1 });
  });
});

describe('ingestToSeries(summary, from, to, buckets)', () => {
  it('sums sources per data type into fixed buckets and leaves out types with nothing ingested', () => {
    const from = Date.UTC(2026, 0, 1);
    const summary = {
      points: [
        { minute: new Date(from).toISOString(), dataType: 'flow' as const, source: 'nfcapd', count: 5 },
        { minute: new Date(from).toISOString(), dataType: 'flow' as const, source: 'zeek', count: 2 },
        { minute: new Date(from + 59 * 60_000).toISOString(), dataType: 'dns' as const, source: 'pcap', count: 4 },
      ],
      totals: [
        { dataType: 'flow' as const, source: 'nfcapd', count: 5 },
        { dataType: 'flow' as const, source: 'zeek', count: 2 },
        { dataType: 'dns' as const, source: 'pcap', count: 4 },
      ],
    };
    const set = ingestToSeries(summary, from, from + 3_600_000, 6);
    expect(set.times).toHaveLength(6);
    expect(set.series.map((s) => s.name)).toEqual(['flow', 'dns']);
    expect(set.series[0].values).toEqual([7, 0, 0, 0, 0, 0]);
    expect(set.series[1].values).toEqual([0, 0, 0, 0, 0, 4]);
  });
});

describe('framesToThreats(frames) on an OpenSearch raw-documents frame of the suspicious indices', () => {
  it('reads the index document paths as threat fields', () => {
    const frame = rowsToFrame(
      [
        {
          _id: 'abc',
          '@timestamp': '2026-11-20T01:02:03.000Z',
          'spothreat.data_type': 'dns',
          'spothreat.score': 1e-7,
          'spothreat.rank': 4,
          'spothreat.heuristics': ['dga'],
          'source.ip': '10.0.0.9',
          'source.internal': true,
          'dns.question.name': 'x1.example.test',
          'destination.geo.location.lat': 50.1,
          'destination.geo.location.lon': 8.7,
        },
      ],
      'raw'
    );
    const [threat] = framesToThreats([frame]);
    expect(threat).toMatchObject({ id: 'abc', dataType: 'dns', score: 1e-7, rank: 4, heuristics: ['dga'], srcIp: '10.0.0.9', srcInternal: true, dnsQuery: 'x1.example.test', dstGeo: { lat: 50.1, lon: 8.7 } });
  });

  it('reads the fused ranking, the autoencoder verdict and the heuristic hits of a document', () => {
    const hit = { heuristic: 'beaconing', subject: '10.0.0.9', reason: '96 connections every 300 s', strength: 2.5, evidence: { events: 96, cv: 0.02 } };
    const frame = rowsToFrame(
      [
        {
          _id: 'f1',
          'spothreat.data_type': 'flow',
          'spothreat.score': 1e-4,
          'spothreat.rank': 2,
          'spothreat.fused.score': 6.5,
          'spothreat.fused.rank': 2,
          'spothreat.fused.p_value': 3e-7,
          'spothreat.fused.components.autoencoder': 4.1,
          'spothreat.concentration': 1.7,
          'spothreat.autoencoder.error': 1.6,
          'spothreat.autoencoder.threshold': 0.8,
          'spothreat.autoencoder.top_features': [{ feature: 'log_source_bytes', share: 0.7, value: 90000, expected: 1200 }],
          'spothreat.heuristic_hits': [hit],
          'source.ip': '10.0.0.9',
        },
      ],
      'raw'
    );
    const [threat] = framesToThreats([frame]);
    expect(threat).toMatchObject({
      fused: { score: 6.5, rank: 2, pValue: 3e-7, components: { autoencoder: 4.1 } },
      concentration: 1.7,
      autoencoder: { error: 1.6, threshold: 0.8, topFeatures: [{ feature: 'log_source_bytes', value: 90000, expected: 1200 }] },
      heuristicHits: [hit],
    });
  });

  it('leaves out an autoencoder verdict without its threshold instead of showing half of it', () => {
    const frame = rowsToFrame([{ _id: 'f2', 'source.ip': '10.0.0.9', 'spothreat.autoencoder.error': 1.6 }], 'raw');
    expect(framesToThreats([frame])[0].autoencoder).toBeUndefined();
  });
});
