import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@linli/subgraph-kit';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';

let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunity('test-a');
});
afterAll(async () => {
  await h?.close();
});

const staff = { userId: 'staff-1', homeCommunityId: 'test-a', roles: [Role.COMMUNITY_STAFF] };

describe('resources', () => {
  it('lets staff create a resource and anyone list it', async () => {
    const created = await h.request<{ createResource: { id: string } }>(
      `mutation($input: CreateResourceInput!) { createResource(communityId: "test-a", input: $input) { id name kind capacity policy { slotMinutes } } }`,
      { input: { name: '体育馆', nameEn: 'Sports hall', kind: 'VENUE', location: '七宝', capacity: 2, weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '12:00' }] } },
      staff,
    );
    expect(created.body.errors).toBeUndefined();
    const list = await h.request<{ resources: { edges: { node: { name: string } }[] } }>(`{ resources(communityId: "test-a") { edges { node { name communityId } } } }`);
    expect(list.body.data?.resources.edges.map((e) => e.node.name)).toEqual(['体育馆']);
  });
});
