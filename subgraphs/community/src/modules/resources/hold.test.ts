import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, Role, type Viewer } from '@linli/subgraph-kit';
import { startCommunity, type CommunityHarness, type GraphQLBody } from '../../test/harness.js';
import { HoldStatus, ResourceHold } from './hold.entity.js';
import { occupancyProfile, peakWithin } from './hold.occupancy.js';
import { expireLapsedHolds } from './hold.service.js';
import { ResourceStatus, SharedResource } from './resource.entity.js';

const COMMUNITY = 'test-holds';
const exchange: Viewer = { userId: 'exchange', homeCommunityId: null, roles: [Role.SERVICE] };
const staff: Viewer = { userId: 'staff-1', homeCommunityId: COMMUNITY, roles: [Role.COMMUNITY_STAFF] };
const resident: Viewer = { userId: 'resident-1', homeCommunityId: COMMUNITY, roles: [Role.RESIDENT] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Two days ahead, on the hour (Asia/Shanghai is UTC+8, so UTC hours are local slot boundaries). */
const BASE = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY;
const at = (hours: number) => new Date(BASE + hours * HOUR).toISOString();

const HOLD_FIELDS = 'bookingRef communityId status quantity startsAt endsAt expiresAt createdAt resource { id capacity }';
const PLACE = `mutation($c: ID!, $input: PlaceHoldInput!) { placeHold(communityId: $c, input: $input) { ${HOLD_FIELDS} } }`;
const CONFIRM = `mutation($c: ID!, $ref: ID!) { confirmHold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`;
const RELEASE = `mutation($c: ID!, $ref: ID!) { releaseHold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`;
const HOLD = `query($c: ID!, $ref: ID!) { hold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`;
const AVAILABILITY = `query($c: ID!, $id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  resource(communityId: $c, id: $id) { availability(from: $from, to: $to) { startsAt endsAt availableQuantity } } }`;

interface Hold {
  bookingRef: string;
  communityId: string;
  status: HoldStatus;
  quantity: number;
  startsAt: string;
  endsAt: string;
  expiresAt: string | null;
  createdAt: string;
  resource: { id: string; capacity: number };
}
interface PlaceInput {
  resourceId: string;
  startsAt: string;
  endsAt: string;
  quantity: number;
  bookingRef: string;
  expiresAt?: string;
}

let h: CommunityHarness;
let refs = 0;
const ref = (label: string) => `${label}-${++refs}-${BASE}`;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY);
});
afterAll(async () => {
  await h?.close();
});

/** A resource open round the clock unless told otherwise, booked by whole hours, no lead time. */
async function resource(overrides: { capacity?: number; weeklyHours?: Array<{ weekday: number; opensAt: string; closesAt: string }>; policy?: Record<string, number> } = {}): Promise<string> {
  const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '24:00' }));
  const res = await h.request<{ createResource: { id: string } }>(
    `mutation($input: CreateResourceInput!) { createResource(communityId: "${COMMUNITY}", input: $input) { id } }`,
    {
      input: {
        name: '活动室',
        nameEn: 'Activity room',
        kind: 'ROOM',
        location: '七宝',
        capacity: overrides.capacity ?? 10,
        weeklyHours: overrides.weeklyHours ?? everyDay,
        policy: { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 240, leadTimeMinutes: 0, maxDaysAhead: 30, ...overrides.policy },
      },
    },
    staff,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createResource.id;
}

function place(input: PlaceInput, viewer: Viewer = exchange) {
  return h.request<{ placeHold: Hold | null }>(PLACE, { c: COMMUNITY, input }, viewer);
}
const confirm = (bookingRef: string, viewer: Viewer = exchange) => h.request<{ confirmHold: Hold | null }>(CONFIRM, { c: COMMUNITY, ref: bookingRef }, viewer);
const release = (bookingRef: string, viewer: Viewer = exchange) => h.request<{ releaseHold: Hold | null }>(RELEASE, { c: COMMUNITY, ref: bookingRef }, viewer);
const lookup = (bookingRef: string, viewer: Viewer = exchange) => h.request<{ hold: Hold | null }>(HOLD, { c: COMMUNITY, ref: bookingRef }, viewer);

async function placed(input: PlaceInput): Promise<Hold> {
  const res = await place(input);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.placeHold!;
}

