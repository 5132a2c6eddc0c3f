import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityServiceName } from './federation.js';
import { Role, startE2E, type E2E } from './test/e2e.js';
import { auditExchangeLedger, bookingInput, createListedResource, issue, myCredit, type Listed } from './test/bookings.js';

/**
 * Cross-community booking through the gateway, with every service its own process: the
 * saga across the exchange, the owning community and the ledger, under concurrency and
 * retries.
 */
let e2e: E2E;
let courts: Listed; // qibao-b, capacity 10, instant confirmation, 5 credits an hour
let seats: Listed; // qibao-b, capacity 2, needs approval, 20 credits a day-slot
let clinic: Listed; // qibao-c, capacity 4, instant, 3 credits

const adminA = () => e2e.token('admin-a', 'qibao-a', [Role.COMMUNITY_ADMIN]);
const staffB = () => e2e.token('staff-b', 'qibao-b', [Role.COMMUNITY_STAFF]);
const resident = (id: string, home = 'qibao-a') => e2e.token(id, home, [Role.RESIDENT]);

const BOOK = `mutation($input: BookSharedResourceInput!) {
  bookSharedResource(input: $input) { id status priceCredits communityId resource { name } listing { id } }
}`;
type Booked = { bookSharedResource: { id: string; status: string; priceCredits: number; communityId: string } };

