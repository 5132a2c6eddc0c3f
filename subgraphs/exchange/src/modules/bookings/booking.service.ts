import { CommunityUnavailableError, ConflictError, decodeCursor, encodeCursor, hasRole, isFederationService, isStaffOf, pageSize, Role, type Viewer } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { requireSignedIn } from '../../access.js';
import { CommunityStatus } from '../directory/community.entity.js';
import { Listing, ListingAudience, ListingStatus } from '../listings/listing.entity.js';
import { ListingNotFoundError, isUuid } from '../listings/listing.errors.js';
import { Booking, BookingStatus, SagaStep } from './booking.entity.js';
import { BookingNotFoundError, BookingRuleError, BookingStateError, errorFrom, IdempotencyKeyReusedError, NotBookableByError } from './booking.errors.js';
import { ForbiddenError } from '@linli/subgraph-kit';
import type { BookingSaga } from './booking.saga.js';

export interface BookingRequest {
  listingId: string;
  startsAt: Date;
  endsAt: Date;
  quantity: number;
  idempotencyKey: string;
}

/** How long a request waits for a saga another driver is running (a concurrent replay). */
const REPLAY_WAIT_MS = 20_000;
const MINUTE = 60_000;

/**
 * Books a listed resource for the signed-in resident. Checks what the exchange knows (the
 * listing's terms) and what the owning community publishes (its policy) before anything is
 * written; then records the booking and runs the saga. A failed booking answers with the
 * error that ended it, also when replayed.
 */
export async function bookSharedResource(em: EntityManager, saga: BookingSaga, viewer: Viewer, input: BookingRequest, now = new Date()): Promise<Booking> {
  const residentId = requireSignedIn(viewer);
  const home = viewer.homeCommunityId;
  if (!home) throw new ForbiddenError('只有社区居民可以预约', 'Only residents of a member community may book', { rule: 'resident' });

  const previous = await em.findOne(Booking, { residentId, idempotencyKey: input.idempotencyKey });
  if (previous) return settle(saga, sameRequestOrConflict(previous, input));

  const listing = isUuid(input.listingId) ? await em.findOne(Listing, { id: input.listingId }, { populate: ['community'] }) : null;
  if (!listing) throw new ListingNotFoundError(input.listingId);
  if (listing.status !== ListingStatus.PUBLISHED || listing.community.status !== CommunityStatus.ACTIVE) {
    throw new ConflictError('该资源已停止开放预约', 'This listing is no longer open for booking', { reason: 'LISTING_WITHDRAWN', listingId: listing.id });
  }
  const owner = listing.community.id;
  if (listing.bookableBy === ListingAudience.SELECTED_COMMUNITIES && home !== owner && !listing.allowedCommunityIds.includes(home)) {
    throw new NotBookableByError(listing.id, home);
  }
  checkRange(listing, input, now);

  const answer = await saga.community.resourceTerms(owner, listing.resourceId);
  if (answer.kind === 'unavailable') throw new CommunityUnavailableError(owner, answer.reason);
  if (answer.kind === 'refused') throw errorFrom(answer.refusal.code, answer.refusal.message, answer.refusal.extensions);
  const terms = answer.value;
  if (!terms || terms.status !== 'ACTIVE') {
    throw new ConflictError('资源暂不开放', 'The resource is not open for booking now', { reason: 'RESOURCE_INACTIVE', listingId: listing.id });
  }
  const slots = checkPolicy(terms.policy, terms.capacity, input, now);

  const booking = em.fork().create(Booking, {
    residentId,
    residentCommunityId: home,
    idempotencyKey: input.idempotencyKey,
    listing: listing.id,
    communityId: owner,
    resourceId: listing.resourceId,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    quantity: input.quantity,
    priceCredits: listing.priceCreditsPerSlot * input.quantity * slots,
    requiresApproval: terms.policy.requiresApproval,
    approvalDeadline: terms.policy.requiresApproval
      ? new Date(Math.min(input.startsAt.getTime(), now.getTime() + saga.settings.approvalWindowSeconds * 1000))
      : null,
  });
  const fork = em.fork();
  fork.persist(booking);
  try {
    await fork.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // A concurrent replay made it first: answer as that one does.
    const winner = await em.fork().findOneOrFail(Booking, { residentId, idempotencyKey: input.idempotencyKey });
    return settle(saga, sameRequestOrConflict(winner, input));
  }
  return settle(saga, booking);
}

async function settle(saga: BookingSaga, booking: Booking): Promise<Booking> {
  const settled = await saga.drive(booking.id, REPLAY_WAIT_MS);
  if (settled.status === BookingStatus.FAILED && settled.failureCode) {
    throw errorFrom(settled.failureCode, settled.failureMessage ?? '', settled.failureDetails);
  }
  return settled;
}

function sameRequestOrConflict(b: Booking, input: BookingRequest): Booking {
  const same =
    b.listing.id === input.listingId &&
    b.startsAt.getTime() === input.startsAt.getTime() &&
    b.endsAt.getTime() === input.endsAt.getTime() &&
    b.quantity === input.quantity;
  if (!same) throw new IdempotencyKeyReusedError();
  return b;
}

