import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveOperationsModule, supportedLiveOperations } from './live-operations.js';

const dir = mkdtempSync(join(tmpdir(), 'linli-live-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const operations = file(
  'ops.graphql',
  `fragment B on Booking { id status }
   subscription BookingUpdated($id: ID!) { bookingUpdated(id: $id) { ...B } }
   subscription MyBookingsUpdated { myBookingsUpdated { ...B } }`,
);
const base = 'type Booking { id: ID! status: String! } type Query { booking(id: ID!): Booking }';

describe('which live operations a supergraph serves', () => {
  it('none when the schema has no subscription type at all', () => {
    expect(supportedLiveOperations(file('none.graphql', base), operations)).toEqual({ BookingUpdated: false, MyBookingsUpdated: false });
  });

  it('each one the schema validates, and only those', () => {
    const schema = file('some.graphql', `${base} type Subscription { bookingUpdated(id: ID!): Booking }`);
    expect(supportedLiveOperations(schema, operations)).toEqual({ BookingUpdated: true, MyBookingsUpdated: false });
  });

  it('writes them as a module the client imports', () => {
    expect(liveOperationsModule({ MyBookingsUpdated: false, BookingUpdated: true })).toContain('export const LIVE_OPERATIONS = {\n  BookingUpdated: true,\n  MyBookingsUpdated: false,\n} as const;');
  });
});
