import { LiveEventType, MemoryEventPublisher, type LinliEvent } from '@linli/subgraph-kit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';
import { admin, issue } from '../../test/ledger.js';
import { listingInput, publish, published } from '../../test/listings.js';
import { Booking, BookingStatus } from '../bookings/booking.entity.js';
import { LedgerUnit } from '../ledger/account.entity.js';
import * as ledger from '../ledger/ledger.service.js';
import { TransferCode } from '../ledger/transfer.entity.js';

let h: ExchangeHarness;
let announced: LinliEvent[];

beforeAll(async () => {
  h = await startExchange('exchange_live');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' });
  if (!(h.subgraph.events instanceof MemoryEventPublisher)) throw new Error('the harness should record events in memory');
  announced = h.subgraph.events.events;
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  announced.length = 0;
});

const ofType = (type: string) => announced.filter((e) => e.type === type);

describe('live events of the exchange', () => {
  it('announces a published listing once, with its kind, and not again for a replay', async () => {
    const input = listingInput('qibao-b', { kind: 'MEDICAL_SERVICE' });
    const listing = await published(h, input);
    await publish(h, input);
    expect(ofType(LiveEventType.LISTING_PUBLISHED)).toEqual([
      {
        type: 'listing.published',
        communityId: 'qibao-b',
        subjectId: listing.id,
        occurredAt: expect.any(String),
        data: { kind: 'MEDICAL_SERVICE', resourceId: listing.resourceId },
      },
    ]);
  });

  it('announces each account an issue moved, after the transfer commits, with the holder to route by', async () => {
    const body = await issue(h, admin('qibao-a'), { residentId: 'live-resident', amount: 7 });
    expect(body.errors).toBeUndefined();
    const changes = ofType(LiveEventType.ACCOUNT_BALANCE_CHANGED);
    expect(changes.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { holderId: 'live-resident', kind: 'RESIDENT', unit: 'CREDIT' },
        { holderId: 'qibao-a', kind: 'COMMUNITY_ISSUANCE', unit: 'CREDIT' },
      ]),
    );
    expect(changes).toHaveLength(2);
    expect(changes.every((e) => e.communityId === 'qibao-a')).toBe(true);
    expect(changes.find((e) => e.data?.kind === 'RESIDENT')?.subjectId).toBe(body.data?.issueCredit.creditAccountId);
  });

  it('announces nothing for a transfer that is refused and rolled back', async () => {
    const em = h.subgraph.orm.em.fork();
    const poor = await ledger.residentAccount(em, 'live-poor', 'qibao-a', LedgerUnit.CREDIT);
    const revenue = await ledger.communityRevenueAccount(em, 'qibao-b', LedgerUnit.CREDIT);
    announced.length = 0;
    await expect(
      ledger.createTransfer(em, { id: randomUUID(), debitAccountId: poor.id, creditAccountId: revenue.id, amount: 5, unit: LedgerUnit.CREDIT, code: TransferCode.BOOKING }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(ofType(LiveEventType.ACCOUNT_BALANCE_CHANGED)).toEqual([]);
  });

  it('announces a booking when it is made and on every status change, never on other updates', async () => {
    const listing = await published(h, listingInput('qibao-b'));
    const em = h.subgraph.orm.em.fork();
    const booking = em.create(Booking, {
      residentId: 'live-booker',
      residentCommunityId: 'qibao-a',
      idempotencyKey: `live-${randomUUID()}`,
      listing: listing.id,
      communityId: 'qibao-b',
      resourceId: listing.resourceId,
      startsAt: new Date(Date.now() + 86_400_000),
      endsAt: new Date(Date.now() + 90_000_000),
      quantity: 1,
      priceCredits: 0,
      requiresApproval: true,
    });
    await em.flush();
    booking.retryAt = new Date(); // not a status change
    await em.flush();
    booking.status = BookingStatus.AWAITING_APPROVAL;
    await em.flush();
    const events = ofType(LiveEventType.BOOKING_UPDATED);
    expect(events.map((e) => e.data?.status)).toEqual(['PENDING', 'AWAITING_APPROVAL']);
    expect(events[1]).toMatchObject({
      communityId: 'qibao-b',
      subjectId: booking.id,
      data: { residentId: 'live-booker', residentCommunityId: 'qibao-a' },
    });
  });

  it('holds a booking change made inside a transaction until it commits, and drops it on rollback', async () => {
    const listing = await published(h, listingInput('qibao-b'));
    const em = h.subgraph.orm.em.fork();
    const make = () =>
      em.create(Booking, {
        residentId: 'live-tx',
        residentCommunityId: 'qibao-a',
        idempotencyKey: `live-${randomUUID()}`,
        listing: listing.id,
        communityId: 'qibao-b',
        resourceId: listing.resourceId,
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        quantity: 1,
        priceCredits: 0,
        requiresApproval: false,
      });
    announced.length = 0;
    let seenInside = -1;
    await em.transactional(async (tx) => {
      tx.persist(make());
      await tx.flush();
      seenInside = ofType(LiveEventType.BOOKING_UPDATED).length;
    });
    expect(seenInside).toBe(0);
    expect(ofType(LiveEventType.BOOKING_UPDATED)).toHaveLength(1);

    announced.length = 0;
    await expect(
      em.fork().transactional(async (tx) => {
        tx.persist(make());
        await tx.flush();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(ofType(LiveEventType.BOOKING_UPDATED)).toEqual([]);
  });

  it('declares the live fields, which refuse to run in the subgraph itself', async () => {
    const res = await h.request<{ listingPublished: unknown }>(`subscription { listingPublished { id } }`, {}, viewers.anonymous);
    expect(res.body.data?.listingPublished ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toContain('served by the gateway');
  });
});
