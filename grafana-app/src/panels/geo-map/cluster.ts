import type { GeoPoint } from '../../api/types';

export interface Cluster {
  x: number;
  y: number;
  points: GeoPoint[];
  hits: number;
  minScore: number;
}

/**
 * Groups points that fall in the same screen cell. Cheap enough to redo on every zoom for ten thousand points, and
 * stable: a point stays in its cluster until the zoom moves it to another cell.
 */
export function clusterPoints(points: GeoPoint[], project: (point: GeoPoint) => { x: number; y: number }, cellSize: number): Cluster[] {
  const cells = new Map<string, Cluster & { sumX: number; sumY: number }>();
  for (const point of points) {
    const { x, y } = project(point);
    const key = `${Math.floor(x / cellSize)}:${Math.floor(y / cellSize)}`;
    const cell = cells.get(key) ?? { x: 0, y: 0, sumX: 0, sumY: 0, points: [], hits: 0, minScore: 1 };
    cell.points.push(point);
    cell.sumX += x;
    cell.sumY += y;
    cell.hits += point.count;
    cell.minScore = Math.min(cell.minScore, point.minScore);
    cells.set(key, cell);
  }
  return [...cells.values()].map(({ sumX, sumY, ...cluster }) => ({
    ...cluster,
    x: sumX / cluster.points.length,
    y: sumY / cluster.points.length,
  }));
}

/** Equirectangular projection into a 360 x 180 plane: x grows east from the antimeridian, y grows south from the pole. */
export function toPlane(longitude: number, latitude: number): { x: number; y: number } {
  return { x: longitude + 180, y: 90 - latitude };
}
