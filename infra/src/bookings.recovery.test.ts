import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityServiceName } from './federation.js';
import { Role, startE2E, type E2E } from './test/e2e.js';
import { auditExchangeLedger, bookingInput, createListedResource, issue, myCredit, type Listed } from './test/bookings.js';

/**
 * Crashes in the middle of the booking saga, with real processes killed by SIGKILL: after
 * restart, every booking ends fully confirmed or fully undone, within 30 s.
 */
const ENV = { BOOKING_APPROVAL_WINDOW_SECONDS: '3', BOOKING_RECOVERY_INTERVAL_MS: '500' };
let e2e: E2E;
let courts: Listed;
let seats: Listed;

const adminA = () => e2e.token('admin-a', 'qibao-a', [Role.COMMUNITY_ADMIN]);
const resident = (id: string) => e2e.token(id, 'qibao-a', [Role.RESIDENT]);
const service = () => e2e.token('test-service', null, [Role.SERVICE]);

const BOOK = `mutation($input: BookSharedResourceInput!) { bookSharedResource(input: $input) { id status } }`;

beforeAll(async () => {
  e2e = await startE2E('e2e_recovery', { exchangeEnv: ENV });
  [courts, seats] = await Promise.all([
    createListedResource(e2e, 'qibao-b', { name: '恢复测试球场', capacity: 3, price: 5, requiresApproval: false }),
    createListedResource(e2e, 'qibao-b', { name: '恢复测试学位', capacity: 1, price: 20, requiresApproval: true }),
  ]);
}, 180_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

async function restartExchange(env: Record<string, string>): Promise<void> {
  await e2e.federation.killService('exchange');
  await e2e.federation.startExchange(env);
}

interface Settled {
  id: string;
  status: string;
  hold: { status: string } | null;
  seconds: number;
}

/** Polls as the resident until their only booking with `key`'s slot has settled, then reads its hold. */
async function settledBooking(residentId: string, within = 30_000): Promise<Settled> {
  const started = Date.now();
  for (;;) {
    const res = await e2e.gql<{ myBookings: { edges: Array<{ node: { id: string; status: string } }> } }>(
      `{ myBookings(first: 1) { edges { node { id status } } } }`,
      {},
      resident(residentId),
    );
    const node = res.data?.myBookings.edges[0]?.node;
    if (node && node.status !== 'PENDING' && node.status !== 'AWAITING_APPROVAL') {
      const hold = await e2e.gql<{ hold: { status: string } | null }>(
        `query($ref: ID!) { hold(communityId: "qibao-b", bookingRef: $ref) { status } }`,
        { ref: node.id },
        service(),
      );
      // A failed booking may still be freeing its hold: wait for that too.
      const holdStatus = hold.data?.hold?.status;
      if (node.status === 'CONFIRMED' || hold.data?.hold === null || holdStatus === 'RELEASED' || holdStatus === 'EXPIRED') {
        return { ...node, hold: hold.data?.hold ?? null, seconds: (Date.now() - started) / 1000 };
      }
    }
    if (Date.now() - started > within) throw new Error(`booking of ${residentId} not settled within ${within} ms: ${JSON.stringify(node)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function expectLedgerSound(): Promise<void> {
  const audit = await auditExchangeLedger(e2e);
  expect(audit.mismatches).toEqual([]);
  expect(audit.sumByUnit.CREDIT ?? 0).toBe(0);
  expect(audit.bookingTransfers.pending).toBe(0);
}

describe('booking saga recovery', () => {
  it('confirms a booking whose exchange died right after the hold was placed', async () => {
    await issue(e2e, adminA(), 'crash-1', 20);
    await restartExchange({ ...ENV, SAGA_FAULT: 'crash-after:PLACE_HOLD' });
    const res = await e2e.gql(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 30 }), idempotencyKey: 'crash-1-key' } }, resident('crash-1'));
    expect(res.data?.bookSharedResource ?? null).toBeNull(); // the exchange died answering
    await e2e.federation.service('exchange')?.exited;
    await restartExchange(ENV);
    const booking = await settledBooking('crash-1');
    expect(booking).toMatchObject({ status: 'CONFIRMED', hold: { status: 'CONFIRMED' } });
    expect(await myCredit(e2e, resident('crash-1'))).toMatchObject({ balance: 15, pending: 0 });
    await expectLedgerSound();
  }, 90_000);

  it('settles a booking whose exchange died right after the community confirmed the hold', async () => {
    await issue(e2e, adminA(), 'crash-2', 20);
    await restartExchange({ ...ENV, SAGA_FAULT: 'crash-after:CONFIRM' });
    await e2e.gql(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 31 }), idempotencyKey: 'crash-2-key' } }, resident('crash-2'));
    await e2e.federation.service('exchange')?.exited;
    await restartExchange(ENV);
    const booking = await settledBooking('crash-2');
    expect(booking).toMatchObject({ status: 'CONFIRMED', hold: { status: 'CONFIRMED' } });
    expect(await myCredit(e2e, resident('crash-2'))).toMatchObject({ balance: 15, pending: 0 });
    await expectLedgerSound();
  }, 90_000);

  it('undoes a booking whose community died between hold and confirm, once it is back', async () => {
    await issue(e2e, adminA(), 'crash-3', 20);
    await restartExchange({ ...ENV, SAGA_FAULT: 'pause-after:PLACE_HOLD:3000' });
    const pending = e2e.gql(BOOK, { input: { ...bookingInput(courts, { hoursAhead: 32 }), idempotencyKey: 'crash-3-key' } }, resident('crash-3'));
    await new Promise((r) => setTimeout(r, 1_500)); // the hold is placed; the saga pauses before confirming
    const b = e2e.communities.find((c) => c.id === 'qibao-b')!;
    await e2e.federation.killService(communityServiceName('qibao-b'));
    const res = await pending;
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-b' });
    expect(await myCredit(e2e, resident('crash-3'))).toMatchObject({ balance: 20, pending: 0 });

    await e2e.federation.startCommunity(b);
    const booking = await settledBooking('crash-3');
    expect(booking).toMatchObject({ status: 'FAILED', hold: { status: 'RELEASED' } });
    await expectLedgerSound();
    await restartExchange(ENV);
  }, 90_000);

  it('expires a booking nobody approved in time, and gives everything back', async () => {
    await issue(e2e, adminA(), 'waiting', 40);
    const res = await e2e.gql<{ bookSharedResource: { status: string } }>(
      BOOK,
      { input: { ...bookingInput(seats, { hoursAhead: 40 }), idempotencyKey: 'expiry-key' } },
      resident('waiting'),
    );
    expect(res.data?.bookSharedResource.status).toBe('AWAITING_APPROVAL');
    expect(await myCredit(e2e, resident('waiting'))).toMatchObject({ balance: 40, pending: 20 });
    const booking = await settledBooking('waiting');
    expect(booking.status).toBe('EXPIRED');
    // Its hold lapsed at the same deadline: the community counts it free either way.
    expect(['EXPIRED', 'RELEASED']).toContain(booking.hold?.status);
    expect(await myCredit(e2e, resident('waiting'))).toMatchObject({ balance: 40, pending: 0 });
    await expectLedgerSound();
  }, 60_000);
});
