import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountKind, LedgerUnit } from './account.entity.js';
import { noteBalanceChange } from './ledger.changes.js';
import { TransferState, type TransferCode, type TransferPhase } from './transfer.entity.js';

/**
 * The ledger's hot path in plain SQL: row locks, conditional inserts and increments say
 * exactly what the database does, which the unit of work would hide. Every function takes
 * the transaction's EntityManager; none opens a transaction of its own.
 */

type Row = Record<string, unknown>;

/** An account row as locked for a transfer: the totals as numbers (bigint arrives as text). */
export interface AccountTotals {
  id: string;
  kind: AccountKind;
  unit: LedgerUnit;
  /** Null: may go below zero without bound. */
  limit: number | null;
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
}

export interface TransferRow {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  unit: LedgerUnit;
  code: TransferCode;
  phase: TransferPhase;
  state: TransferState;
  pendingId: string | null;
  memo: string | null;
  reference: string | null;
  timeoutAt: Date | null;
  createdAt: Date;
  /** The row as the driver returned it, for `em.map`. */
  raw: Row;
}

export type NewTransferRow = Omit<TransferRow, 'raw'>;

export type TotalsDelta = Partial<Pick<AccountTotals, 'debitsPending' | 'debitsPosted' | 'creditsPending' | 'creditsPosted'>>;

const ACCOUNT_COLUMNS = `id, kind, unit, "limit", debits_pending, debits_posted, credits_pending, credits_posted`;

/**
 * Locks the accounts `FOR UPDATE` in id order, so that two transfers between the same
 * accounts queue instead of deadlocking. Unknown ids are simply absent from the map.
 */
export async function lockAccounts(tx: EntityManager, ids: readonly string[]): Promise<Map<string, AccountTotals>> {
  const distinct = [...new Set(ids)];
  const rows = await tx.execute<Row[]>(
    `select ${ACCOUNT_COLUMNS} from ledger_account where id in (${distinct.map(() => '?').join(', ')}) order by id for update`,
    distinct,
  );
  return new Map(rows.map((r) => [String(r.id), toTotals(r)]));
}

/** Moves an account's totals, and notes the change for the live event sent once the transaction commits. */
export async function applyTotals(tx: EntityManager, accountId: string, delta: TotalsDelta): Promise<void> {
  const rows = await tx.execute<Row[]>(
    `update ledger_account set debits_pending = debits_pending + ?, debits_posted = debits_posted + ?,
       credits_pending = credits_pending + ?, credits_posted = credits_posted + ? where id = ?
     returning id, kind, holder_id, unit, community_id`,
    [delta.debitsPending ?? 0, delta.debitsPosted ?? 0, delta.creditsPending ?? 0, delta.creditsPosted ?? 0, accountId],
  );
  const row = rows[0];
  if (row) {
    noteBalanceChange(tx, {
      accountId: String(row.id),
      kind: row.kind as AccountKind,
      holderId: String(row.holder_id),
      unit: row.unit as LedgerUnit,
      communityId: row.community_id === null || row.community_id === undefined ? null : String(row.community_id),
    });
  }
}

export async function selectTransfer(tx: EntityManager, id: string, options: { forUpdate?: boolean } = {}): Promise<TransferRow | null> {
  const rows = await tx.execute<Row[]>(`select * from ledger_transfer where id = ?${options.forUpdate ? ' for update' : ''}`, [id]);
  return rows[0] ? toTransfer(rows[0]) : null;
}

/** The post or void of a pending transfer, if there is one (at most one: unique pending_id). */
export async function selectResolution(tx: EntityManager, pendingId: string): Promise<TransferRow | null> {
  const rows = await tx.execute<Row[]>(`select * from ledger_transfer where pending_id = ?`, [pendingId]);
  return rows[0] ? toTransfer(rows[0]) : null;
}

/**
 * Inserts unless the id is taken. Null means a concurrent request committed a transfer
 * with this id first (the insert waits for it): the caller compares instead of writing.
 */
export async function insertTransfer(tx: EntityManager, t: NewTransferRow): Promise<TransferRow | null> {
  const rows = await tx.execute<Row[]>(
    `insert into ledger_transfer
       (id, debit_account_id, credit_account_id, amount, unit, code, phase, state, pending_id, memo, reference, timeout_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do nothing
     returning *`,
    [
      t.id,
      t.debitAccountId,
      t.creditAccountId,
      t.amount,
      t.unit,
      t.code,
      t.phase,
      t.state,
      t.pendingId,
      t.memo,
      t.reference,
      t.timeoutAt?.toISOString() ?? null,
      t.createdAt.toISOString(),
    ],
  );
  return rows[0] ? toTransfer(rows[0]) : null;
}

/** Resolves a pending row; only ever from PENDING, in the transaction that inserts the resolution. */
export async function setPendingState(tx: EntityManager, pendingId: string, state: TransferState): Promise<void> {
  await tx.execute(`update ledger_transfer set state = ? where id = ? and state = ?`, [state, pendingId, TransferState.PENDING], 'run');
}

/** Unresolved pending transfers whose timeout has passed, oldest first. */
export async function selectDuePending(tx: EntityManager, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.execute<Row[]>(
    `select id from ledger_transfer where state = ? and timeout_at <= ? order by timeout_at, id limit ?`,
    [TransferState.PENDING, now.toISOString(), limit],
  );
  return rows.map((r) => String(r.id));
}

export function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`ledger value out of range: ${String(value)}`);
  return n;
}

/** MikroORM has the driver hand timestamps over as text (`2026-11-25 08:00:00.123+00`). */
function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`ledger timestamp unreadable: ${String(value)}`);
  return date;
}

function toTotals(r: Row): AccountTotals {
  return {
    id: String(r.id),
    kind: r.kind as AccountKind,
    unit: r.unit as LedgerUnit,
    limit: r.limit === null || r.limit === undefined ? null : toNumber(r.limit),
    debitsPending: toNumber(r.debits_pending),
    debitsPosted: toNumber(r.debits_posted),
    creditsPending: toNumber(r.credits_pending),
    creditsPosted: toNumber(r.credits_posted),
  };
}

function toTransfer(r: Row): TransferRow {
  return {
    id: String(r.id),
    debitAccountId: String(r.debit_account_id),
    creditAccountId: String(r.credit_account_id),
    amount: toNumber(r.amount),
    unit: r.unit as LedgerUnit,
    code: r.code as TransferCode,
    phase: r.phase as TransferPhase,
    state: r.state as TransferState,
    pendingId: r.pending_id === null || r.pending_id === undefined ? null : String(r.pending_id),
    memo: (r.memo as string | null) ?? null,
    reference: (r.reference as string | null) ?? null,
    timeoutAt: r.timeout_at === null || r.timeout_at === undefined ? null : toDate(r.timeout_at),
    createdAt: toDate(r.created_at),
    raw: r,
  };
}
