import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Listing } from '../listings/listing.entity.js';

export enum BookingStatus {
  /** The saga is running: funds, hold and confirmation are not all settled yet. */
  PENDING = 'PENDING',
  /** Funds reserved and capacity held; the owning community's staff decide. */
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  /** Not decided before its approval deadline. */
  EXPIRED = 'EXPIRED',
  /** Could not be made (slot taken, funds short, community down…); nothing was charged. */
  FAILED = 'FAILED',
}
registerEnumType(BookingStatus, { name: 'BookingStatus', description: '预约状态 (Booking status)' });

/**
 * What the saga has still to do. Each step is idempotent, so whoever holds the lease (the
 * request that made the booking, a replay, or the recovery loop after a crash) simply runs
 * the steps from here until `next` is null.
 */
export enum SagaStep {
  RESERVE_FUNDS = 'RESERVE_FUNDS',
  PLACE_HOLD = 'PLACE_HOLD',
  CONFIRM = 'CONFIRM',
  /** Void the pending transfer and release the hold, ending in `undoTo`. */
  UNDO = 'UNDO',
  /** Refund per the listing's rule, then release the hold. */
  CANCEL = 'CANCEL',
  /** The booking has its final status; only the owning community's hold is left to free. */
  RELEASE_HOLD = 'RELEASE_HOLD',
}

/** What the exchange knows of the hold in the owning community. */
export enum HoldState {
  NONE = 'NONE',
  /** Asked for: it may exist (a lost reply) until the community says otherwise. */
  MAYBE = 'MAYBE',
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  RELEASED = 'RELEASED',
}

/** What the exchange knows of the booking's pending transfer. */
export enum FundsState {
  /** Free booking, or not reserved yet. */
  NONE = 'NONE',
  PENDING = 'PENDING',
  POSTED = 'POSTED',
  VOIDED = 'VOIDED',
}

export const TERMINAL = [BookingStatus.CONFIRMED, BookingStatus.REJECTED, BookingStatus.CANCELLED, BookingStatus.EXPIRED, BookingStatus.FAILED];

@ObjectType({ description: '预约失败原因 (Why a booking failed)' })
export class BookingFailure {
  @Field(() => String, { description: '错误代码，同 extensions.code (Error code)' })
  code: string;

  @Field(() => String)
  message: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: '跨社区预约 (A booking of a shared resource)' })
@Entity({ tableName: 'booking' })
@Unique({ name: 'booking_resident_idempotency_key_unique', properties: ['residentId', 'idempotencyKey'] })
@Index({ name: 'booking_unsettled_index', expression: 'create index "booking_unsettled_index" on "booking" ("updated_at") where "next" is not null' })
@Index({ name: 'booking_resident_index', properties: ['residentId', 'createdAt'] })
@Index({ name: 'booking_community_index', properties: ['communityId', 'status', 'createdAt'] })
@Index({
  name: 'booking_awaiting_deadline_index',
  expression: `create index "booking_awaiting_deadline_index" on "booking" ("approval_deadline") where "status" = 'AWAITING_APPROVAL'`,
})
@Check({ name: 'booking_range_check', expression: 'starts_at < ends_at' })
@Check({
  name: 'booking_settled_check',
  expression: `status = any (array['PENDING', 'AWAITING_APPROVAL', 'CONFIRMED']::booking_status[]) or next is null or next = 'RELEASE_HOLD'`,
})
@Check({ name: 'booking_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'booking_price_check', expression: 'price_credits >= 0 and refunded_credits >= 0 and refunded_credits <= price_credits' })
export class Booking {
  [OptionalProps]?:
    | 'status'
    | 'next'
    | 'undoTo'
    | 'holdState'
    | 'fundsState'
    | 'refundedCredits'
    | 'refundTransferId'
    | 'transferId'
    | 'postTransferId'
    | 'voidTransferId'
    | 'failureCode'
    | 'failureMessage'
    | 'failureDetails'
    | 'approvalDeadline'
    | 'decidedBy'
    | 'decidedAt'
    | 'rejectionReason'
    | 'cancelKey'
    | 'cancelledAt'
    | 'confirmedAt'
    | 'leaseOwner'
    | 'leaseUntil'
    | 'retryAt'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Kept private: only the resident and staff concerned read it (see the resolver). */
  @Property({ type: 'text' })
  residentId: string;

  @Field(() => ID, { description: '预约人所在社区 (The resident\'s home community)' })
  @Property({ type: 'text' })
  residentCommunityId: string;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @ManyToOne({ entity: () => Listing })
  listing: Rel<Listing>;

  @Field(() => ID, { description: '资源所属社区 (Owning community)' })
  @Property({ type: 'text' })
  communityId: string;

  @Field(() => ID)
  @Property({ type: 'text' })
  resourceId: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  startsAt: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  endsAt: Date;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity: number;

  @Field(() => Int, { description: '总价（积分） (Total price, credits)' })
  @Property({ type: 'integer' })
  priceCredits: number;

  @Field(() => Int, { description: '已退款（积分） (Refunded, credits)' })
  @Property({ type: 'integer' })
  refundedCredits: number = 0;

  @Field(() => Boolean, { description: '是否需要审批 (Waits for the owning community\'s approval)' })
  @Property({ type: 'boolean' })
  requiresApproval: boolean;

  @Field(() => BookingStatus)
  @Enum({ items: () => BookingStatus, nativeEnumName: 'booking_status' })
  status: BookingStatus = BookingStatus.PENDING;

  @Enum({ items: () => SagaStep, nativeEnumName: 'booking_saga_step', nullable: true })
  next: SagaStep | null = SagaStep.RESERVE_FUNDS;

  @Enum({ items: () => BookingStatus, nativeEnumName: 'booking_status', nullable: true })
  undoTo: BookingStatus | null = null;

  @Enum({ items: () => HoldState, nativeEnumName: 'booking_hold_state' })
  holdState: HoldState = HoldState.NONE;

  @Enum({ items: () => FundsState, nativeEnumName: 'booking_funds_state' })
  fundsState: FundsState = FundsState.NONE;

  /** Ids chosen up front, so that every ledger step is idempotent across retries and crashes. */
  @Property({ type: 'uuid' })
  transferId: string = randomUUID();

  @Property({ type: 'uuid' })
  postTransferId: string = randomUUID();

  @Property({ type: 'uuid' })
  voidTransferId: string = randomUUID();

  @Property({ type: 'uuid', nullable: true })
  refundTransferId: string | null = null;

  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  /** The failing error's extensions, so a replay answers with the same error. */
  @Property({ type: 'jsonb', nullable: true })
  failureDetails: Record<string, unknown> | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '审批截止时间 (Approve or reject before this)' })
  @Property({ type: 'timestamptz', nullable: true })
  approvalDeadline: Date | null = null;

  @Property({ type: 'text', nullable: true })
  decidedBy: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: '拒绝理由 (Why it was rejected)' })
  @Property({ type: 'text', nullable: true })
  rejectionReason: string | null = null;

  @Property({ type: 'text', nullable: true })
  cancelKey: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null = null;

  /** Who drives the saga now; another driver waits until `leaseUntil`. */
  @Property({ type: 'text', nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  /** The recovery loop leaves the booking alone until then (the community was down). */
  @Property({ type: 'timestamptz', nullable: true })
  retryAt: Date | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
