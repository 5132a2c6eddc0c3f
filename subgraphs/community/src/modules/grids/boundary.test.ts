import { describe, expect, it } from 'vitest';
import { MAX_BOUNDARY_POSITIONS, parseBoundary } from './boundary.js';

const ring = [[121.34, 31.15], [121.345, 31.15], [121.345, 31.155], [121.34, 31.155], [121.34, 31.15]];

function problem(value: unknown): { path: string; reason: string } | null {
  const parsed = parseBoundary(value);
  return 'problem' in parsed ? parsed.problem : null;
}

describe('grid boundaries', () => {
  it('accepts a Polygon and keeps only its type and coordinates', () => {
    expect(parseBoundary({ type: 'Polygon', coordinates: [ring], properties: { name: 'x' } })).toEqual({ boundary: { type: 'Polygon', coordinates: [ring] } });
  });

  it('accepts a MultiPolygon, and a polygon with a hole', () => {
    const hole = [[121.341, 31.151], [121.342, 31.151], [121.342, 31.152], [121.341, 31.151]];
    expect(problem({ type: 'MultiPolygon', coordinates: [[ring], [ring, hole]] })).toBeNull();
  });

  it('rejects other geometry types and non-objects', () => {
    expect(problem({ type: 'Point', coordinates: [121.34, 31.15] })).toEqual({ path: 'type', reason: 'must be "Polygon" or "MultiPolygon"' });
    expect(problem([ring])).toMatchObject({ path: '' });
    expect(problem(null)).toMatchObject({ path: '' });
  });

  it('rejects a ring that is not closed, naming it', () => {
    expect(problem({ type: 'Polygon', coordinates: [ring.slice(0, 4).concat([[121.3, 31.1]])] })).toEqual({ path: 'coordinates[0]', reason: 'a linear ring must end where it starts' });
  });

  it('rejects a ring of fewer than four positions', () => {
    expect(problem({ type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] })).toMatchObject({ path: 'coordinates[0]' });
  });

  it('rejects positions out of range or malformed, naming the position', () => {
    const bad = ring.map((p, i) => (i === 2 ? [121.345, 95] : p));
    expect(problem({ type: 'Polygon', coordinates: [bad] })).toEqual({ path: 'coordinates[0][2]', reason: 'latitude must be within [-90, 90]' });
    const swapped = ring.map((p, i) => (i === 1 ? [200, 31.15] : p));
    expect(problem({ type: 'Polygon', coordinates: [swapped] })).toMatchObject({ reason: 'longitude must be within [-180, 180]' });
    expect(problem({ type: 'Polygon', coordinates: [ring.map((p, i) => (i === 1 ? ['121', '31'] : p))] })).toMatchObject({ path: 'coordinates[0][1]' });
    expect(problem({ type: 'MultiPolygon', coordinates: [[ring], [[...ring.slice(0, 3), [121.34, Number.NaN], ring[0]]]] })).toMatchObject({ path: 'coordinates[1][0][3]' });
  });

  it('rejects an empty polygon and an oversized one', () => {
    expect(problem({ type: 'Polygon', coordinates: [] })).toMatchObject({ path: 'coordinates' });
    expect(problem({ type: 'MultiPolygon', coordinates: [] })).toMatchObject({ path: 'coordinates' });
    const many = Array.from({ length: MAX_BOUNDARY_POSITIONS }, (_, i) => [121 + i / 1e6, 31]);
    many.push(many[0]!);
    expect(problem({ type: 'Polygon', coordinates: [many] })).toMatchObject({ reason: `at most ${MAX_BOUNDARY_POSITIONS} positions in all` });
  });
});