async function availability(resourceId: string, from: string, to: string): Promise<number[]> {
  const res = await h.request<{ resource: { availability: Array<{ availableQuantity: number }> } }>(AVAILABILITY, { c: COMMUNITY, id: resourceId, from, to });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.resource.availability.map((s) => s.availableQuantity);
}

function firstError(body: GraphQLBody<unknown>) {
  expect(body.errors, 'expected an error').toHaveLength(1);
  return body.errors![0]!;
}

async function rowsFor(resourceId: string): Promise<ResourceHold[]> {
  return h.subgraph.orm.em.fork().find(ResourceHold, { resource: resourceId }, { orderBy: { createdAt: 'asc' } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('placing a hold', () => {
  it('holds the units until expiresAt, defaulting to ten minutes', async () => {
    const id = await resource();
    const before = Date.now();
    const hold = await placed({ resourceId: id, startsAt: at(1), endsAt: at(3), quantity: 2, bookingRef: ref('ok') });
    expect(hold).toMatchObject({ communityId: COMMUNITY, status: 'HELD', quantity: 2, startsAt: at(1), endsAt: at(3), resource: { id, capacity: 10 } });
    const lapse = new Date(hold.expiresAt!).getTime() - before;
    expect(lapse).toBeGreaterThanOrEqual(10 * MINUTE - 1000);
    expect(lapse).toBeLessThanOrEqual(10 * MINUTE + 5000);
  });

  describe('checks the resource policy, naming the broken rule', () => {
    let open: string;
    let mornings: string;
    // 08:00 in Shanghai is 00:00 UTC: a local day two days ahead.
    const day = Math.floor(Date.now() / DAY) * DAY + 3 * DAY;
    const local = (hour: number) => new Date(day + (hour - 8) * HOUR).toISOString();
    beforeAll(async () => {
      open = await resource();
      mornings = await resource({ weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '12:00' })) });
    });

    it.each([
      ['quantity 0', 'quantity', { quantity: 0 }],
      ['more than the capacity', 'quantity', { quantity: 11 }],
      ['an end not after the start', 'timeRange', { endsAt: at(1) }],
      ['shorter than the minimum', 'minDuration', { endsAt: new Date(BASE + HOUR + 30 * MINUTE).toISOString() }],
      ['longer than the maximum', 'maxDuration', { endsAt: at(6) }],
      ['a duration that is not whole slots', 'slotAlignment', { endsAt: new Date(BASE + 2 * HOUR + 30 * MINUTE).toISOString() }],
      ['a start between slot boundaries', 'slotAlignment', { startsAt: new Date(BASE + HOUR + 30 * MINUTE).toISOString(), endsAt: new Date(BASE + 2 * HOUR + 30 * MINUTE).toISOString() }],
      ['a start in the past (inside the lead time)', 'leadTime', { startsAt: new Date(BASE - 3 * DAY).toISOString(), endsAt: new Date(BASE - 3 * DAY + HOUR).toISOString() }],
      ['a start beyond maxDaysAhead', 'maxDaysAhead', { startsAt: at(31 * 24), endsAt: at(31 * 24 + 1) }],
      ['an expiry in the past', 'expiresAt', { expiresAt: new Date(Date.now() - MINUTE).toISOString() }],
      ['an expiry more than 14 days ahead', 'expiresAt', { expiresAt: new Date(Date.now() + 15 * DAY).toISOString() }],
      ['an empty bookingRef', 'bookingRef', { bookingRef: '' }],
    ] as const)('refuses %s: BAD_USER_INPUT, rule %s', async (_what, rule, change) => {
      const res = await place({ resourceId: open, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref('bad'), ...change });
      const error = firstError(res.body);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
      expect(error.message).toMatch(/[\u4e00-\u9fff].*\(.*[A-Za-z].*\)$/);
      expect(res.body.data?.placeHold).toBeNull();
      expect((await rowsFor(open)).length).toBe(0);
    });

    it('refuses a start inside a positive lead time (leadTime) and accepts one after it', async () => {
      const id = await resource({ policy: { leadTimeMinutes: 120 } });
      const nextHour = Math.ceil(Date.now() / HOUR) * HOUR;
      const soon = await place({ resourceId: id, startsAt: new Date(nextHour + HOUR).toISOString(), endsAt: new Date(nextHour + 2 * HOUR).toISOString(), quantity: 1, bookingRef: ref('soon') });
      expect(firstError(soon.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'leadTime', leadTimeMinutes: 120 });
      await placed({ resourceId: id, startsAt: new Date(nextHour + 3 * HOUR).toISOString(), endsAt: new Date(nextHour + 4 * HOUR).toISOString(), quantity: 1, bookingRef: ref('later') });
    });

    it('refuses a range that runs past closing time (openingHours) and accepts one inside', async () => {
      const outside = await place({ resourceId: mornings, startsAt: local(11), endsAt: local(13), quantity: 1, bookingRef: ref('late') });
      expect(firstError(outside.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'openingHours' });
      const before = await place({ resourceId: mornings, startsAt: local(7), endsAt: local(8), quantity: 1, bookingRef: ref('early') });
      expect(firstError(before.body).extensions).toMatchObject({ rule: 'openingHours' });
      await placed({ resourceId: mornings, startsAt: local(9), endsAt: local(12), quantity: 1, bookingRef: ref('inside') });
    });

    it('refuses a day the community closed (openingHours)', async () => {
      const date = new Date(day + 2 * DAY).toISOString().slice(0, 10);
      const closed = await h.request(
        `mutation($id: ID!, $input: AvailabilityExceptionInput!) { addAvailabilityException(communityId: "${COMMUNITY}", id: $id, input: $input) { id } }`,
        { id: mornings, input: { date, kind: 'CLOSED', reason: '维修', reasonEn: 'Repairs' } },
        staff,
      );
      expect(closed.body.errors).toBeUndefined();
      const res = await place({ resourceId: mornings, startsAt: new Date(day + 2 * DAY + HOUR).toISOString(), endsAt: new Date(day + 2 * DAY + 2 * HOUR).toISOString(), quantity: 1, bookingRef: ref('closed') });
      expect(firstError(res.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'openingHours' });
    });

    it('answers NOT_FOUND for an unknown resource and CONFLICT for one that is not active', async () => {
      const unknown = await place({ resourceId: '00000000-0000-4000-8000-000000000000', startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref('nf') });
      expect(firstError(unknown.body).extensions).toMatchObject({ code: 'NOT_FOUND' });
      const paused = await resource();
      await h.subgraph.orm.em.fork().nativeUpdate(SharedResource, { id: paused }, { status: ResourceStatus.PAUSED });
      const res = await place({ resourceId: paused, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref('paused') });
      expect(firstError(res.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'RESOURCE_NOT_ACTIVE', status: 'PAUSED' });
    });
  });

  it('refuses what does not fit with CONFLICT CAPACITY and the quantity still free', async () => {
    const id = await resource();
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(3), quantity: 7, bookingRef: ref('big') });
    const res = await place({ resourceId: id, startsAt: at(2), endsAt: at(4), quantity: 4, bookingRef: ref('over') });
    expect(firstError(res.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'CAPACITY', available: 3, requested: 4 });
    await placed({ resourceId: id, startsAt: at(2), endsAt: at(4), quantity: 3, bookingRef: ref('fits') });
    // Back to back is not overlap: [1,3) is full, [3,5) only has the 3 from [2,4).
    await placed({ resourceId: id, startsAt: at(4), endsAt: at(5), quantity: 10, bookingRef: ref('after') });
  });
});