function checkRange(listing: Listing, input: BookingRequest, now: Date): void {
  if (!(input.startsAt < input.endsAt)) throw new BookingRuleError('range', '开始时间必须早于结束时间', 'startsAt must be before endsAt');
  if (input.startsAt < now) throw new BookingRuleError('past', '不能预约过去的时间', 'The booking starts in the past');
  if (!Number.isInteger(input.quantity) || input.quantity < 1) throw new BookingRuleError('quantity', '数量至少为 1', 'quantity must be at least 1');
  if (input.startsAt < listing.availableFrom || (listing.availableTo && input.endsAt > listing.availableTo)) {
    throw new BookingRuleError('listingPeriod', '预约时间不在开放期内', 'The booking is outside the listing\'s offer period', {
      availableFrom: listing.availableFrom.toISOString(),
      availableTo: listing.availableTo?.toISOString() ?? null,
    });
  }
}

/** The owning community checks these again when holding; here they spare a futile saga. */
function checkPolicy(
  policy: { slotMinutes: number; minDurationMinutes: number; maxDurationMinutes: number; leadTimeMinutes: number; maxDaysAhead: number },
  capacity: number,
  input: BookingRequest,
  now: Date,
): number {
  const minutes = (input.endsAt.getTime() - input.startsAt.getTime()) / MINUTE;
  if (!Number.isInteger(minutes / policy.slotMinutes)) {
    throw new BookingRuleError('slotAlignment', `时长须为 ${policy.slotMinutes} 分钟的整数倍`, `The duration must be a multiple of ${policy.slotMinutes} minutes`, {
      slotMinutes: policy.slotMinutes,
    });
  }
  if (minutes < policy.minDurationMinutes) {
    throw new BookingRuleError('minDuration', `最短预约 ${policy.minDurationMinutes} 分钟`, `Book at least ${policy.minDurationMinutes} minutes`, {
      minDurationMinutes: policy.minDurationMinutes,
    });
  }
  if (minutes > policy.maxDurationMinutes) {
    throw new BookingRuleError('maxDuration', `最长预约 ${policy.maxDurationMinutes} 分钟`, `Book at most ${policy.maxDurationMinutes} minutes`, {
      maxDurationMinutes: policy.maxDurationMinutes,
    });
  }
  if (input.startsAt.getTime() < now.getTime() + policy.leadTimeMinutes * MINUTE) {
    throw new BookingRuleError('leadTime', `须至少提前 ${policy.leadTimeMinutes} 分钟预约`, `Book at least ${policy.leadTimeMinutes} minutes ahead`, {
      leadTimeMinutes: policy.leadTimeMinutes,
    });
  }
  if (input.startsAt.getTime() > now.getTime() + policy.maxDaysAhead * 1440 * MINUTE) {
    throw new BookingRuleError('maxDaysAhead', `最多提前 ${policy.maxDaysAhead} 天预约`, `Book at most ${policy.maxDaysAhead} days ahead`, {
      maxDaysAhead: policy.maxDaysAhead,
    });
  }
  if (input.quantity > capacity) {
    throw new BookingRuleError('quantity', `数量不能超过容量 ${capacity}`, `quantity exceeds the capacity of ${capacity}`, { capacity });
  }
  return minutes / policy.slotMinutes;
}

export async function getBooking(em: EntityManager, id: string): Promise<Booking> {
  const booking = isUuid(id) ? await em.findOne(Booking, { id }) : null;
  if (!booking) throw new BookingNotFoundError(id);
  return booking;
}

/** The resident who booked, staff of the owning community, federation admins and services. */
export function canSee(viewer: Viewer, b: Booking): boolean {
  return viewer.userId === b.residentId || isStaffOf(viewer, b.communityId) || hasRole(viewer, Role.FEDERATION_ADMIN) || isFederationService(viewer);
}

export async function approveBooking(em: EntityManager, saga: BookingSaga, viewer: Viewer, id: string, now = new Date()): Promise<Booking> {
  const booking = await decidable(em, viewer, id);
  if (booking.status === BookingStatus.CONFIRMED && booking.decidedAt) return booking; // approved before
  await transition(em, booking, { status: BookingStatus.AWAITING_APPROVAL }, { next: SagaStep.CONFIRM, decidedBy: viewer.userId, decidedAt: now });
  const settled = await saga.drive(id, REPLAY_WAIT_MS);
  if (settled.status === BookingStatus.AWAITING_APPROVAL && settled.next === null) {
    throw new CommunityUnavailableError(settled.communityId, 'the hold could not be confirmed');
  }
  if (settled.status === BookingStatus.FAILED && settled.failureCode) {
    throw errorFrom(settled.failureCode, settled.failureMessage ?? '', settled.failureDetails);
  }
  return settled;
}

