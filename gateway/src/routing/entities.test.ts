import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { resourceService, ResourceKind } from '@linli/community';
import { ANONYMOUS, IdentitySigner } from '@linli/subgraph-kit/identity';
import { createLogger } from '@linli/subgraph-kit/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityFleet } from '../test/harness.js';
import { CommunityRouter, type SubgraphResponse } from './community-router.js';
import { StaticDirectory } from './directory.js';
import { createHttpClient, type HttpClient } from './http-client.js';

/**
 * The router's entity path, driven the way the query planner drives it: one `_entities`
 * fetch whose representations belong to several communities, against real instances.
 */
const fleet = new CommunityFleet();
const http: HttpClient = createHttpClient({ timeoutMs: 2000 });
let router: CommunityRouter;
const ids: Record<string, string[]> = {};

const ENTITIES = /* GraphQL */ `
  query Fetch__community__1($representations: [_Any!]!, $from: DateTimeISO!, $to: DateTimeISO!) {
    _entities(representations: $representations) {
      ... on SharedResource { id name communityId availability(from: $from, to: $to) { startsAt } }
      ... on Community { id resources { edges { node { name } } } }
    }
  }
`;

function fetchEntities(representations: unknown[], range: { from: string; to: string }): Promise<SubgraphResponse> {
  // The request-kind enum is not exported by @apollo/gateway; the router reads only the
  // request and the context, which are real here.
  const options = {
    kind: 'incoming operation',
    request: { query: ENTITIES, operationName: 'Fetch__community__1', variables: { representations, ...range } },
    context: { viewer: ANONYMOUS },
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions;
  return router.process(options);
}

const week = () => {
  const from = new Date();
  return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString() };
};

beforeAll(async () => {
  for (const [id, names] of [
    ['qibao-a', ['A 体育馆', 'A 会议室']],
    ['qibao-b', ['B 活动室']],
  ] as const) {
    const community = await fleet.start(id);
    ids[id] = [];
    for (const name of names) {
      const created = await resourceService.createResource(community.subgraph.orm.em.fork(), {
        name,
        nameEn: name,
        kind: ResourceKind.ROOM,
        location: '七宝镇',
        capacity: 1,
        weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '17:00' })),
      });
      ids[id].push(created.id);
    }
  }
  router = new CommunityRouter({
    directory: new StaticDirectory(fleet.endpoints()),
    fetcher: http.fetcher,
    signer: new IdentitySigner(fleet.keys.privateKeyPem),
    logger: createLogger('gateway', 'silent'),
  });
});

afterAll(async () => {
  await http.close();
  await fleet.close();
});

const resource = (communityId: string, id: string | undefined) => ({ __typename: 'SharedResource', communityId, id });

describe('community router: _entities', () => {
  it('splits one batch across communities and answers in the original length and order', async () => {
    const [a1, a2] = ids['qibao-a'] ?? [];
    const [b1] = ids['qibao-b'] ?? [];
    const res = await fetchEntities(
      [
        resource('qibao-b', b1),
        resource('qibao-a', a1),
        { __typename: 'Community', id: 'qibao-b' },
        resource('qibao-a', a2),
        resource('nowhere', a1),
        resource('qibao-b', '00000000-0000-4000-8000-000000000000'),
        { __typename: 'SharedResource', id: a1 },
      ],
      week(),
    );
    const entities = res.data?._entities as Array<Record<string, unknown> | null>;
    expect(entities).toHaveLength(7);
    expect(entities.map((e) => e && (e.name ?? e.id))).toEqual(['B 活动室', 'A 体育馆', 'qibao-b', 'A 会议室', null, null, null]);
    expect(entities[0]?.communityId).toBe('qibao-b');
    expect(entities[2]).toEqual({ id: 'qibao-b', resources: { edges: [{ node: { name: 'B 活动室' } }] } });
    expect((entities[1]?.availability as unknown[]).length).toBeGreaterThan(0);
    expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.communityId])).toEqual([
      [['_entities', 6], 'BAD_USER_INPUT', undefined],
      [['_entities', 4], 'COMMUNITY_UNAVAILABLE', 'nowhere'],
    ]);
  });

  it('maps error paths of each part back to the positions in the whole batch', async () => {
    const [a1, a2] = ids['qibao-a'] ?? [];
    const [b1] = ids['qibao-b'] ?? [];
    const now = Date.now();
    // `to` before `from` makes every resource's availability fail, at its own path.
    const backwards = { from: new Date(now + 86_400_000).toISOString(), to: new Date(now).toISOString() };
    const res = await fetchEntities([resource('qibao-a', a1), resource('qibao-b', b1), resource('qibao-a', a2)], backwards);
    expect(res.data?._entities).toEqual([null, null, null]);
    const paths = (res.errors ?? []).map((e) => e.path);
    expect(paths).toHaveLength(3);
    expect(paths).toEqual(expect.arrayContaining([
      ['_entities', 0, 'availability'],
      ['_entities', 1, 'availability'],
      ['_entities', 2, 'availability'],
    ]));
    expect(res.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
  });
});