describe('the capacity invariant under concurrency', () => {
  it('lets exactly capacity of 50 simultaneous one-unit holds in one slot through', async () => {
    const id = await resource({ capacity: 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => place({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref(`rush${i}`) })),
    );
    const ok = results.filter((r) => r.body.data?.placeHold?.status === 'HELD');
    const refused = results.filter((r) => r.body.errors?.[0]?.extensions?.reason === 'CAPACITY');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => r.body.errors![0]!.extensions!.available === 0)).toBe(true);
    expect((await rowsFor(id)).reduce((sum, row) => sum + row.quantity, 0)).toBe(10);
    expect(await availability(id, at(0), at(3))).toEqual([10, 0, 10]);
  });

  it('never over-books overlapping ranges of different lengths and quantities, and refuses only what did not fit', async () => {
    const capacity = 10;
    const id = await resource({ capacity });
    // Every hour-aligned range within six hours, up to four hours long, with quantities 1–4.
    const requests: PlaceInput[] = [];
    for (let start = 0; start < 6; start++) {
      for (let length = 1; length <= 4 && start + length <= 6; length++) {
        for (let copy = 0; copy < 2; copy++) {
          requests.push({ resourceId: id, startsAt: at(start), endsAt: at(start + length), quantity: ((start + length + copy) % 4) + 1, bookingRef: ref(`mix${start}-${length}-${copy}`) });
        }
      }
    }
    const results = await Promise.all(requests.map((input) => place(input)));
    for (const r of results) {
      if (r.body.errors) expect(r.body.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CAPACITY' });
    }
    const accepted = requests.filter((_, i) => results[i]!.body.data?.placeHold);
    const refused = requests.filter((_, i) => !results[i]!.body.data?.placeHold);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);

    // Recount from the rows themselves, hour by hour.
    const rows = await rowsFor(id);
    expect(rows.map((r) => r.bookingRef).sort()).toEqual(accepted.map((r) => r.bookingRef).sort());
    const used = (hour: number) =>
      rows.filter((r) => r.startsAt.getTime() <= BASE + hour * HOUR && BASE + hour * HOUR < r.endsAt.getTime()).reduce((s, r) => s + r.quantity, 0);
    const hours = [0, 1, 2, 3, 4, 5];
    for (const hour of hours) expect(used(hour)).toBeLessThanOrEqual(capacity);
    // Holds only accumulated, so each refused request must still not fit now.
    for (const r of refused) {
      const first = (Date.parse(r.startsAt) - BASE) / HOUR;
      const last = (Date.parse(r.endsAt) - BASE) / HOUR;
      const peak = Math.max(...hours.filter((x) => x >= first && x < last).map(used));
      expect(peak + r.quantity).toBeGreaterThan(capacity);
    }
    expect(await availability(id, at(0), at(6))).toEqual(hours.map((x) => capacity - used(x)));
  });
});

