import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { AvailabilityException, OpeningHours } from './availability.entity.js';
import {
  BookingRefReusedError,
  CapacityExceededError,
  HoldExpiredError,
  HoldNotFoundError,
  HoldReleasedError,
  HoldRuleError,
  ResourceNotActiveError,
} from './hold.errors.js';
import { HoldStatus, ResourceHold } from './hold.entity.js';
import { liveHolds, occupancyProfile, peakWithin } from './hold.occupancy.js';
import { ResourceNotFoundError } from './resource.errors.js';
import { ResourceStatus, SharedResource } from './resource.entity.js';
import { getResource } from './resource.service.js';
import { bookableSlots } from './slots.js';

/*
 * Holds: how the exchange reserves capacity in this community for a cross-community booking.
 *
 * The invariant — at every instant, the quantity of live holds (CONFIRMED, or HELD and not
 * expired) overlapping it is at most the resource's capacity — is kept by PostgreSQL:
 *  - the only transitions that make a hold count are INSERT (placeHold) and HELD → CONFIRMED
 *    (confirmHold); both run in a transaction that first takes `SELECT … FOR UPDATE` on the
 *    resource's row, so they are serialised per resource;
 *  - after the lock each reads `clock_timestamp()` once and uses it as "now" for liveness;
 *    lock holders run one after another, so their "now"s only grow: a hold one of them
 *    counted as expired (free) is expired for every later one and can no longer be confirmed;
 *  - placeHold reads the live holds overlapping its range after the lock (READ COMMITTED:
 *    each statement sees every commit made before it), and inserts only if the peak plus its
 *    quantity fits the capacity it read from the locked row;
 *  - every other transition (RELEASED, EXPIRED, time passing) only frees capacity.
 *
 * Expiry: an expired HELD hold is free at once for every check (the liveness predicate in
 * hold.occupancy.ts compares `expires_at` with the clock). The rows are marked EXPIRED when
 * touched — placing on the resource, looking up, confirming or releasing by bookingRef —
 * and `expireLapsedHolds` sweeps all of them for a periodic job.
 */

/** How long an unconfirmed hold lasts when the exchange does not say. */
export const DEFAULT_HOLD_MINUTES = 10;
/** The furthest ahead an unconfirmed hold may expire. */
export const MAX_HOLD_DAYS = 14;
export const MAX_BOOKING_REF_LENGTH = 200;

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface PlaceHold {
  resourceId: string;
  startsAt: Date;
  endsAt: Date;
  quantity: number;
  bookingRef: string;
  /** Default now + DEFAULT_HOLD_MINUTES. Not part of the idempotency comparison. */
  expiresAt?: Date | null;
}

/**
 * Places a hold, or returns the one already placed under this bookingRef with the same
 * resource, range and quantity (whatever its status now). A retry is answered before the
 * policy is re-checked, so it still returns the first result after, say, the lead time passed.
 */
export async function placeHold(em: EntityManager, input: PlaceHold, timezone: string, now = new Date()): Promise<ResourceHold> {
  if (input.bookingRef.length < 1 || input.bookingRef.length > MAX_BOOKING_REF_LENGTH) {
    throw new HoldRuleError('bookingRef', `预约编号长度须为 1–${MAX_BOOKING_REF_LENGTH}`, `bookingRef must be 1–${MAX_BOOKING_REF_LENGTH} characters`);
  }
  const existing = await findHold(em, input.bookingRef);
  if (existing) return sameOrConflict(existing, input);

  const resource = await getResource(em, input.resourceId);
  if (resource.status !== ResourceStatus.ACTIVE) throw new ResourceNotActiveError(resource.id, resource.status);
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + DEFAULT_HOLD_MINUTES * MINUTE);
  checkPolicy(resource, input, expiresAt, now);
  await checkOpeningHours(em, resource, input, timezone);

  try {
    return await em.transactional((tx) => reserve(tx, resource.id, input, expiresAt));
  } catch (error) {
    // Same bookingRef placed at the same moment on another resource (a different lock): the
    // unique index lets one row in; the loser answers with the winner.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await findHold(em, input.bookingRef);
    if (!winner) throw error;
    return sameOrConflict(winner, input);
  }
}

