import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registration, startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_directory');
  await h.register({ id: 'qibao-b' }, { id: 'qibao-a', name: '七宝A社区', nameEn: 'Qibao A Community' }, { id: 'qibao-c' });
});
afterAll(async () => {
  await h?.close();
});

const REGISTER = `mutation($input: RegisterCommunityInput!) {
  registerCommunity(input: $input) { id name nameEn district districtEn street streetEn status endpoint joinedAt }
}`;
const SUSPEND = `mutation($id: ID!) { suspendCommunity(id: $id) { id status } }`;
const REACTIVATE = `mutation($id: ID!) { reactivateCommunity(id: $id) { id status } }`;

type CommunityData = { id: string; status: string; endpoint: string | null; name: string };

describe('reading the directory', () => {
  it('lists member communities ordered by id, and filters by status', async () => {
    const all = await h.request<{ communities: CommunityData[] }>(`{ communities { id name status } }`);
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data?.communities.map((c) => c.id)).toEqual(['qibao-a', 'qibao-b', 'qibao-c']);
    const active = await h.request<{ communities: CommunityData[] }>(`{ communities(status: ACTIVE) { id } }`);
    expect(active.body.data?.communities.length).toBe(3);
    const suspended = await h.request<{ communities: CommunityData[] }>(`{ communities(status: SUSPENDED) { id } }`);
    expect(suspended.body.data?.communities).toEqual([]);
  });

  it('gets one community by id with its bilingual names, and null for an unknown id', async () => {
    const one = await h.request<{ community: Record<string, unknown> }>(
      `{ community(id: "qibao-a") { id name nameEn district districtEn street streetEn status joinedAt } }`,
    );
    expect(one.body.data?.community).toMatchObject({
      id: 'qibao-a',
      name: '七宝A社区',
      nameEn: 'Qibao A Community',
      district: '闵行区',
      districtEn: 'Minhang District',
      street: '七宝镇',
      streetEn: 'Qibao Town',
      status: 'ACTIVE',
    });
    expect(Number.isNaN(Date.parse(String(one.body.data?.community.joinedAt)))).toBe(false);
    const none = await h.request<{ community: null }>(`{ community(id: "nowhere") { id } }`);
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data?.community).toBeNull();
  });

  it('hides endpoints from anonymous visitors, residents and staff, and shows them to the gateway and federation admins', async () => {
    const query = `{ communities { id endpoint } community(id: "qibao-a") { endpoint } }`;
    for (const viewer of [viewers.anonymous, viewers.resident('qibao-a'), viewers.staff('qibao-a')]) {
      const res = await h.request<{ communities: CommunityData[]; community: { endpoint: string | null } }>(query, {}, viewer);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.communities.every((c) => c.endpoint === null)).toBe(true);
      expect(res.body.data?.community.endpoint).toBeNull();
    }
    for (const viewer of [viewers.gateway, viewers.federationAdmin]) {
      const res = await h.request<{ communities: CommunityData[] }>(query, {}, viewer);
      expect(res.body.data?.communities.find((c) => c.id === 'qibao-a')?.endpoint).toBe('http://127.0.0.1:4101/qibao-a/graphql');
    }
  });

  it('answers the gateway routing query `communities { id status endpoint }` with every endpoint', async () => {
    const res = await h.request<{ communities: CommunityData[] }>(`{ communities { id status endpoint } }`, {}, viewers.gateway);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.communities).toEqual([
      { id: 'qibao-a', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-a/graphql' },
      { id: 'qibao-b', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-b/graphql' },
      { id: 'qibao-c', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-c/graphql' },
    ]);
  });

  it('refuses a request without the gateway signature with 401', async () => {
    const res = await fetch(h.subgraph.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ communities { id } }' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('registering a community', () => {
  it('lets a federation admin register an ACTIVE community', async () => {
    const res = await h.request<{ registerCommunity: CommunityData }>(REGISTER, { input: registration('xinzhuang-a') }, viewers.federationAdmin);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.registerCommunity).toMatchObject({
      id: 'xinzhuang-a',
      status: 'ACTIVE',
      endpoint: 'http://127.0.0.1:4101/xinzhuang-a/graphql',
    });
  });

  it('answers UNAUTHENTICATED to an anonymous visitor and FORBIDDEN to residents, staff and the gateway', async () => {
    const input = registration('intruder');
    const anonymous = await h.request(REGISTER, { input }, viewers.anonymous);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const viewer of [viewers.resident('qibao-a'), viewers.staff('qibao-a'), viewers.gateway]) {
      const res = await h.request(REGISTER, { input }, viewer);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const check = await h.request<{ community: null }>(`{ community(id: "intruder") { id } }`);
    expect(check.body.data?.community).toBeNull();
  });

  it('returns the existing community unchanged when the same registration is repeated', async () => {
    const input = registration('repeat-a');
    const first = await h.request<{ registerCommunity: Record<string, unknown> }>(REGISTER, { input }, viewers.federationAdmin);
    const second = await h.request<{ registerCommunity: Record<string, unknown> }>(REGISTER, { input }, viewers.federationAdmin);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data?.registerCommunity).toEqual(first.body.data?.registerCommunity);
  });

  it('registers a community once when the same registration arrives twice at the same moment', async () => {
    const input = registration('race-a');
    const results = await Promise.all([1, 2, 3].map(() => h.request<{ registerCommunity: { joinedAt: string } }>(REGISTER, { input }, viewers.federationAdmin)));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.body.data?.registerCommunity.joinedAt)).size).toBe(1);
  });

  it('answers CONFLICT when an existing id is registered with another endpoint or other names', async () => {
    const moved = await h.request(REGISTER, { input: registration('qibao-a', { endpoint: 'http://10.0.0.9:4101/graphql' }) }, viewers.federationAdmin);
    expect(moved.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', communityId: 'qibao-a' });
    const renamed = await h.request(REGISTER, { input: registration('qibao-b', { name: '别的名字' }) }, viewers.federationAdmin);
    expect(renamed.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('answers BAD_USER_INPUT for a malformed id or an endpoint that is not an http(s) URL', async () => {
    const badId = await h.request(REGISTER, { input: registration('Qibao_A') }, viewers.federationAdmin);
    expect(badId.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const endpoint of ['not a url', 'ftp://example.org/graphql']) {
      const res = await h.request(REGISTER, { input: registration('bad-endpoint', { endpoint }) }, viewers.federationAdmin);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('suspending and reactivating a community', () => {
  it('lets a federation admin suspend and reactivate, each idempotently', async () => {
    await h.register({ id: 'pause-a' });
    for (let i = 0; i < 2; i++) {
      const res = await h.request<{ suspendCommunity: CommunityData }>(SUSPEND, { id: 'pause-a' }, viewers.federationAdmin);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.suspendCommunity.status).toBe('SUSPENDED');
    }
    const suspended = await h.request<{ communities: CommunityData[] }>(`{ communities(status: SUSPENDED) { id } }`);
    expect(suspended.body.data?.communities.map((c) => c.id)).toEqual(['pause-a']);
    for (let i = 0; i < 2; i++) {
      const res = await h.request<{ reactivateCommunity: CommunityData }>(REACTIVATE, { id: 'pause-a' }, viewers.federationAdmin);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.reactivateCommunity.status).toBe('ACTIVE');
    }
  });

  it('answers NOT_FOUND for an unknown community', async () => {
    for (const mutation of [SUSPEND, REACTIVATE]) {
      const res = await h.request(mutation, { id: 'nowhere' }, viewers.federationAdmin);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', communityId: 'nowhere' });
    }
  });

  it('answers UNAUTHENTICATED to anonymous visitors and FORBIDDEN to community staff', async () => {
    for (const mutation of [SUSPEND, REACTIVATE]) {
      const anonymous = await h.request(mutation, { id: 'qibao-a' }, viewers.anonymous);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const staff = await h.request(mutation, { id: 'qibao-a' }, viewers.staff('qibao-a'));
      expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const check = await h.request<{ community: CommunityData }>(`{ community(id: "qibao-a") { id status } }`);
    expect(check.body.data?.community.status).toBe('ACTIVE');
  });
});

describe('resolving Community references', () => {
  it('resolves many representations with one SQL query, null for unknown ids, in the order asked', async () => {
    const execute = vi.spyOn(h.subgraph.orm.em.getConnection(), 'execute');
    try {
      const res = await h.request<{ _entities: Array<{ id: string; name: string } | null> }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id name } } }`,
        {
          r: [
            { __typename: 'Community', id: 'qibao-c' },
            { __typename: 'Community', id: 'nowhere' },
            { __typename: 'Community', id: 'qibao-a' },
          ],
        },
        viewers.gateway,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?._entities).toEqual([{ id: 'qibao-c', name: '七宝qibao-c社区' }, null, { id: 'qibao-a', name: '七宝A社区' }]);
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
  });
});
