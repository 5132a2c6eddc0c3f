import { BigIntType, Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account, LedgerUnit } from './account.entity.js';

/** Why money moved. New codes are appended to the Postgres enum by a later migration. */
export enum TransferCode {
  /** A community creates credit for one of its residents. */
  ISSUE = 'ISSUE',
  /** A resident pays for a booking. */
  BOOKING = 'BOOKING',
  /** A booking's payment goes back. */
  REFUND = 'REFUND',
  /** Net positions between communities are cleared. */
  SETTLEMENT = 'SETTLEMENT',
  /** Any other movement between two accounts. */
  TRANSFER = 'TRANSFER',
}
registerEnumType(TransferCode, { name: 'TransferCode', description: '转账用途 (What a transfer is for)' });

/** TigerBeetle's transfer flags, one per row. */
export enum TransferPhase {
  /** Posted at once. */
  SINGLE_PHASE = 'SINGLE_PHASE',
  /** First phase: the amount is held back from the debit account until posted, voided or expired. */
  PENDING = 'PENDING',
  /** Second phase: posts the pending transfer `pendingId`. */
  POST_PENDING = 'POST_PENDING',
  /** Second phase: voids the pending transfer `pendingId` (also when it expired). */
  VOID_PENDING = 'VOID_PENDING',
}
registerEnumType(TransferPhase, {
  name: 'TransferPhase',
  description: '转账阶段 (Single-phase, or which phase of a two-phase transfer)',
  valuesConfig: {
    SINGLE_PHASE: { description: '立即入账 (Posted at once)' },
    PENDING: { description: '待定：预留金额，待入账、撤销或过期 (Holds the amount until posted, voided or expired)' },
    POST_PENDING: { description: '入账一笔待定转账 (Posts the pending transfer pendingId)' },
    VOID_PENDING: { description: '撤销（或因过期撤销）一笔待定转账 (Voids, or expires, the pending transfer pendingId)' },
  },
});

export enum TransferState {
  /** A pending transfer that is neither posted, voided nor expired yet. */
  PENDING = 'PENDING',
  /** Moved the money: a single-phase transfer, a post, or a pending transfer that was posted. */
  POSTED = 'POSTED',
  /** Released: a void, or a pending transfer that was voided. */
  VOIDED = 'VOIDED',
  /** Released because its timeout passed (a pending transfer, or the void that expired it). */
  EXPIRED = 'EXPIRED',
}
registerEnumType(TransferState, {
  name: 'TransferState',
  description: '转账状态 (State of a transfer)',
  valuesConfig: {
    PENDING: { description: '待定，金额已预留 (Pending: the amount is held)' },
    POSTED: { description: '已入账 (Posted)' },
    VOIDED: { description: '已撤销，金额已释放 (Voided: the amount is released)' },
    EXPIRED: { description: '已过期，金额已或将被释放 (Expired: the amount is, or is about to be, released)' },
  },
});

/** At most one post or void per pending transfer: the database, not the service, enforces it. */
export const ONE_RESOLUTION_PER_PENDING = 'ledger_transfer_pending_id_unique';

/**
 * An immutable movement between two accounts of one unit. The id is chosen by the client
 * and is the idempotency key. The only column that ever changes is `state` of a PENDING
 * row, in the same transaction that inserts its post or void.
 */
@ObjectType('Transfer', { description: '转账 (A ledger transfer)' })
@Entity({ tableName: 'ledger_transfer' })
@Unique({ name: ONE_RESOLUTION_PER_PENDING, properties: ['pending'] })
@Index({
  name: 'ledger_transfer_debit_order_index',
  expression: `create index "ledger_transfer_debit_order_index" on "ledger_transfer" ("debit_account_id", "created_at" desc, "id" desc)`,
})
@Index({
  name: 'ledger_transfer_credit_order_index',
  expression: `create index "ledger_transfer_credit_order_index" on "ledger_transfer" ("credit_account_id", "created_at" desc, "id" desc)`,
})
@Index({
  name: 'ledger_transfer_pending_timeout_index',
  expression: `create index "ledger_transfer_pending_timeout_index" on "ledger_transfer" ("timeout_at") where "state" = 'PENDING'`,
})
@Index({ name: 'ledger_transfer_reference_index', properties: ['reference'] })
@Check({ name: 'ledger_transfer_amount_check', expression: 'amount > 0' })
@Check({ name: 'ledger_transfer_accounts_check', expression: 'debit_account_id <> credit_account_id' })
@Check({
  name: 'ledger_transfer_pending_id_check',
  expression: `(pending_id is not null) = (phase = 'POST_PENDING' or phase = 'VOID_PENDING')`,
})
@Check({ name: 'ledger_transfer_timeout_check', expression: `(timeout_at is not null) = (phase = 'PENDING')` })
@Check({
  name: 'ledger_transfer_state_check',
  expression: `phase = 'PENDING' or (phase = 'VOID_PENDING' and (state = 'VOIDED' or state = 'EXPIRED')) or (phase <> 'VOID_PENDING' and state = 'POSTED')`,
})
export class Transfer {
  [OptionalProps]?: 'pending' | 'memo' | 'reference' | 'timeoutAt' | 'createdAt';

  @Field(() => ID, { description: '客户端选择的 UUID，即幂等键 (Client-chosen UUID; the idempotency key)' })
  @PrimaryKey({ type: 'uuid' })
  id: string;

  /** In GraphQL as `debitAccountId`. */
  @ManyToOne({ entity: () => Account })
  debitAccount: Rel<Account>;

  /** In GraphQL as `creditAccountId`. */
  @ManyToOne({ entity: () => Account })
  creditAccount: Rel<Account>;

  @Field(() => Int)
  @Property({ type: new BigIntType('number') })
  amount: number;

  @Field(() => LedgerUnit)
  @Enum({ items: () => LedgerUnit, nativeEnumName: 'ledger_unit' })
  unit: LedgerUnit;

  @Field(() => TransferCode)
  @Enum({ items: () => TransferCode, nativeEnumName: 'ledger_transfer_code' })
  code: TransferCode;

  @Field(() => TransferPhase)
  @Enum({ items: () => TransferPhase, nativeEnumName: 'ledger_transfer_phase' })
  phase: TransferPhase;

  /** As stored; GraphQL shows a PENDING row past its timeout as EXPIRED (see `stateAt`). */
  @Enum({ items: () => TransferState, nativeEnumName: 'ledger_transfer_state' })
  state: TransferState;

  /** The pending transfer a post or void resolves; in GraphQL as `pendingId`. */
  @ManyToOne({ entity: () => Transfer, nullable: true, deleteRule: 'restrict' })
  pending: Rel<Transfer> | null = null;

  @Field(() => String, { nullable: true, description: '备注 (Memo)' })
  @Property({ type: 'text', nullable: true })
  memo: string | null = null;

  @Field(() => String, { nullable: true, description: '业务引用，如预约 ID (What it belongs to, e.g. a booking id)' })
  @Property({ type: 'text', nullable: true })
  reference: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '待定转账的到期时间 (When a pending transfer expires)' })
  @Property({ type: 'timestamptz', nullable: true })
  timeoutAt: Date | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A pending transfer past its timeout is EXPIRED even before the sweeper has voided it. */
export function stateAt(transfer: Pick<Transfer, 'state' | 'timeoutAt'>, now: Date): TransferState {
  if (transfer.state === TransferState.PENDING && transfer.timeoutAt && transfer.timeoutAt <= now) return TransferState.EXPIRED;
  return transfer.state;
}