beforeAll(async () => {
  e2e = await startE2E('e2e_bookings');
  [courts, seats, clinic] = await Promise.all([
    createListedResource(e2e, 'qibao-b', { name: '测试球场', capacity: 10, price: 5, requiresApproval: false }),
    createListedResource(e2e, 'qibao-b', { name: '测试学位', capacity: 2, price: 20, requiresApproval: true }),
    createListedResource(e2e, 'qibao-c', { name: '测试义诊', capacity: 4, price: 3, requiresApproval: false }),
  ]);
}, 180_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

describe('booking a resource of another community', () => {
  it('ends 200 concurrent bookings of a 10-place slot with exactly 10 confirmed and 190 CONFLICT', async () => {
    const residents = Array.from({ length: 200 }, (_, i) => `crowd-${i}`);
    for (let i = 0; i < residents.length; i += 25) {
      await Promise.all(residents.slice(i, i + 25).map((r) => issue(e2e, adminA(), r, 10)));
    }
    const slot = bookingInput(courts, { hoursAhead: 50 });
    const results = await Promise.all(
      residents.map((r) => e2e.gql<Booked>(BOOK, { input: { ...slot, idempotencyKey: `crowd-${r}` } }, resident(r))),
    );
    const confirmed = results.filter((r) => r.data?.bookSharedResource?.status === 'CONFIRMED');
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(confirmed).toHaveLength(10);
    expect(conflicts).toHaveLength(190);
    expect(conflicts[0]!.errors![0]!.extensions).toMatchObject({ reason: 'CAPACITY' });

    // Ten paid 5 credits; everybody else has their 10 back in full, nothing left pending.
    const balances = await Promise.all(residents.map((r) => myCredit(e2e, resident(r))));
    expect(balances.filter((b) => b.balance === 5 && b.pending === 0)).toHaveLength(10);
    expect(balances.filter((b) => b.balance === 10 && b.pending === 0)).toHaveLength(190);
    const audit = await auditExchangeLedger(e2e);
    expect(audit.mismatches).toEqual([]);
    expect(audit.sumByUnit.CREDIT ?? 0).toBe(0);
    expect(audit.bookingTransfers).toEqual({ posted: 10, pending: 0 });

    const full = await e2e.gql<{ resource: { availability: Array<{ startsAt: string; availableQuantity: number }> } }>(
      `query($from: DateTimeISO!, $to: DateTimeISO!) { resource(communityId: "qibao-b", id: "${courts.resourceId}") { availability(from: $from, to: $to) { startsAt availableQuantity } } }`,
      { from: slot.startsAt, to: slot.endsAt },
    );
    expect(full.data!.resource.availability).toEqual([{ startsAt: slot.startsAt, availableQuantity: 0 }]);
  }, 120_000);

  it('answers concurrent replays of one request with the first result and charges once', async () => {
    await issue(e2e, adminA(), 'replayer', 30);
    const input = { ...bookingInput(courts, { hoursAhead: 75 }), idempotencyKey: 'replay-key-1' };
    const replies = await Promise.all(Array.from({ length: 12 }, () => e2e.gql<Booked>(BOOK, { input }, resident('replayer'))));
    const ids = new Set(replies.map((r) => r.data?.bookSharedResource?.id));
    expect(replies.every((r) => r.errors === undefined)).toBe(true);
    expect(ids.size).toBe(1);
    expect(replies[0]!.data!.bookSharedResource.status).toBe('CONFIRMED');
    expect(await myCredit(e2e, resident('replayer'))).toMatchObject({ balance: 25, pending: 0 });

    // The same key for another request is a client bug, not a second booking.
    const reused = await e2e.gql(BOOK, { input: { ...input, quantity: 2 } }, resident('replayer'));
    expect(reused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await myCredit(e2e, resident('replayer'))).toMatchObject({ balance: 25, pending: 0 });
  }, 60_000);

  it('says INSUFFICIENT_FUNDS with the balance, and which policy rule a request breaks', async () => {
    await issue(e2e, adminA(), 'poor', 4);
    const poor = await e2e.gql(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 80 }), idempotencyKey: 'poor-key-1' } }, resident('poor'));
    expect(poor.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: 4, required: 5 });

    const tooLong = await e2e.gql(
      BOOK,
      { input: { ...bookingInput(courts, { hoursAhead: 80, hours: 3 }), idempotencyKey: 'poor-key-2' } },
      resident('poor'),
    );
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'maxDuration' });
    const ragged = await e2e.gql(
      BOOK,
      { input: { ...bookingInput(courts, { hoursAhead: 80 }), endsAt: new Date(Date.parse(bookingInput(courts, { hoursAhead: 80 }).startsAt) + 90 * 60_000).toISOString(), idempotencyKey: 'poor-key-3' } },
      resident('poor'),
    );
    expect(ragged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'slotAlignment' });
    expect(await myCredit(e2e, resident('poor'))).toMatchObject({ balance: 4, pending: 0 });
  }, 60_000);

  it('holds funds and a place until the owning community approves, and only its staff may', async () => {
    await issue(e2e, adminA(), 'parent-1', 50);
    const booked = await e2e.gql<Booked>(BOOK, { input: { ...bookingInput(seats, { hoursAhead: 30 }), idempotencyKey: 'seat-key-1' } }, resident('parent-1'));
    expect(booked.data?.bookSharedResource).toMatchObject({ status: 'AWAITING_APPROVAL', priceCredits: 20 });
    expect(await myCredit(e2e, resident('parent-1'))).toMatchObject({ balance: 50, pending: 20, available: 30 });
    const id = booked.data!.bookSharedResource.id;

    const approve = `mutation($id: ID!) { approveBooking(id: $id) { id status } }`;
    const byResident = await e2e.gql(approve, { id }, resident('parent-1'));
    expect(byResident.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byStaffOfA = await e2e.gql(approve, { id }, e2e.token('staff-a', 'qibao-a', [Role.COMMUNITY_STAFF]));
    expect(byStaffOfA.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const approved = await e2e.gql<{ approveBooking: { status: string } }>(approve, { id }, staffB());
    expect(approved.data?.approveBooking.status).toBe('CONFIRMED');
    expect(await myCredit(e2e, resident('parent-1'))).toMatchObject({ balance: 30, pending: 0 });

    const listed = await e2e.gql<{ communityBookings: { edges: Array<{ node: { id: string; residentId: string } }> } }>(
      `{ communityBookings(communityId: "qibao-b", status: CONFIRMED) { edges { node { id residentId } } } }`,
      {},
      staffB(),
    );
    expect(listed.data!.communityBookings.edges.map((e) => e.node)).toContainEqual({ id, residentId: 'parent-1' });
    const notStaff = await e2e.gql(`{ communityBookings(communityId: "qibao-b") { edges { node { id } } } }`, {}, resident('parent-1', 'qibao-b'));
    expect(notStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 60_000);

  it('gives everything back when staff reject a booking', async () => {
    await issue(e2e, adminA(), 'parent-2', 50);
    const booked = await e2e.gql<Booked>(BOOK, { input: { ...bookingInput(seats, { hoursAhead: 30 }), idempotencyKey: 'seat-key-2' } }, resident('parent-2'));
    const id = booked.data!.bookSharedResource.id;
    const rejected = await e2e.gql<{ rejectBooking: { status: string; rejectionReason: string } }>(
      `mutation($id: ID!) { rejectBooking(id: $id, reason: "本周名额已满 (Full this week)") { status rejectionReason } }`,
      { id },
      staffB(),
    );
    expect(rejected.data?.rejectBooking).toMatchObject({ status: 'REJECTED', rejectionReason: '本周名额已满 (Full this week)' });
    expect(await myCredit(e2e, resident('parent-2'))).toMatchObject({ balance: 50, pending: 0 });
    // Its place is free again: the second seat of the slot (the first is parent-1's) can be taken.
    await issue(e2e, adminA(), 'parent-3', 50);
    const next = await e2e.gql<Booked>(BOOK, { input: { ...bookingInput(seats, { hoursAhead: 30 }), idempotencyKey: 'seat-key-3' } }, resident('parent-3'));
    expect(next.data?.bookSharedResource.status).toBe('AWAITING_APPROVAL');
  }, 60_000);

  it('refunds a cancellation by the listing\'s rule, once, and frees the place', async () => {
    await issue(e2e, adminA(), 'canceller', 20);
    const early = await e2e.gql<Booked>(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 100 }), idempotencyKey: 'cancel-key-a' } }, resident('canceller'));
    const late = await e2e.gql<Booked>(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 5, hours: 2 }), idempotencyKey: 'cancel-key-b' } }, resident('canceller'));
    expect(await myCredit(e2e, resident('canceller'))).toMatchObject({ balance: 5, pending: 0 });

    const cancel = `mutation($id: ID!, $key: String!) { cancelBooking(id: $id, idempotencyKey: $key) { status refundedCredits } }`;
    const other = await e2e.gql(cancel, { id: early.data!.bookSharedResource.id, key: 'not-mine-1' }, resident('someone-else'));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // 100 h ahead: in full. 5 h ahead (less than the default 24 h): 50 %.
    const [first, again] = await Promise.all([
      e2e.gql<{ cancelBooking: { status: string; refundedCredits: number } }>(cancel, { id: early.data!.bookSharedResource.id, key: 'cancel-key-1' }, resident('canceller')),
      e2e.gql<{ cancelBooking: { status: string; refundedCredits: number } }>(cancel, { id: early.data!.bookSharedResource.id, key: 'cancel-key-1' }, resident('canceller')),
    ]);
    const answers = [first, again].filter((r) => r.data?.cancelBooking);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    for (const a of answers) expect(a.data!.cancelBooking).toEqual({ status: 'CANCELLED', refundedCredits: 5 });
    const lateCancel = await e2e.gql<{ cancelBooking: { refundedCredits: number } }>(cancel, { id: late.data!.bookSharedResource.id, key: 'cancel-key-2' }, resident('canceller'));
    expect(lateCancel.data?.cancelBooking.refundedCredits).toBe(5);
    expect(await myCredit(e2e, resident('canceller'))).toMatchObject({ balance: 15, pending: 0 });
    const audit = await auditExchangeLedger(e2e);
    expect(audit.mismatches).toEqual([]);
    expect(audit.sumByUnit.CREDIT ?? 0).toBe(0);
  }, 60_000);

  it('keeps residents\' accounts to themselves', async () => {
    await issue(e2e, adminA(), 'private-1', 5);
    const mine = await e2e.gql<{ myAccounts: Array<{ id: string }> }>(`{ myAccounts { id } }`, {}, resident('private-1'));
    const id = mine.data!.myAccounts[0]!.id;
    const neighbour = await e2e.gql(`query($id: ID!) { account(id: $id) { balance } }`, { id }, resident('private-2'));
    expect(neighbour.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const booking = await e2e.gql(`{ myBookings { edges { node { id } } } }`, {}, resident('private-2'));
    expect(booking.data).toMatchObject({ myBookings: { edges: [] } });
  });

  it('charges nothing and says COMMUNITY_UNAVAILABLE when the owning community is down', async () => {
    await issue(e2e, adminA(), 'hopeful', 10);
    await e2e.federation.stopService(communityServiceName('qibao-c'));
    const res = await e2e.gql(BOOK, { input: { ...bookingInput(clinic, { hoursAhead: 30 }), idempotencyKey: 'clinic-key-1' } }, resident('hopeful'));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-c' });
    expect(await myCredit(e2e, resident('hopeful'))).toMatchObject({ balance: 10, pending: 0 });
  }, 60_000);
});