describe('idempotency by bookingRef', () => {
  it('returns the existing hold for a repeated placement, whatever its status now', async () => {
    const id = await resource();
    const input = { resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 2, bookingRef: ref('same') };
    const first = await placed(input);
    expect(await placed(input)).toEqual(first);
    expect(await placed({ ...input, expiresAt: new Date(Date.now() + DAY).toISOString() })).toEqual(first);
    await confirm(input.bookingRef);
    expect(await placed(input)).toMatchObject({ status: 'CONFIRMED', createdAt: first.createdAt });
    await release(input.bookingRef);
    expect(await placed(input)).toMatchObject({ status: 'RELEASED', createdAt: first.createdAt });
    expect(await rowsFor(id)).toHaveLength(1);
  });

  it.each([
    ['quantity', { quantity: 3 }],
    ['range', { endsAt: at(3) }],
  ])('refuses the same bookingRef with a different %s (BOOKING_REF_REUSED)', async (_what, change) => {
    const id = await resource();
    const input = { resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 2, bookingRef: ref('reuse') };
    await placed(input);
    const res = await place({ ...input, ...change });
    expect(firstError(res.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'BOOKING_REF_REUSED', bookingRef: input.bookingRef });
  });

  it('refuses the same bookingRef on another resource', async () => {
    const [a, b] = [await resource(), await resource()];
    const input = { resourceId: a, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref('other') };
    await placed(input);
    const res = await place({ ...input, resourceId: b });
    expect(firstError(res.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'BOOKING_REF_REUSED' });
  });

  it('stores one row for 20 simultaneous identical placements, and all get it', async () => {
    const id = await resource({ capacity: 3 });
    const input = { resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 3, bookingRef: ref('dup') };
    const results = await Promise.all(Array.from({ length: 20 }, () => place(input)));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const created = new Set(results.map((r) => r.body.data!.placeHold!.createdAt));
    expect(created.size).toBe(1);
    expect(await rowsFor(id)).toHaveLength(1);
  });

  it('lets one of two simultaneous placements of one bookingRef on two resources win', async () => {
    const [a, b] = [await resource(), await resource()];
    const bookingRef = ref('race');
    for (let round = 0; round < 5; round++) {
      const key = `${bookingRef}-${round}`;
      const [ra, rb] = await Promise.all([
        place({ resourceId: a, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: key }),
        place({ resourceId: b, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: key }),
      ]);
      const winners = [ra, rb].filter((r) => r.body.data?.placeHold);
      const losers = [ra, rb].filter((r) => r.body.errors);
      expect(winners).toHaveLength(1);
      expect(losers.map((r) => r.body.errors![0]!.extensions!.reason)).toEqual(['BOOKING_REF_REUSED']);
    }
    expect((await rowsFor(a)).length + (await rowsFor(b)).length).toBe(5);
  });
});

