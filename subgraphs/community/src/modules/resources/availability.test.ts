import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Viewer } from '@linli/subgraph-kit';
import { DateTime } from 'luxon';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, createOk, GET_RESOURCE, LIST_RESOURCES, resident, resourceInput, staff, staffElsewhere, type Listed } from '../../test/resources.js';
import { ResourceStatus, SharedResource } from './resource.entity.js';
import { upcomingExceptions } from './resource.service.js';

const ADD_EXCEPTION = `mutation($communityId: ID!, $id: ID!, $input: AvailabilityExceptionInput!) {
  addAvailabilityException(communityId: $communityId, id: $id, input: $input) { id date kind opensAt closesAt reason reasonEn }
}`;
const AVAILABILITY = `query($communityId: ID!, $id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  resource(communityId: $communityId, id: $id) { availability(from: $from, to: $to) { startsAt endsAt availableQuantity } }
}`;

interface Slot {
  startsAt: string;
  endsAt: string;
  availableQuantity: number;
}

describe('availability', () => {
  const zone = 'Asia/Shanghai';
  let h: CommunityHarness;
  let id: string;
  // Local days far enough ahead for the lead time and close enough for maxDaysAhead.
  const day = DateTime.now().setZone(zone).startOf('day').plus({ days: 3 });
  const nextDay = day.plus({ days: 1 });
  const utc = (d: DateTime, hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    return d.set({ hour, minute }).toUTC().toISO({ suppressMilliseconds: false })!;
  };
  const iso = (d: DateTime) => d.toUTC().toISO()!;

  beforeAll(async () => {
    h = await startCommunity('test-a');
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '12:00' }));
    id = await createOk(h, resourceInput({ capacity: 3, weeklyHours: everyDay, policy: { leadTimeMinutes: 0 } }));
  });
  afterAll(async () => {
    await h?.close();
  });

  async function slots(from: DateTime, to: DateTime, resourceId = id): Promise<Slot[]> {
    const res = await h.request<{ resource: { availability: Slot[] } }>(AVAILABILITY, { communityId: 'test-a', id: resourceId, from: iso(from), to: iso(to) });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.resource.availability;
  }

  async function addException(input: Record<string, unknown>, viewer: Viewer = staff, resourceId = id) {
    return h.request<{ addAvailabilityException: Record<string, unknown> }>(ADD_EXCEPTION, { communityId: 'test-a', id: resourceId, input }, viewer);
  }

  it('offers the weekly hours as slots with the full capacity', async () => {
    expect(await slots(day, nextDay)).toEqual(
      ['08:00', '09:00', '10:00', '11:00'].map((t, i) => ({ startsAt: utc(day, t), endsAt: utc(day, ['09:00', '10:00', '11:00', '12:00'][i]!), availableQuantity: 3 })),
    );
  });

  it('removes a closed window and adds an extra opening added through the API', async () => {
    const closed = await addException({ date: day.toISODate(), kind: 'CLOSED', opensAt: '09:00', closesAt: '10:00', reason: '维修', reasonEn: 'Repairs' });
    expect(closed.body.errors).toBeUndefined();
    expect(closed.body.data?.addAvailabilityException).toMatchObject({ date: day.toISODate(), kind: 'CLOSED', opensAt: '09:00', closesAt: '10:00', reason: '维修', reasonEn: 'Repairs' });
    const extra = await addException({ date: day.toISODate(), kind: 'EXTRA_OPENING', opensAt: '14:00', closesAt: '15:00' });
    expect(extra.body.errors).toBeUndefined();

    expect((await slots(day, nextDay)).map((s) => s.startsAt)).toEqual([utc(day, '08:00'), utc(day, '10:00'), utc(day, '11:00'), utc(day, '14:00')]);
  });

  it('removes a day closed as a whole and leaves the days around it', async () => {
    const res = await addException({ date: nextDay.toISODate(), kind: 'CLOSED' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.addAvailabilityException).toMatchObject({ opensAt: null, closesAt: null, reason: '' });
    expect(await slots(nextDay, nextDay.plus({ days: 1 }))).toEqual([]);
    expect(await slots(nextDay.plus({ days: 1 }), nextDay.plus({ days: 2 }))).toHaveLength(4);
  });

  it('lists the upcoming exceptions on the resource, by date', async () => {
    const res = await h.request<{ resource: { exceptions: { date: string; kind: string }[] } }>(
      `query($id: ID!) { resource(communityId: "test-a", id: $id) { exceptions { date kind opensAt } } }`,
      { id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.resource.exceptions.map((e) => [e.date, e.kind])).toEqual([
      [day.toISODate(), expect.any(String)],
      [day.toISODate(), expect.any(String)],
      [nextDay.toISODate(), 'CLOSED'],
    ]);
  });

  it("lists exceptions from the community's local today on, not UTC's", async () => {
    const other = await createOk(h, resourceInput({ name: '时区' }));
    for (const date of ['2020-03-01', '2020-03-02', '2020-03-03']) {
      expect((await addException({ date, kind: 'CLOSED' }, staff, other)).body.errors).toBeUndefined();
    }
    const em = h.subgraph.orm.em.fork();
    const resource = await em.findOneOrFail(SharedResource, { id: other });
    // 20:00Z on 1 March is 04:00 on 2 March in Shanghai: 1 March is over there.
    const upcoming = await upcomingExceptions(resource, zone, new Date('2020-03-01T20:00:00Z'));
    expect(upcoming.map((e) => e.date)).toEqual(['2020-03-02', '2020-03-03']);
  });

  it('accepts a range of exactly 31 days, offering slots up to maxDaysAhead from now', async () => {
    const from = day.plus({ days: 2 });
    const latest = DateTime.now().plus({ days: 30 });
    const all = await slots(from, from.plus({ days: 31 }));
    const expected: string[] = [];
    for (let d = from; d < from.plus({ days: 31 }); d = d.plus({ days: 1 })) {
      for (const t of ['08:00', '09:00', '10:00', '11:00']) if (DateTime.fromISO(utc(d, t)) <= latest) expected.push(utc(d, t));
    }
    expect(all.map((s) => s.startsAt)).toEqual(expected);
  });

  it.each([
    ['`from` equal to `to`', 0],
    ['`from` after `to`', -60],
    ['a range longer than 31 days', 31 * 24 * 60 + 1],
  ])('rejects %s as BAD_USER_INPUT', async (_what, minutes) => {
    const res = await h.request(AVAILABILITY, { communityId: 'test-a', id, from: iso(day), to: iso(day.plus({ minutes })) });
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.extensions?.argument).toBe('from/to');
  });

  it('rejects a time that is not ISO 8601 as BAD_USER_INPUT', async () => {
    const res = await h.request(AVAILABILITY, { communityId: 'test-a', id, from: 'tomorrow', to: iso(day) });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('offers nothing while a resource is paused and it stays listed; a retired one leaves the list', async () => {
    const other = await createOk(h, resourceInput({ name: '暂停的', weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '12:00' })), policy: { leadTimeMinutes: 0 } }));
    expect(await slots(day, nextDay, other)).toHaveLength(4);
    const setStatus = (status: ResourceStatus) => h.subgraph.orm.em.fork().nativeUpdate(SharedResource, { id: other }, { status });

    await setStatus(ResourceStatus.PAUSED);
    expect(await slots(day, nextDay, other)).toEqual([]);
    const listed = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-a' });
    expect(listed.body.data?.resources?.edges.find((e) => e.node.id === other)?.node.status).toBe('PAUSED');

    await setStatus(ResourceStatus.RETIRED);
    const afterRetire = await h.request<Listed>(LIST_RESOURCES, { communityId: 'test-a' });
    const ids = afterRetire.body.data?.resources?.edges.map((e) => e.node.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(other);
    const stillResolvable = await h.request<{ resource: { status: string } }>(GET_RESOURCE, { communityId: 'test-a', id: other });
    expect(stillResolvable.body.data?.resource.status).toBe('RETIRED');
  });

  describe('adding an exception', () => {
    it.each([
      ['a resident', resident],
      ['an anonymous visitor', ANONYMOUS],
      ['staff of another community', staffElsewhere],
    ])('refuses %s with FORBIDDEN', async (_who, viewer) => {
      const res = await addException({ date: day.toISODate(), kind: 'CLOSED' }, viewer);
      expect(codes(res.body)).toEqual(['FORBIDDEN']);
    });

    it('answers NOT_FOUND for an unknown or malformed resource', async () => {
      for (const unknown of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        const res = await addException({ date: day.toISODate(), kind: 'CLOSED' }, staff, unknown);
        expect(codes(res.body)).toEqual(['NOT_FOUND']);
      }
    });

    it.each([
      ['an extra opening without a window', { kind: 'EXTRA_OPENING' }],
      ['only opensAt', { kind: 'CLOSED', opensAt: '09:00' }],
      ['only closesAt', { kind: 'EXTRA_OPENING', closesAt: '09:00' }],
      ['closesAt before opensAt', { kind: 'CLOSED', opensAt: '11:00', closesAt: '09:00' }],
      ['a time that is not HH:MM', { kind: 'CLOSED', opensAt: '9am', closesAt: '11:00' }],
      ['a date that is not YYYY-MM-DD', { kind: 'CLOSED', date: '2026/12/01' }],
      ['a date that does not exist', { kind: 'CLOSED', date: '2026-02-30' }],
      ['month 13', { kind: 'CLOSED', date: '2026-13-01' }],
    ])('rejects %s as BAD_USER_INPUT and writes nothing', async (_what, input) => {
      const before = await h.request<{ resource: { exceptions: unknown[] } }>(`query($id: ID!) { resource(communityId: "test-a", id: $id) { exceptions { id } } }`, { id });
      const res = await addException({ date: day.toISODate(), ...input });
      expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
      const after = await h.request<{ resource: { exceptions: unknown[] } }>(`query($id: ID!) { resource(communityId: "test-a", id: $id) { exceptions { id } } }`, { id });
      expect(after.body.data?.resource.exceptions).toEqual(before.body.data?.resource.exceptions);
    });
  });
});
