/**
 * Grid boundaries: GeoJSON (RFC 7946) Polygon or MultiPolygon, positions as
 * [longitude, latitude] in WGS 84. Only the shape is checked here — closed rings of at
 * least four positions inside the coordinate ranges — not self-intersection or whether
 * grids overlap: drawing the map is the community's job, storing a broken document is ours.
 */
export type Position = [longitude: number, latitude: number];
export type Ring = Position[];

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: Ring[];
}

export interface GeoJsonMultiPolygon {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}

export type GeoJsonArea = GeoJsonPolygon | GeoJsonMultiPolygon;

/** More would be a map layer, not a grid's outline. */
export const MAX_BOUNDARY_POSITIONS = 10_000;

/** What is wrong with a boundary, with the JSON path of the offending part. */
export interface BoundaryProblem {
  path: string;
  reason: string;
}

/** Returns the boundary in canonical form (only `type` and `coordinates`), or the first problem. */
export function parseBoundary(value: unknown): { boundary: GeoJsonArea } | { problem: BoundaryProblem } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('', 'must be a GeoJSON object');
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  const counter = { positions: 0 };
  if (type === 'Polygon') {
    const problem = checkPolygon(coordinates, 'coordinates', counter);
    return problem ? { problem } : { boundary: { type, coordinates: coordinates as Ring[] } };
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return fail('coordinates', 'must be a non-empty array of polygons');
    for (let i = 0; i < coordinates.length; i++) {
      const problem = checkPolygon(coordinates[i], `coordinates[${i}]`, counter);
      if (problem) return { problem };
    }
    return { boundary: { type, coordinates: coordinates as Ring[][] } };
  }
  return fail('type', 'must be "Polygon" or "MultiPolygon"');
}

function checkPolygon(rings: unknown, path: string, counter: { positions: number }): BoundaryProblem | null {
  if (!Array.isArray(rings) || rings.length === 0) return { path, reason: 'must be a non-empty array of linear rings' };
  for (let r = 0; r < rings.length; r++) {
    const ring: unknown = rings[r];
    const ringPath = `${path}[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) return { path: ringPath, reason: 'a linear ring needs at least four positions' };
    for (let p = 0; p < ring.length; p++) {
      const problem = checkPosition(ring[p], `${ringPath}[${p}]`);
      if (problem) return problem;
    }
    const first = ring[0] as Position;
    const last = ring[ring.length - 1] as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) return { path: ringPath, reason: 'a linear ring must end where it starts' };
    counter.positions += ring.length;
    if (counter.positions > MAX_BOUNDARY_POSITIONS) return { path, reason: `at most ${MAX_BOUNDARY_POSITIONS} positions in all` };
  }
  return null;
}

function checkPosition(position: unknown, path: string): BoundaryProblem | null {
  if (!Array.isArray(position) || position.length !== 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return { path, reason: 'a position is [longitude, latitude]' };
  }
  const [longitude, latitude] = position as Position;
  if (longitude < -180 || longitude > 180) return { path, reason: 'longitude must be within [-180, 180]' };
  if (latitude < -90 || latitude > 90) return { path, reason: 'latitude must be within [-90, 90]' };
  return null;
}

function fail(path: string, reason: string): { problem: BoundaryProblem } {
  return { problem: { path, reason } };
}