describe('confirming and releasing', () => {
  it('confirms a hold into a reservation without expiry, idempotently', async () => {
    const id = await resource();
    const bookingRef = ref('confirm');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef });
    const first = await confirm(bookingRef);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.confirmHold).toMatchObject({ bookingRef, status: 'CONFIRMED', expiresAt: null });
    const again = await confirm(bookingRef);
    expect(again.body.data!.confirmHold).toEqual(first.body.data!.confirmHold);
    expect((await lookup(bookingRef)).body.data!.hold).toMatchObject({ status: 'CONFIRMED' });
  });

  it('releases a hold or a reservation, idempotently, and frees its capacity', async () => {
    const id = await resource({ capacity: 2 });
    const held = ref('rel-held');
    const booked = ref('rel-booked');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: held });
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: booked });
    await confirm(booked);
    expect(await availability(id, at(1), at(2))).toEqual([0]);
    for (const bookingRef of [held, booked]) {
      const first = await release(bookingRef);
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data!.releaseHold).toMatchObject({ bookingRef, status: 'RELEASED' });
      expect((await release(bookingRef)).body.data!.releaseHold).toEqual(first.body.data!.releaseHold);
    }
    expect(await availability(id, at(1), at(2))).toEqual([2]);
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 2, bookingRef: ref('rel-after') });
  });

  it('refuses to confirm a released hold (HOLD_RELEASED) or an unknown one (NOT_FOUND)', async () => {
    const id = await resource();
    const bookingRef = ref('conf-rel');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef });
    await release(bookingRef);
    expect(firstError((await confirm(bookingRef)).body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_RELEASED' });
    expect(firstError((await confirm(ref('never'))).body).extensions).toMatchObject({ code: 'NOT_FOUND', bookingRef: expect.any(String) });
  });

  it('answers null without error to releasing or looking up a bookingRef never placed', async () => {
    const released = await release(ref('never'));
    expect(released.body).toEqual({ data: { releaseHold: null } });
    const found = await lookup(ref('never'));
    expect(found.body).toEqual({ data: { hold: null } });
  });

  it('settles a race of confirm and release on one hold one way or the other', async () => {
    const id = await resource();
    for (let round = 0; round < 5; round++) {
      const bookingRef = ref('cr');
      await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef });
      const [c, r] = await Promise.all([confirm(bookingRef), release(bookingRef)]);
      expect(r.body.data!.releaseHold!.status).toBe('RELEASED');
      // Either confirm came first (and release cancelled it) or it found the hold released.
      if (c.body.errors) expect(c.body.errors[0]!.extensions).toMatchObject({ reason: 'HOLD_RELEASED' });
      else expect(c.body.data!.confirmHold!.status).toBe('CONFIRMED');
      expect((await lookup(bookingRef)).body.data!.hold!.status).toBe('RELEASED');
    }
  });
});

describe('expiry', () => {
  it('frees an expired hold at once, refuses to confirm it, and reports it EXPIRED', async () => {
    const id = await resource({ capacity: 2 });
    const bookingRef = ref('lapse');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 2, bookingRef, expiresAt: new Date(Date.now() + 1500).toISOString() });
    const full = await place({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: ref('wait') });
    expect(firstError(full.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'CAPACITY', available: 0 });
    expect(await availability(id, at(1), at(2))).toEqual([0]);

    await sleep(1700);
    // Nothing has swept it yet: it is still HELD in the table, and already free.
    expect((await rowsFor(id)).map((r) => r.status)).toEqual([HoldStatus.HELD]);
    expect(await availability(id, at(1), at(2))).toEqual([2]);
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 2, bookingRef: ref('next') });

    expect(firstError((await confirm(bookingRef)).body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_EXPIRED' });
    expect((await lookup(bookingRef)).body.data!.hold).toMatchObject({ status: 'EXPIRED' });
    expect((await release(bookingRef)).body.data!.releaseHold).toMatchObject({ status: 'EXPIRED' });
  });

  it('is swept into EXPIRED by expireLapsedHolds, leaving live holds alone', async () => {
    const id = await resource();
    const lapsing = ref('sweep');
    const lasting = ref('stay');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: lapsing, expiresAt: new Date(Date.now() + 1000).toISOString() });
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: lasting });
    await sleep(1200);
    expect(await expireLapsedHolds(h.subgraph.orm.em.fork())).toBeGreaterThanOrEqual(1);
    const byRef = Object.fromEntries((await rowsFor(id)).map((r) => [r.bookingRef, r.status]));
    expect(byRef).toEqual({ [lapsing]: HoldStatus.EXPIRED, [lasting]: HoldStatus.HELD });
  });
});

