import type { GeoPoint } from '../../api/types';
import { unwrapped } from './basemap';
import { clusterPoints, toPlane } from './cluster';

const point = (ip: string, x: number, y: number, count = 1): GeoPoint => ({ ip, lat: y, lon: x, count, minScore: count / 10, direction: 'suspicious' });

describe('clusterPoints(points, project, cellSize)', () => {
  const identity = (p: GeoPoint) => ({ x: p.lon, y: p.lat });

  it('groups points in the same cell, summing their events and keeping the lowest score', () => {
    const clusters = clusterPoints([point('a', 1, 1, 2), point('b', 9, 9, 3), point('c', 25, 1)], identity, 10);
    expect(clusters).toHaveLength(2);
    expect(clusters[0]).toMatchObject({ hits: 5, minScore: 0.2, x: 5, y: 5 });
    expect(clusters[0].points.map((p) => p.ip)).toEqual(['a', 'b']);
  });

  it('splits a cluster when the zoom spreads its points over more cells', () => {
    const points = [point('a', 1, 1), point('b', 9, 9)];
    expect(clusterPoints(points, identity, 10)).toHaveLength(1);
    expect(clusterPoints(points, (p) => ({ x: p.lon * 4, y: p.lat * 4 }), 10)).toHaveLength(2);
  });
});

describe('toPlane(longitude, latitude)', () => {
  test.each([
    { lon: -180, lat: 90, x: 0, y: 0 },
    { lon: 0, lat: 0, x: 180, y: 90 },
    { lon: 180, lat: -90, x: 360, y: 180 },
  ])('puts ($lon, $lat) at ($x, $y)', ({ lon, lat, x, y }) => {
    expect(toPlane(lon, lat)).toEqual({ x, y });
  });
});

describe('unwrapped(ring)', () => {
  it('continues longitudes past 180 instead of jumping to -180', () => {
    expect(unwrapped([[179, 65], [-179, 66], [-178, 64], [179, 65]])).toEqual([[179, 65], [181, 66], [182, 64], [179, 65]]);
  });
});
