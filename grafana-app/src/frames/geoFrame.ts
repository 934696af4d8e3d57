import type { DataFrame } from '@grafana/data';

import type { GeoPoint } from '../api/types';
import { frameToRows, rowsToFrame } from './rowsFrame';

/** Points as a frame with `lat` and `lon` fields, which Grafana's Geomap panel locates automatically. */
export function geoPointsToFrame(points: readonly GeoPoint[]): DataFrame {
  return rowsToFrame(points, 'geo');
}

/** Points from any frame with lat/lon (or latitude/longitude) fields: the app's own or a Geomap query's. */
export function framesToGeoPoints(frames: DataFrame[]): GeoPoint[] {
  const points: GeoPoint[] = [];
  for (const frame of frames) {
    const names = new Set(frame.fields.map((f) => f.name));
    if (!((names.has('lat') && names.has('lon')) || (names.has('latitude') && names.has('longitude')))) {
      continue;
    }
    for (const row of frameToRows(frame)) {
      const lat = Number(row.lat ?? row.latitude);
      const lon = Number(row.lon ?? row.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
        continue;
      }
      points.push({
        ip: String(row.ip ?? row.id ?? row.name ?? `${lat},${lon}`),
        lat,
        lon,
        country: row.country as string | undefined,
        city: row.city as string | undefined,
        asn: Number.isInteger(Number(row.asn)) && row.asn !== undefined && row.asn !== null ? Number(row.asn) : undefined,
        asOrg: row.asOrg as string | undefined,
        count: Number(row.count ?? row.mainstat ?? 1),
        minScore: Number(row.minScore ?? row.secondarystat ?? 1),
        direction: (row.direction as GeoPoint['direction']) ?? 'suspicious',
      });
    }
  }
  return points;
}
