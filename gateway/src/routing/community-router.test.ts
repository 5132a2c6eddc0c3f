import { Role } from '@linli/subgraph-kit/identity';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityFleet, CREATE_RESOURCE, resourceInput, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { StaticDirectory } from './directory.js';

/** Three real communities behind one gateway; `qibao-c` is stopped by one of the tests. */
const fleet = new CommunityFleet();
let gw: GatewayUnderTest;
let directory: StaticDirectory;
const failing: Server[] = [];
const resources: Record<string, string[]> = {};

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  failing.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

type Connection = { edges: Array<{ node: { id: string; name: string; communityId: string } }> } | null;
const names = (c: Connection | undefined) => c?.edges.map((e) => e.node.name);

beforeAll(async () => {
  await Promise.all(['qibao-a', 'qibao-b', 'qibao-c'].map((id) => fleet.start(id)));
  const broken = await listen((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
  });
  const silent = await listen(() => {
    // never answers: the gateway's timeout must give up on it
  });
  directory = new StaticDirectory([
    ...Object.entries(fleet.endpoints()).map(([id, endpoint]) => ({ id, endpoint, status: 'ACTIVE' })),
    { id: 'qibao-suspended', endpoint: fleet.endpoints()['qibao-a'] ?? '', status: 'SUSPENDED' },
    { id: 'qibao-broken', endpoint: broken, status: 'ACTIVE' },
    { id: 'qibao-silent', endpoint: silent, status: 'ACTIVE' },
  ]);
  gw = await startGateway(fleet, { directory });
  for (const [id, made] of [
    ['qibao-a', ['七宝A 体育馆', '七宝A 会议室']],
    ['qibao-b', ['七宝B 幼儿园学位']],
    ['qibao-c', ['七宝C 医疗队']],
  ] as const) {
    const staff = gw.token(`staff-${id}`, id, [Role.COMMUNITY_STAFF]);
    resources[id] = [];
    for (const name of made) {
      const created = await gw.request<{ createResource: { id: string } }>(CREATE_RESOURCE, { communityId: id, input: resourceInput(name) }, staff);
      expect(created.body.errors).toBeUndefined();
      resources[id].push(created.body.data?.createResource.id ?? '');
    }
  }
});

afterAll(async () => {
  await gw?.close();
  for (const server of failing) server.closeAllConnections();
  await Promise.all(failing.map((s) => new Promise((resolve) => s.close(resolve))));
  await fleet.close();
});