export async function rejectBooking(em: EntityManager, saga: BookingSaga, viewer: Viewer, id: string, reason: string, now = new Date()): Promise<Booking> {
  const booking = await decidable(em, viewer, id);
  if (booking.status === BookingStatus.REJECTED) return booking;
  await transition(
    em,
    booking,
    { status: BookingStatus.AWAITING_APPROVAL },
    { next: SagaStep.UNDO, undoTo: BookingStatus.REJECTED, decidedBy: viewer.userId, decidedAt: now, rejectionReason: reason },
  );
  return saga.drive(id, REPLAY_WAIT_MS);
}

async function decidable(em: EntityManager, viewer: Viewer, id: string): Promise<Booking> {
  requireSignedIn(viewer);
  const booking = await getBooking(em, id);
  if (!isStaffOf(viewer, booking.communityId)) {
    throw new ForbiddenError('只有资源所属社区的工作人员可以审批', 'Only staff of the owning community may decide on this booking', {
      communityId: booking.communityId,
    });
  }
  return booking;
}

/**
 * Cancels the resident's own booking. A confirmed booking is refunded by the listing's rule
 * (in full up to `fullRefundHoursBefore` before the start, then `lateCancellationRefundPercent`),
 * one still awaiting approval was never charged. Retrying with the same key is harmless.
 */
export async function cancelBooking(em: EntityManager, saga: BookingSaga, viewer: Viewer, id: string, key: string, now = new Date()): Promise<Booking> {
  const residentId = requireSignedIn(viewer);
  const booking = await getBooking(em, id);
  if (booking.residentId !== residentId) {
    throw new ForbiddenError('只能取消自己的预约', 'You can only cancel your own bookings', { bookingId: id });
  }
  if (booking.status === BookingStatus.CANCELLED || booking.cancelKey === key) return saga.drive(id, REPLAY_WAIT_MS); // a retry: done or doing
  if (booking.startsAt <= now) throw new BookingRuleError('started', '已开始的预约不能取消', 'A booking that has started cannot be cancelled');
  await em.populate(booking, ['listing']);
  try {
    await startCancelling(em, booking, key, now);
  } catch (error) {
    // A concurrent retry with this key got there first: answer as it does.
    const current = await em.fork().findOneOrFail(Booking, { id });
    if (current.cancelKey !== key) throw error;
  }
  return saga.drive(id, REPLAY_WAIT_MS);
}

async function startCancelling(em: EntityManager, booking: Booking, key: string, now: Date): Promise<void> {
  const id = booking.id;
  if (booking.status === BookingStatus.AWAITING_APPROVAL) {
    await transition(em, booking, { status: BookingStatus.AWAITING_APPROVAL }, { next: SagaStep.UNDO, undoTo: BookingStatus.CANCELLED, cancelKey: key, cancelledAt: now });
  } else if (booking.status === BookingStatus.CONFIRMED) {
    const hoursBefore = (booking.startsAt.getTime() - now.getTime()) / 3_600_000;
    const percent = hoursBefore >= booking.listing.fullRefundHoursBefore ? 100 : booking.listing.lateCancellationRefundPercent;
    await transition(
      em,
      booking,
      { status: BookingStatus.CONFIRMED },
      { next: SagaStep.CANCEL, cancelKey: key, cancelledAt: now, refundedCredits: Math.floor((booking.priceCredits * percent) / 100), refundTransferId: randomUUID() },
    );
  } else {
    throw new BookingStateError(id, booking.status, '该预约当前不能取消', `A ${booking.status} booking cannot be cancelled`);
  }
}

/**
 * Moves a settled booking on, if it is still as the caller saw it: of two concurrent
 * decisions (approve and reject, or two cancels) exactly one wins; the other gets CONFLICT.
 */
async function transition(em: EntityManager, booking: Booking, expect: { status: BookingStatus }, change: Partial<Booking>): Promise<void> {
  const updated = await em.nativeUpdate(Booking, { id: booking.id, status: expect.status, next: null }, { ...change, updatedAt: new Date() });
  if (updated !== 1) {
    const now = await em.fork().findOneOrFail(Booking, { id: booking.id });
    throw new BookingStateError(booking.id, now.status, '预约状态已变化，请刷新后重试', `The booking is now ${now.status}; reload and retry`);
  }
}

export interface BookingPage {
  bookings: Booking[];
  hasNextPage: boolean;
}

export function cursorOf(b: Booking): string {
  return encodeCursor([b.createdAt.toISOString(), b.id]);
}

/** Newest first, by keyset on (created_at desc, id desc). */
export async function listBookings(
  em: EntityManager,
  where: { residentId?: string; communityId?: string; status?: BookingStatus | null },
  args: { first?: number | null; after?: string | null },
): Promise<BookingPage> {
  const limit = pageSize(args.first);
  const after = decodeCursor(args.after, 2) as [string, string] | null;
  const conditions: FilterQuery<Booking>[] = [];
  if (where.residentId) conditions.push({ residentId: where.residentId });
  if (where.communityId) conditions.push({ communityId: where.communityId });
  if (where.status) conditions.push({ status: where.status });
  if (after) {
    const at = new Date(after[0]);
    conditions.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: after[1] } }] });
  }
  const rows = await em.find(Booking, { $and: conditions }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return { bookings: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
