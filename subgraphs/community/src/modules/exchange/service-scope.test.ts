import { Role, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';

/**
 * Communities now hold SERVICE tokens of their own (to reach the shared ledger). Such a
 * token names its community, and buys nothing across the federation: only a federation-wide
 * service (no home community — the exchange) may touch holds.
 */
let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunity('test-scope');
});
afterAll(async () => {
  await h?.close();
});

const HOLD = `query($c: ID!) { hold(communityId: $c, bookingRef: "any") { bookingRef } }`;

describe('a community\'s own service identity', () => {
  it.each<[string, Viewer]>([
    ['another community\'s service', { userId: 'service-qibao-b', homeCommunityId: 'qibao-b', roles: [Role.SERVICE] }],
    ['this community\'s own service', { userId: 'service-test-scope', homeCommunityId: 'test-scope', roles: [Role.SERVICE] }],
  ])('is refused where only the exchange may act: %s', async (_label, viewer) => {
    const res = await h.request(HOLD, { c: 'test-scope' }, viewer);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('leaves the exchange, a federation-wide service, its holds', async () => {
    const res = await h.request(HOLD, { c: 'test-scope' }, { userId: 'exchange', homeCommunityId: null, roles: [Role.SERVICE] });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ hold: null });
  });
});
