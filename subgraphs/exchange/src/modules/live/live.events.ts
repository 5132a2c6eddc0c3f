import {
  FEDERATION_EVENT_SCOPE,
  LiveEventType,
  type BalanceChangedData,
  type BookingUpdatedData,
  type DirectoryChangedData,
  type EventPublisher,
  type LinliEvent,
  type ListingPublishedData,
} from '@linli/subgraph-kit';
import type { EventSubscriber, FlushEventArgs, TransactionEventArgs, UnitOfWork } from '@mikro-orm/core';
import { Booking } from '../bookings/booking.entity.js';
import { Community } from '../directory/community.entity.js';
import { rootTransaction, takeBalanceChanges, type BalanceChange } from '../ledger/ledger.changes.js';
import { Listing, ListingStatus } from '../listings/listing.entity.js';

/**
 * Announces what live subscribers watch, from the unit of work itself, so that every
 * writer — a request, the saga, the recovery loop, settlement, the demo seed — announces
 * without remembering to:
 *
 * - `booking.updated` when a booking is created or its status changes (the saga's flushes);
 * - `listing.published` when a PUBLISHED listing is inserted;
 * - `account.balance_changed` for each account a committed ledger transaction moved
 *   (`applyTotals` notes them; raw SQL is invisible to the unit of work);
 * - `directory.changed` when a community is registered or its status changes (gateways
 *   re-read the directory on it: admission and suspension take effect at once).
 *
 * Events go out only after their transaction commits: a subscriber that reads the entity
 * back through the graph sees what the event announced, or newer.
 */
export class LiveEvents implements EventSubscriber {
  /** Events of a flush, from `onFlush` (change sets are known) to `afterFlush` (written). */
  private readonly flushed = new WeakMap<UnitOfWork, LinliEvent[]>();
  /** Events of flushes inside an explicit transaction, held until it commits. */
  private readonly deferred = new WeakMap<object, LinliEvent[]>();

  constructor(
    private readonly publisher: EventPublisher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onFlush({ uow }: FlushEventArgs): void {
    const events: LinliEvent[] = [];
    for (const cs of uow.getChangeSets()) {
      const entity = cs.entity as object;
      if (entity instanceof Booking && (cs.type === 'create' || (cs.type === 'update' && 'status' in cs.payload))) {
        events.push(this.bookingUpdated(entity));
      } else if (entity instanceof Listing && cs.type === 'create' && entity.status === ListingStatus.PUBLISHED) {
        events.push(this.listingPublished(entity));
      } else if (entity instanceof Community && (cs.type === 'create' || (cs.type === 'update' && 'status' in cs.payload))) {
        events.push(this.directoryChanged(entity));
      }
    }
    if (events.length) this.flushed.set(uow, events);
  }

  afterFlush({ em, uow }: FlushEventArgs): void {
    const events = this.flushed.get(uow);
    if (!events) return;
    this.flushed.delete(uow);
    const trx = em.getTransactionContext<object>();
    if (!trx) {
      this.publish(events);
      return;
    }
    const root = rootTransaction(trx);
    this.deferred.set(root, [...(this.deferred.get(root) ?? []), ...events]);
  }

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    if (!transaction) return;
    const root = transaction as object;
    const events = this.deferred.get(root) ?? [];
    this.deferred.delete(root);
    this.publish([...events, ...takeBalanceChanges(root).map((c) => this.balanceChanged(c))]);
  }

  afterTransactionRollback({ transaction }: TransactionEventArgs): void {
    if (!transaction) return;
    this.deferred.delete(transaction as object);
    takeBalanceChanges(transaction as object);
  }

  private publish(events: LinliEvent[]): void {
    // The publisher never throws (a lost event is logged); the write it follows stands.
    for (const event of events) void this.publisher.publish(event);
  }

  private bookingUpdated(b: Booking): LinliEvent {
    const data: BookingUpdatedData = { status: b.status, residentId: b.residentId, residentCommunityId: b.residentCommunityId };
    return { type: LiveEventType.BOOKING_UPDATED, communityId: b.communityId, subjectId: b.id, occurredAt: this.now().toISOString(), data: { ...data } };
  }

  private listingPublished(l: Listing): LinliEvent {
    const data: ListingPublishedData = { kind: l.kind, resourceId: l.resourceId };
    return { type: LiveEventType.LISTING_PUBLISHED, communityId: l.community.id, subjectId: l.id, occurredAt: this.now().toISOString(), data: { ...data } };
  }

  private directoryChanged(c: Community): LinliEvent {
    const data: DirectoryChangedData = { status: c.status };
    return { type: LiveEventType.DIRECTORY_CHANGED, communityId: c.id, subjectId: c.id, occurredAt: this.now().toISOString(), data: { ...data } };
  }

  private balanceChanged(c: BalanceChange): LinliEvent {
    const data: BalanceChangedData = { holderId: c.holderId, kind: c.kind, unit: c.unit };
    return {
      type: LiveEventType.ACCOUNT_BALANCE_CHANGED,
      communityId: c.communityId ?? FEDERATION_EVENT_SCOPE,
      subjectId: c.accountId,
      occurredAt: this.now().toISOString(),
      data: { ...data },
    };
  }
}
