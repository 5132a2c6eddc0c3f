import { createTestDatabase, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { mintDevToken } from '@linli/gateway';
import { Role } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, DEMO_COMMUNITIES } from './demo/index.js';
import { communityEndpoint, communityServiceName, startFederation, type Federation } from './federation.js';
import { generateKeys, type FederationKeys } from './keys.js';
import { freePort } from './ports.js';

/**
 * The whole federation as separate processes over real HTTP, on fresh databases: what a
 * user of `npm start` gets, asserted through the gateway.
 */
let federation: Federation;
let keys: FederationKeys;
const databases: TestDatabase[] = [];

async function database(label: string): Promise<string> {
  const db = await createTestDatabase(label);
  databases.push(db);
  return db.url;
}

async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  url = federation.gatewayUrl,
): Promise<{ status: number; data?: T | null; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

const token = (userId: string, homeCommunityId: string | null, roles: Role[]) =>
  mintDevToken(keys.jwtSecret, { userId, homeCommunityId, roles });

beforeAll(async () => {
  keys = generateKeys();
  const communities = await Promise.all(
    DEMO_COMMUNITIES.map(async (c) => ({ id: c.id, port: await freePort(), databaseUrl: await database(`e2e_${c.id}`) })),
  );
  const exchange = { port: await freePort(), databaseUrl: await database('e2e_exchange') };
  await seedDemo({
    exchangeDatabaseUrl: exchange.databaseUrl,
    communities: communities.map((c) => ({ id: c.id, databaseUrl: c.databaseUrl, endpoint: communityEndpoint(c.port) })),
    today: new Date(),
  });
  federation = await startFederation({
    keys,
    exchange,
    communities,
    gateway: { port: await freePort(), directoryRefreshMs: 60_000 },
    logLevel: 'warn',
  });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
  await Promise.all(databases.map((d) => d.drop()));
}, 60_000);

const LISTINGS = /* GraphQL */ `
  query Listings($from: DateTimeISO!, $to: DateTimeISO!) {
    listings(first: 50) {
      edges {
        node {
          id
          title
          community { id name }
          resource { id name capacity availability(from: $from, to: $to) { startsAt } }
        }
      }
    }
  }
`;

type ListingsData = {
  listings: {
    edges: Array<{
      node: {
        id: string;
        title: string;
        community: { id: string; name: string };
        resource: { id: string; name: string; capacity: number; availability: Array<{ startsAt: string }> } | null;
      };
    }>;
  };
};

function week(): { from: string; to: string } {
  const from = new Date();
  return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString() };
}

