import { Check, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';

/** What the community asks of the shared ledger (exchange.client.ts). */
export enum ExchangeOperation {
  ISSUE = 'ISSUE',
  PAY_FROM_FUND = 'PAY_FROM_FUND',
  SETTLE_HOURS_HOLD = 'SETTLE_HOURS_HOLD',
}

/** PENDING until the exchange's answer is known; then DONE or REFUSED, never again changed. */
export enum ExchangeCallStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  REFUSED = 'REFUSED',
}

/**
 * One call to the exchange that a local change needs (the transactional outbox): written in
 * the same transaction as the change (points debited for a conversion, a service confirmed),
 * so that no change is committed without its call, and sent afterwards — at once by the
 * request, and again by the scheduler until the answer is known. `id` is the idempotency key
 * the exchange sees (the transfer id), so a call sent twice moves money once.
 */
@Entity({ tableName: 'exchange_call' })
@Index({ name: 'exchange_call_due_index', expression: `create index "exchange_call_due_index" on "exchange_call" ("next_attempt_at") where "status" = 'PENDING'` })
@Index({ name: 'exchange_call_subject_index', properties: ['subjectType', 'subjectId'] })
@Check({ name: 'exchange_call_attempts_check', expression: 'attempts >= 0' })
export class ExchangeCall {
  [OptionalProps]?: 'status' | 'attempts' | 'lastError' | 'transferId' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Enum({ items: () => ExchangeOperation, nativeEnumName: 'exchange_operation' })
  operation: ExchangeOperation;

  /** The local record the call is for, e.g. `PointConversion`, `ServiceRecord`. */
  @Property({ type: 'text' })
  subjectType: string;

  @Property({ type: 'uuid' })
  subjectId: string;

  /** The request as the client sends it (IssueRequest, PayFromFundRequest, SettleHoldRequest). */
  @Property({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Enum({ items: () => ExchangeCallStatus, nativeEnumName: 'exchange_call_status' })
  status: ExchangeCallStatus = ExchangeCallStatus.PENDING;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'timestamptz' })
  nextAttemptAt: Date;

  /** Why the last attempt did not settle it, or the exchange's refusal. */
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** The exchange's transfer, once DONE. */
  @Property({ type: 'uuid', nullable: true })
  transferId: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
