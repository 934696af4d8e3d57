import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';

import { toPlane } from './cluster';

type Ring = Array<[number, number]>;

export interface Basemap {
  /** Country polygons as rings in the 360 x 180 plane. */
  land: Ring[];
  /** Shared borders as lines in the same plane. */
  borders: Ring[];
}

let cached: Basemap | undefined;

/**
 * The world, from the Natural Earth 1:110m countries that world-atlas ships; it is bundled into the panel, so the
 * map needs neither internet access nor a tile server.
 */
export function worldBasemap(): Basemap {
  if (cached) {
    return cached;
  }
  const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
  const land: Ring[] = [];
  const countries = feature(topology, topology.objects.countries);
  for (const country of countries.features) {
    const geometry = country.geometry;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        land.push(unwrapped(ring).map(([lon, lat]) => planePoint(lon, lat)));
      }
    }
  }
  const borderMesh = mesh(topology, topology.objects.countries, (a, b) => a !== b);
  const borders = borderMesh.coordinates.map((line) => unwrapped(line).map(([lon, lat]) => planePoint(lon, lat)));
  cached = { land, borders };
  return cached;
}

/**
 * Rings that cross the antimeridian (eastern Russia, Fiji) jump from +180 to -180; continuing their longitudes past
 * 180 instead keeps them from drawing a line across the whole map.
 */
export function unwrapped(ring: number[][]): number[][] {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i > 0) {
      const previous = ring[i - 1][0];
      if (lon - previous > 180) {
        shift -= 360;
      } else if (previous - lon > 180) {
        shift += 360;
      }
    }
    return [lon + shift, lat];
  });
}

function planePoint(lon: number, lat: number): [number, number] {
  const { x, y } = toPlane(lon, lat);
  return [x, y];
}