describe('availability', () => {
  it('subtracts the peak of live holds and reservations from each slot, keeping full slots at 0', async () => {
    const id = await resource({ capacity: 5 });
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(3), quantity: 2, bookingRef: ref('a') });
    const booked = ref('b');
    await placed({ resourceId: id, startsAt: at(2), endsAt: at(4), quantity: 1, bookingRef: booked });
    await confirm(booked);
    const gone = ref('c');
    await placed({ resourceId: id, startsAt: at(1), endsAt: at(2), quantity: 3, bookingRef: gone });
    await release(gone);
    await placed({ resourceId: id, startsAt: at(5), endsAt: at(6), quantity: 5, bookingRef: ref('d') });
    expect(await availability(id, at(0), at(7))).toEqual([5, 3, 2, 4, 5, 0, 5]);
  });
});

describe('who may hold', () => {
  const calls: Array<[string, (viewer: Viewer) => Promise<{ body: GraphQLBody<unknown> }>]> = [
    ['placeHold', (viewer) => place({ resourceId: '00000000-0000-4000-8000-000000000000', startsAt: at(1), endsAt: at(2), quantity: 1, bookingRef: 'x' }, viewer)],
    ['confirmHold', (viewer) => confirm('x', viewer)],
    ['releaseHold', (viewer) => release('x', viewer)],
    ['hold', (viewer) => lookup('x', viewer)],
  ];
  const viewers: Array<[string, Viewer]> = [
    ['a resident', resident],
    ['staff of the community', staff],
    ['a community admin', { userId: 'admin-1', homeCommunityId: COMMUNITY, roles: [Role.COMMUNITY_ADMIN] }],
    ['an anonymous visitor', ANONYMOUS],
  ];

  it.each(calls.flatMap(([field, call]) => viewers.map(([who, viewer]) => [field, who, call, viewer] as const)))(
    'refuses %s to %s with FORBIDDEN',
    async (field, _who, call, viewer) => {
      const { body } = await call(viewer);
      expect(firstError(body).extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect((body.data as Record<string, unknown> | null)?.[field] ?? null).toBeNull();
    },
  );

  it('answers BAD_USER_INPUT to the exchange asking for another community', async () => {
    const res = await h.request(HOLD, { c: 'test-other', ref: 'x' }, exchange);
    expect(firstError(res.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', communityId: 'test-other' });
  });
});

describe('the occupancy sweep', () => {
  const t = (hour: number) => new Date(BASE + hour * HOUR);
  const profile = occupancyProfile([
    { startsAt: t(0), endsAt: t(2), quantity: 2 },
    { startsAt: t(2), endsAt: t(3), quantity: 5 },
    { startsAt: t(1), endsAt: t(4), quantity: 1 },
  ]);

  it('takes the highest level anywhere in the range, ranges being half-open', () => {
    expect(peakWithin(profile, t(0), t(1))).toBe(2);
    expect(peakWithin(profile, t(0), t(2))).toBe(3);
    expect(peakWithin(profile, t(2), t(3))).toBe(6);
    expect(peakWithin(profile, t(3), t(4))).toBe(1);
    expect(peakWithin(profile, t(4), t(5))).toBe(0);
    expect(peakWithin(profile, new Date(BASE - HOUR), t(0))).toBe(0);
    expect(peakWithin(profile, new Date(BASE + 90 * MINUTE), new Date(BASE + 150 * MINUTE))).toBe(6);
  });
});