describe('a federation of three communities, an exchange and the gateway', () => {
  it('returns listings from all three communities with fields resolved in each owning community', async () => {
    const res = await gql<ListingsData>(LISTINGS, week());
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.listings.edges.map((e) => e.node);
    expect(new Set(nodes.map((n) => n.community.id))).toEqual(new Set(DEMO_COMMUNITIES.map((c) => c.id)));
    for (const node of nodes) {
      expect(node.community.name).toMatch(/社区/);
      expect(node.resource?.name).toBeTruthy();
      expect(node.resource!.capacity).toBeGreaterThan(0);
    }
    // Every community offers something bookable in the coming week.
    for (const c of DEMO_COMMUNITIES) {
      const slots = nodes.filter((n) => n.community.id === c.id).flatMap((n) => n.resource!.availability);
      expect(slots.length, c.id).toBeGreaterThan(0);
    }
  });

  it('refuses a request that reaches a subgraph without the gateway signature', async () => {
    const direct = await gql(`{ resources(communityId: "qibao-a") { edges { node { id } } } }`, {}, undefined, federation.communityUrl('qibao-a'));
    expect(direct.status).toBe(401);
    expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const exchange = await gql(`{ communities { id } }`, {}, undefined, federation.exchangeUrl);
    expect(exchange.status).toBe(401);
  });

  it('forbids a resident of A to publish a listing for B, and lets B staff do it', async () => {
    const staffOfB = token('staff-b-e2e', 'qibao-b', [Role.COMMUNITY_STAFF]);
    const created = await gql<{ createResource: { id: string } }>(
      `mutation($input: CreateResourceInput!) { createResource(communityId: "qibao-b", input: $input) { id } }`,
      {
        input: {
          name: '露天乒乓球台',
          nameEn: 'Outdoor table-tennis tables',
          kind: 'VENUE',
          location: '七宝B社区中心广场',
          capacity: 2,
          weeklyHours: [6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '18:00' })),
        },
      },
      staffOfB,
    );
    expect(created.errors).toBeUndefined();
    const input = {
      communityId: 'qibao-b',
      resourceId: created.data!.createResource.id,
      kind: 'VENUE',
      title: '露天乒乓球台',
      titleEn: 'Outdoor table-tennis tables',
      priceCreditsPerSlot: 2,
      idempotencyKey: 'e2e-publish-table-tennis',
    };
    const mutation = `mutation($input: PublishListingInput!) { publishListing(input: $input) { id community { id } resource { name } } }`;
    const resident = await gql(mutation, { input }, token('resident-a-e2e', 'qibao-a', [Role.RESIDENT]));
    expect(resident.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const staffOfA = await gql(mutation, { input }, token('staff-a-e2e', 'qibao-a', [Role.COMMUNITY_STAFF]));
    expect(staffOfA.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const published = await gql<{ publishListing: { community: { id: string }; resource: { name: string } } }>(mutation, { input }, staffOfB);
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishListing).toMatchObject({ community: { id: 'qibao-b' }, resource: { name: '露天乒乓球台' } });
  });

  it('rejects an invalid token with 401 UNAUTHENTICATED', async () => {
    const res = await gql(`{ communities { id } }`, {}, 'not-a-token');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('routes to a fourth community registered while the gateway runs, without a restart', async () => {
    const id = 'qibao-d';
    const port = await freePort();
    await federation.startCommunity({ id, port, databaseUrl: await database('e2e_qibao_d') });
    const admin = token('fed-admin-e2e', null, [Role.FEDERATION_ADMIN]);
    const staffOfD = token('staff-d-e2e', id, [Role.COMMUNITY_STAFF]);
    const registered = await gql(
      `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id status } }`,
      {
        input: {
          id,
          name: '七宝D社区',
          nameEn: 'Qibao D Community',
          district: '闵行区',
          districtEn: 'Minhang District',
          street: '七宝镇',
          streetEn: 'Qibao Town',
          endpoint: communityEndpoint(port),
        },
      },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ registerCommunity: { id, status: 'PENDING' } });
    // The gateway admits it (health and contract check) before it is routed to.
    let status = 'PENDING';
    for (const deadline = Date.now() + 10_000; status === 'PENDING' && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      status = (await gql<{ community: { status: string } }>(`{ community(id: "${id}") { status } }`, {}, admin)).data?.community.status ?? 'PENDING';
    }
    expect(status).toBe('ACTIVE');
    const created = await gql<{ createResource: { id: string; communityId: string } }>(
      `mutation($input: CreateResourceInput!) { createResource(communityId: "qibao-d", input: $input) { id communityId } }`,
      {
        input: {
          name: '社区活动室',
          nameEn: 'Activity room',
          kind: 'ROOM',
          location: '七宝D社区服务中心二楼',
          capacity: 1,
          weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '21:00' })),
        },
      },
      staffOfD,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createResource.communityId).toBe(id);
    const listed = await gql<{ resources: { edges: Array<{ node: { name: string } }> } }>(
      `{ resources(communityId: "qibao-d") { edges { node { name } } } }`,
    );
    expect(listed.data!.resources.edges.map((e) => e.node.name)).toEqual(['社区活动室']);
  });

  it('still answers for the other communities when one community process is down', async () => {
    await federation.stopService(communityServiceName('qibao-c'));
    const res = await gql<ListingsData>(LISTINGS, week());
    const nodes = res.data!.listings.edges.map((e) => e.node);
    const fromC = nodes.filter((n) => n.community.id === 'qibao-c');
    expect(fromC.length).toBeGreaterThan(0);
    expect(fromC.every((n) => n.resource === null)).toBe(true);
    const others = nodes.filter((n) => n.community.id !== 'qibao-c');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((n) => n.resource !== null && n.resource.availability.length >= 0)).toBe(true);
    const unavailable = (res.errors ?? []).filter((e) => e.extensions?.code === 'COMMUNITY_UNAVAILABLE');
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((e) => e.extensions?.communityId === 'qibao-c')).toBe(true);
  });
});