describe('community router: root fields', () => {
  it('routes a root query to the community named by its communityId', async () => {
    for (const [id, expected] of [
      ['qibao-a', ['七宝A 体育馆', '七宝A 会议室']],
      ['qibao-b', ['七宝B 幼儿园学位']],
    ] as const) {
      const res = await gw.request<{ resources: Connection }>(`query($c: ID!) { resources(communityId: $c) { edges { node { id name communityId } } } }`, { c: id });
      expect(res.body.errors).toBeUndefined();
      expect(names(res.body.data?.resources)).toEqual(expected);
      expect(res.body.data?.resources?.edges.every((e) => e.node.communityId === id)).toBe(true);
    }
  });

  it('answers aliased root fields of two communities in one request, each part with only its own variables', async () => {
    const res = await gw.request<{ a: Connection; b: Connection; one: { name: string } | null; typename: string }>(
      `query Mixed($a: ID!, $b: ID!, $kind: ResourceKind, $first: Int, $resourceId: ID!) {
        typename: __typename
        a: resources(communityId: $a, kind: $kind, first: $first) { edges { node { name communityId } } }
        b: resources(communityId: $b) { edges { node { name communityId } } }
        one: resource(communityId: "qibao-b", id: $resourceId) { name }
      }`,
      { a: 'qibao-a', b: 'qibao-b', kind: 'VENUE', first: 1, resourceId: resources['qibao-b']?.[0] },
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(names(res.body.data?.a)).toEqual(['七宝A 体育馆']);
    expect(names(res.body.data?.b)).toEqual(['七宝B 幼儿园学位']);
    expect(res.body.data?.one).toEqual({ name: '七宝B 幼儿园学位' });
    expect(res.body.data?.typename).toBe('Query');
  });

  it('answers the same field for two communities given as inline literals', async () => {
    const res = await gw.request<{ x: Connection; y: Connection }>(
      `{ x: resources(communityId: "qibao-b") { edges { node { name } } } y: resources(communityId: "qibao-a", first: 1) { edges { node { name } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(names(res.body.data?.x)).toEqual(['七宝B 幼儿园学位']);
    expect(names(res.body.data?.y)).toEqual(['七宝A 体育馆']);
  });

  it('keeps errors of one community on its own field and answers the other', async () => {
    const res = await gw.request<{ a: { name: string } | null; b: Connection }>(
      `{ a: resource(communityId: "qibao-a", id: "not-a-resource") { name } b: resources(communityId: "qibao-b") { edges { node { name } } } }`,
    );
    expect(res.body.data?.a).toBeNull();
    expect(names(res.body.data?.b)).toEqual(['七宝B 幼儿园学位']);
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['a'], 'NOT_FOUND']]);
  });
});

describe('community router: mutations', () => {
  it('lets staff of A create a resource in A and refuses them in B, where B checks the signed identity', async () => {
    const staffOfA = gw.token('staff-a-2', 'qibao-a', [Role.COMMUNITY_STAFF]);
    const inA = await gw.request<{ createResource: { name: string; communityId: string } }>(
      CREATE_RESOURCE,
      { communityId: 'qibao-a', input: resourceInput('七宝A 乒乓球台', 'EQUIPMENT') },
      staffOfA,
    );
    expect(inA.body.errors).toBeUndefined();
    expect(inA.body.data?.createResource).toMatchObject({ name: '七宝A 乒乓球台', communityId: 'qibao-a' });

    const inB = await gw.request(CREATE_RESOURCE, { communityId: 'qibao-b', input: resourceInput('越权 Not allowed') }, staffOfA);
    expect(inB.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(inB.body.errors?.[0]?.extensions?.communityId).toBe('qibao-b');
    const listed = await gw.request<{ resources: Connection }>(`{ resources(communityId: "qibao-b") { edges { node { name } } } }`);
    expect(names(listed.body.data?.resources)).toEqual(['七宝B 幼儿园学位']);
  });

  it('runs mutation fields for two communities in one request, each in its own community', async () => {
    const admin = (id: string) => gw.token(`admin-${id}`, id, [Role.COMMUNITY_ADMIN]);
    const res = await gw.request<{ x: { communityId: string } | null; y: { communityId: string } | null }>(
      `mutation($in: CreateResourceInput!) {
        x: createResource(communityId: "qibao-a", input: $in) { communityId }
        y: createResource(communityId: "qibao-b", input: $in) { communityId }
      }`,
      { in: resourceInput('两边都建 Both sides') },
      admin('qibao-a'),
    );
    // The same admin is staff only at home: A accepts, B refuses on its own authority.
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['y'], 'FORBIDDEN']]);
    const inA = await gw.request<{ resources: Connection }>(`{ resources(communityId: "qibao-a", first: 100) { edges { node { name } } } }`);
    expect(names(inA.body.data?.resources)).toContain('两边都建 Both sides');
  });
});

describe('community router: unavailable communities', () => {
  const query = (id: string) => `{ here: resources(communityId: "qibao-a", first: 1) { edges { node { name } } } there: resources(communityId: "${id}") { edges { node { name } } } }`;

  async function expectUnavailable(id: string) {
    const res = await gw.request<{ here: Connection; there: Connection }>(query(id));
    expect(res.status).toBe(200);
    expect(names(res.body.data?.here)).toEqual(['七宝A 体育馆']);
    expect(res.body.data?.there).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ path: ['there'], extensions: { code: 'COMMUNITY_UNAVAILABLE', communityId: id } });
  }

  it('answers COMMUNITY_UNAVAILABLE for a community the directory does not know', async () => {
    await expectUnavailable('no-such-community');
  });

  it('answers COMMUNITY_UNAVAILABLE for a SUSPENDED community', async () => {
    await expectUnavailable('qibao-suspended');
  });

  it('answers COMMUNITY_UNAVAILABLE for a community answering 5xx', async () => {
    await expectUnavailable('qibao-broken');
  });

  it('gives up on a community that does not answer within the timeout', async () => {
    const started = Date.now();
    await expectUnavailable('qibao-silent');
    expect(Date.now() - started).toBeLessThan(gw.config.subgraphTimeoutMs + 2000);
  });

  it('answers COMMUNITY_UNAVAILABLE to a mutation for a community that cannot be reached', async () => {
    const staff = gw.token('staff-broken', 'qibao-broken', [Role.COMMUNITY_STAFF]);
    const res = await gw.request(CREATE_RESOURCE, { communityId: 'qibao-broken', input: resourceInput('无处可建 Nowhere') }, staff);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['createResource'], extensions: expect.objectContaining({ code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-broken' }) }),
    ]);
  });

  it('answers COMMUNITY_UNAVAILABLE with its id for a community whose process stopped, and the rest still arrives', async () => {
    await fleet.communities.get('qibao-c')?.stop();
    await expectUnavailable('qibao-c');
  });
});