async function reserve(tx: EntityManager, resourceId: string, input: PlaceHold, expiresAt: Date): Promise<ResourceHold> {
  const [locked] = await tx.execute<Array<{ capacity: number; status: ResourceStatus }>>(
    'select capacity, status from shared_resource where id = ? for update',
    [resourceId],
  );
  if (!locked) throw new ResourceNotFoundError(resourceId);
  if (locked.status !== ResourceStatus.ACTIVE) throw new ResourceNotActiveError(resourceId, locked.status);
  const now = await databaseNow(tx);

  // An identical placement on this resource may have committed while we waited for the lock.
  const winner = await tx.findOne(ResourceHold, { bookingRef: input.bookingRef });
  if (winner) return sameOrConflict(winner, input);
  if (expiresAt <= now) throw expiresAtError();

  await tx.execute(
    `update resource_hold set status = 'EXPIRED', updated_at = ? where resource_id = ? and status = 'HELD' and expires_at <= ?`,
    [now, resourceId, now],
  );
  const holds = await liveHolds(tx, resourceId, { from: input.startsAt, to: input.endsAt }, now);
  const available = Math.max(0, locked.capacity - peakWithin(occupancyProfile(holds), input.startsAt, input.endsAt));
  if (input.quantity > available) throw new CapacityExceededError({ resourceId, requested: input.quantity, available });

  const hold = tx.create(ResourceHold, {
    bookingRef: input.bookingRef,
    resource: tx.getReference(SharedResource, resourceId),
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    quantity: input.quantity,
    expiresAt,
  });
  await tx.flush();
  return hold;
}

/**
 * HELD and not expired → CONFIRMED; CONFIRMED → itself. Confirming makes a hold count for
 * good, so it runs under the resource's lock with the clock read after it (see above).
 */
export async function confirmHold(em: EntityManager, bookingRef: string): Promise<ResourceHold> {
  const found = await findHold(em, bookingRef);
  if (!found) throw new HoldNotFoundError(bookingRef);
  if (found.status !== HoldStatus.HELD) return settled(found);

  const hold = await em.transactional(async (tx) => {
    await tx.execute('select 1 from shared_resource where id = ? for update', [found.resource.id]);
    const now = await databaseNow(tx);
    const current = await tx.findOneOrFail(ResourceHold, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (current.status === HoldStatus.HELD) {
      if (current.expiresAt! <= now) {
        current.status = HoldStatus.EXPIRED;
      } else {
        current.status = HoldStatus.CONFIRMED;
        current.expiresAt = null;
      }
    }
    return current;
  });
  return settled(hold);
}

function settled(hold: ResourceHold): ResourceHold {
  switch (hold.status) {
    case HoldStatus.CONFIRMED:
      return hold;
    case HoldStatus.RELEASED:
      throw new HoldReleasedError(hold.bookingRef);
    default:
      throw new HoldExpiredError(hold.bookingRef);
  }
}

/**
 * HELD or CONFIRMED → RELEASED; RELEASED and EXPIRED are returned as they are (a HELD hold
 * already past its expiry is marked EXPIRED, which is what happened to it). An unknown
 * bookingRef returns null without error: a saga compensating a step that never reached us
 * must be able to release what was never placed.
 */
export async function releaseHold(em: EntityManager, bookingRef: string): Promise<ResourceHold | null> {
  // Releasing only frees capacity, so the hold's own row lock is enough: it orders this
  // against a concurrent confirm, which locks the same row.
  return em.transactional(async (tx) => {
    const hold = await tx.findOne(ResourceHold, { bookingRef }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!hold) return null;
    if (hold.status === HoldStatus.HELD) {
      hold.status = hold.expiresAt! <= (await databaseNow(tx)) ? HoldStatus.EXPIRED : HoldStatus.RELEASED;
    } else if (hold.status === HoldStatus.CONFIRMED) {
      hold.status = HoldStatus.RELEASED;
    }
    return hold;
  });
}

/** The hold placed under bookingRef, null if none; marks it EXPIRED first if it has lapsed. */
export async function findHold(em: EntityManager, bookingRef: string): Promise<ResourceHold | null> {
  await em.execute(
    `update resource_hold set status = 'EXPIRED', updated_at = clock_timestamp()
      where booking_ref = ? and status = 'HELD' and expires_at <= clock_timestamp()`,
    [bookingRef],
  );
  return em.findOne(ResourceHold, { bookingRef }, { refresh: true });
}

/**
 * Marks every lapsed HELD hold EXPIRED, at most `limit` per call; returns how many. Only
 * bookkeeping: the liveness predicate already treats them as free. Rows being confirmed or
 * released right now are skipped, never waited for.
 */
export async function expireLapsedHolds(em: EntityManager, limit = 1000): Promise<number> {
  const rows = await em.execute<Array<{ id: string }>>(
    `update resource_hold set status = 'EXPIRED', updated_at = clock_timestamp()
      where id in (select id from resource_hold where status = 'HELD' and expires_at <= clock_timestamp()
                   order by expires_at limit ? for update skip locked)
      returning id`,
    [limit],
  );
  return rows.length;
}

function sameOrConflict(hold: ResourceHold, input: PlaceHold): ResourceHold {
  const same =
    hold.resource.id.toLowerCase() === input.resourceId.toLowerCase() &&
    hold.startsAt.getTime() === input.startsAt.getTime() &&
    hold.endsAt.getTime() === input.endsAt.getTime() &&
    hold.quantity === input.quantity;
  if (!same) throw new BookingRefReusedError(input.bookingRef);
  return hold;
}

async function databaseNow(em: EntityManager): Promise<Date> {
  const [row] = await em.execute<Array<{ now: Date }>>('select clock_timestamp() as now');
  return new Date(row!.now);
}

/** The resource's booking policy, each broken rule named in `extensions.rule`. */
function checkPolicy(resource: SharedResource, input: PlaceHold, expiresAt: Date, now: Date): void {
  const { policy } = resource;
  const { startsAt, endsAt, quantity } = input;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > resource.capacity) {
    throw new HoldRuleError('quantity', `数量须为 1–${resource.capacity}`, `quantity must be between 1 and ${resource.capacity}`, {
      capacity: resource.capacity,
    });
  }
  const durationMs = endsAt.getTime() - startsAt.getTime();
  if (!(durationMs > 0)) throw new HoldRuleError('timeRange', '结束时间必须晚于开始时间', 'endsAt must be after startsAt');
  if (durationMs < policy.minDurationMinutes * MINUTE) {
    throw new HoldRuleError('minDuration', `预约至少 ${policy.minDurationMinutes} 分钟`, `A booking lasts at least ${policy.minDurationMinutes} minutes`, {
      minDurationMinutes: policy.minDurationMinutes,
    });
  }
  if (durationMs > policy.maxDurationMinutes * MINUTE) {
    throw new HoldRuleError('maxDuration', `预约最多 ${policy.maxDurationMinutes} 分钟`, `A booking lasts at most ${policy.maxDurationMinutes} minutes`, {
      maxDurationMinutes: policy.maxDurationMinutes,
    });
  }
  if (durationMs % (policy.slotMinutes * MINUTE) !== 0) {
    throw slotAlignmentError(policy.slotMinutes);
  }
  if (startsAt.getTime() < now.getTime() + policy.leadTimeMinutes * MINUTE) {
    throw new HoldRuleError('leadTime', `须至少提前 ${policy.leadTimeMinutes} 分钟预约`, `Book at least ${policy.leadTimeMinutes} minutes ahead`, {
      leadTimeMinutes: policy.leadTimeMinutes,
    });
  }
  if (startsAt.getTime() > now.getTime() + policy.maxDaysAhead * DAY) {
    throw new HoldRuleError('maxDaysAhead', `最多提前 ${policy.maxDaysAhead} 天预约`, `Book at most ${policy.maxDaysAhead} days ahead`, {
      maxDaysAhead: policy.maxDaysAhead,
    });
  }
  if (expiresAt <= now || expiresAt.getTime() > now.getTime() + MAX_HOLD_DAYS * DAY) throw expiresAtError();
}

