import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '@linli/subgraph-kit';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, createOk, LIST_RESOURCES, resourceInput, type Listed } from '../../test/resources.js';
import { BookingPolicy, ResourceKind, SharedResource } from './resource.entity.js';

describe('listing resources', () => {
  let h: CommunityHarness;
  const created: { id: string; name: string; kind: string }[] = [];
  beforeAll(async () => {
    h = await startCommunity('test-a');
    for (const [name, kind] of [['篮球场', 'VENUE'], ['舞蹈室', 'ROOM'], ['乒乓球台', 'VENUE'], ['会议室', 'ROOM'], ['羽毛球场', 'VENUE']] as const) {
      created.push({ id: await createOk(h, resourceInput({ name, kind })), name, kind });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  async function page(args: Record<string, unknown>) {
    const res = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-a', ...args });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.resources!;
  }

  it('pages through every resource, oldest first, each exactly once', async () => {
    const first = await page({ first: 2 });
    expect(first.edges.map((e) => e.node.name)).toEqual(['篮球场', '舞蹈室']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1]!.cursor });

    const second = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.name)).toEqual(['乒乓球台', '会议室']);
    expect(second.pageInfo.hasNextPage).toBe(true);

    const third = await page({ first: 2, after: second.pageInfo.endCursor });
    expect(third.edges.map((e) => e.node.name)).toEqual(['羽毛球场']);
    expect(third.pageInfo).toEqual({ hasNextPage: false, endCursor: third.edges[0]!.cursor });

    const past = await page({ first: 2, after: third.pageInfo.endCursor });
    expect(past).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const all = await page({ first: 5 });
    expect(all.edges.map((e) => e.node.id)).toEqual(created.map((c) => c.id));
    expect(all.pageInfo.hasNextPage).toBe(false);
  });

  it('returns the same page for the same cursor', async () => {
    const first = await page({ first: 2 });
    const again = await page({ first: 2, after: first.pageInfo.endCursor });
    const once = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(again).toEqual(once);
  });

  it('filters by kind, and pages within the kind', async () => {
    const rooms = await page({ kind: 'ROOM' });
    expect(rooms.edges.map((e) => e.node.name)).toEqual(['舞蹈室', '会议室']);
    expect(rooms.pageInfo.hasNextPage).toBe(false);

    const firstVenue = await page({ kind: 'VENUE', first: 1 });
    const nextVenues = await page({ kind: 'VENUE', first: 5, after: firstVenue.pageInfo.endCursor });
    expect([...firstVenue.edges, ...nextVenues.edges].map((e) => e.node.name)).toEqual(['篮球场', '乒乓球台', '羽毛球场']);

    expect(await page({ kind: 'MEDICAL_SERVICE' })).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('orders resources created at the same instant by id, and pages through them without loss', async () => {
    const em = h.subgraph.orm.em.fork();
    const at = new Date('2020-01-01T00:00:00Z');
    const tied = ['甲', '乙', '丙'].map((name) =>
      em.create(SharedResource, { name, nameEn: name, kind: ResourceKind.EQUIPMENT, location: '仓库', capacity: 1, policy: new BookingPolicy(), createdAt: at, updatedAt: at }),
    );
    await em.flush();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const p = await page({ kind: 'EQUIPMENT', first: 1, after });
      seen.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(tied.map((r) => r.id).sort());
  });

  it.each([0, -1, 101])('rejects first: %d as BAD_USER_INPUT', async (first) => {
    const res = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-a', first });
    expect(res.body.data).toEqual({ resources: null });
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a key of the wrong shape', encodeCursor(['2026-01-01T00:00:00.000Z'])],
    ['a key that is not a date', encodeCursor(['yesterday', '00000000-0000-4000-8000-000000000000'])],
    ['a key whose id is not a uuid', encodeCursor(['2026-01-01T00:00:00.000Z', 'abc'])],
  ])('rejects a cursor that is %s as BAD_USER_INPUT', async (_what, after) => {
    const res = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-a', after });
    expect(res.body.data).toEqual({ resources: null });
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.extensions?.argument).toBe('after');
  });

  it('answers BAD_USER_INPUT for a community it does not serve', async () => {
    const res = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-b' });
    expect(res.body.data).toEqual({ resources: null });
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });
});
