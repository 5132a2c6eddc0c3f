import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { createOk, resourceInput } from '../../test/resources.js';

/**
 * Federation entity resolution: the gateway asks for resources of this community by key
 * `{ communityId, id }`, many at a time, in the order it needs them back.
 */
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on SharedResource { id communityId name }
  }
}`;

type Entity = { __typename: string; id: string; communityId: string; name: string } | null;

let h: CommunityHarness;
const statements: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  h = await startCommunity('test-fed', { onQuery: (sql) => statements.push(sql) });
  for (const name of ['篮球场', '会议室', '钢琴', '打印机', '帐篷']) {
    ids.push(await createOk(h, resourceInput({ name, kind: 'OTHER', weeklyHours: [] })));
  }
});
afterAll(async () => {
  await h?.close();
});

const ref = (id: string, communityId = 'test-fed') => ({ __typename: 'SharedResource', communityId, id });

/** Runs `fn` and returns the SQL statements it caused that read the resource table. */
async function resourceSelects(fn: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  await fn();
  return statements.filter((sql) => /^select\b/i.test(sql) && /from "shared_resource"/i.test(sql));
}

describe('SharedResource entities', () => {
  it('resolves representations in order, with null for unknown, malformed and foreign ones', async () => {
    const [a, b, c] = ids as [string, string, string];
    const res = await h.request<{ _entities: Entity[] }>(ENTITIES, {
      representations: [ref(a), ref(UNKNOWN), ref(c), ref(b, 'test-other'), ref('not-a-uuid'), ref(b), ref(a)],
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities).toEqual([
      { __typename: 'SharedResource', id: a, communityId: 'test-fed', name: '篮球场' },
      null,
      { __typename: 'SharedResource', id: c, communityId: 'test-fed', name: '钢琴' },
      null,
      null,
      { __typename: 'SharedResource', id: b, communityId: 'test-fed', name: '会议室' },
      { __typename: 'SharedResource', id: a, communityId: 'test-fed', name: '篮球场' },
    ]);
  });

  it('loads any number of representations with one SQL select on the resource table', async () => {
    const representations = [...ids, UNKNOWN, 'not-a-uuid'].map((id) => ref(id));
    let entities: Entity[] = [];
    const selects = await resourceSelects(async () => {
      const res = await h.request<{ _entities: Entity[] }>(ENTITIES, { representations });
      expect(res.body.errors).toBeUndefined();
      entities = res.body.data!._entities;
    });
    expect(entities.map((e) => e?.id ?? null)).toEqual([...ids, null, null]);
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatch(/"id" in \(/i);
  });

  it('asks the database nothing for representations of another community', async () => {
    let entities: Entity[] = [];
    const selects = await resourceSelects(async () => {
      const res = await h.request<{ _entities: Entity[] }>(ENTITIES, { representations: ids.map((id) => ref(id, 'test-other')) });
      entities = res.body.data!._entities;
    });
    expect(entities).toEqual(ids.map(() => null));
    expect(selects).toEqual([]);
  });

  it('resolves fields that run their own queries, such as availability, on entities', async () => {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '10:00' }));
    const room = await createOk(h, resourceInput({ name: '自习室', kind: 'ROOM', weeklyHours: everyDay, policy: { leadTimeMinutes: 0 } }));
    const day = DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days: 2 });
    const res = await h.request<{ _entities: ({ availability: { startsAt: string }[] } | null)[] }>(
      `query($representations: [_Any!]!, $from: DateTimeISO!, $to: DateTimeISO!) {
        _entities(representations: $representations) { ... on SharedResource { availability(from: $from, to: $to) { startsAt } } }
      }`,
      { representations: [ref(room), ref(ids[0]!)], from: day.toUTC().toISO(), to: day.plus({ days: 1 }).toUTC().toISO() },
    );
    expect(res.body.errors).toBeUndefined();
    const at = (hour: number) => day.set({ hour }).toUTC().toISO();
    expect(res.body.data?._entities).toEqual([{ availability: [{ startsAt: at(8) }, { startsAt: at(9) }] }, { availability: [] }]);
  });
});

describe('Community entity', () => {
  it('resolves its own community with its resources, and null for another', async () => {
    const res = await h.request<{ _entities: ({ id: string; resources: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean } } } | null)[] }>(
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Community { id resources(first: 3) { edges { node { name communityId } } pageInfo { hasNextPage } } }
        }
      }`,
      { representations: [{ __typename: 'Community', id: 'test-fed' }, { __typename: 'Community', id: 'test-other' }] },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities).toEqual([
      {
        id: 'test-fed',
        resources: {
          edges: ['篮球场', '会议室', '钢琴'].map((name) => ({ node: { name, communityId: 'test-fed' } })),
          pageInfo: { hasNextPage: true },
        },
      },
      null,
    ]);
  });

  it('filters its resources by kind', async () => {
    const res = await h.request<{ _entities: { other: { edges: unknown[] }; venues: { edges: unknown[] } }[] }>(
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Community { other: resources(kind: OTHER) { edges { node { name } } } venues: resources(kind: VENUE) { edges { node { name } } } }
        }
      }`,
      { representations: [{ __typename: 'Community', id: 'test-fed' }] },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities).toEqual([
      { other: { edges: ['篮球场', '会议室', '钢琴', '打印机', '帐篷'].map((name) => ({ node: { name } })) }, venues: { edges: [] } },
    ]);
  });
});