/**
 * The range must be exactly a run of consecutive bookable slots. Lead time and days-ahead
 * are checked on their own, so they are neutralised here. A range that cuts through a slot
 * is `slotAlignment`; one that reaches outside the opening windows is `openingHours`.
 */
async function checkOpeningHours(em: EntityManager, resource: SharedResource, input: PlaceHold, timezone: string): Promise<void> {
  const { startsAt, endsAt } = input;
  const slotMs = resource.policy.slotMinutes * MINUTE;
  const from = new Date(startsAt.getTime() - slotMs);
  const to = new Date(endsAt.getTime() + slotMs);
  const [weekly, exceptions] = await Promise.all([
    em.find(OpeningHours, { resource }),
    em.find(AvailabilityException, { resource, date: { $gte: isoDate(from, -1), $lte: isoDate(to, 1) } }),
  ]);
  const slots = bookableSlots(
    { from, to, now: from },
    {
      timezone,
      capacity: resource.capacity,
      slotMinutes: resource.policy.slotMinutes,
      leadTimeMinutes: 0,
      maxDaysAhead: Math.ceil((to.getTime() - from.getTime()) / DAY) + 1,
    },
    weekly,
    exceptions,
  ).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  let covered = startsAt.getTime();
  for (const slot of slots) {
    if (slot.startsAt.getTime() === covered && slot.endsAt <= endsAt) covered = slot.endsAt.getTime();
  }
  if (covered === endsAt.getTime()) return;
  const cuts = (t: Date) => slots.some((s) => s.startsAt < t && t < s.endsAt);
  if (cuts(startsAt) || cuts(endsAt)) throw slotAlignmentError(resource.policy.slotMinutes);
  throw new HoldRuleError('openingHours', '所选时间不在开放时段内', 'The range is not within the opening hours');
}

function slotAlignmentError(slotMinutes: number): HoldRuleError {
  return new HoldRuleError('slotAlignment', `须按 ${slotMinutes} 分钟时段整段预约`, `A booking is a run of whole ${slotMinutes}-minute slots`, {
    slotMinutes,
  });
}

function expiresAtError(): HoldRuleError {
  return new HoldRuleError('expiresAt', `失效时间须在将来 ${MAX_HOLD_DAYS} 天内`, `expiresAt must be in the future, at most ${MAX_HOLD_DAYS} days ahead`, {
    maxHoldDays: MAX_HOLD_DAYS,
  });
}

function isoDate(d: Date, offsetDays: number): string {
  return new Date(d.getTime() + offsetDays * DAY).toISOString().slice(0, 10);
}
