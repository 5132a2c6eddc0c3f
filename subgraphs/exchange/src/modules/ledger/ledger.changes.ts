import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountKind, LedgerUnit } from './account.entity.js';

/** An account whose totals a transaction moved: what a live `account.balance_changed` event names. */
export interface BalanceChange {
  accountId: string;
  kind: AccountKind;
  holderId: string;
  unit: LedgerUnit;
  /** Null for federation accounts. */
  communityId: string | null;
}

/**
 * Balance changes noted per database transaction, announced only once it commits (the
 * live events subscriber takes them in `afterTransactionCommit`): a rolled-back transfer
 * announces nothing. Keyed by the root transaction, so a ledger call nested in a caller's
 * transaction is announced when the caller's commits.
 */
const pending = new WeakMap<object, Map<string, BalanceChange>>();

export function noteBalanceChange(tx: EntityManager, change: BalanceChange): void {
  const trx = tx.getTransactionContext<object>();
  if (!trx) return; // every ledger write runs in a transaction; outside one there is nothing to defer to
  const root = rootTransaction(trx);
  const changes = pending.get(root) ?? new Map<string, BalanceChange>();
  changes.set(change.accountId, change);
  pending.set(root, changes);
}

/** The changes noted in this (root) transaction, forgotten once taken. */
export function takeBalanceChanges(trx: object | undefined): BalanceChange[] {
  if (!trx) return [];
  const changes = pending.get(trx);
  pending.delete(trx);
  return changes ? [...changes.values()] : [];
}

/**
 * MikroORM marks a savepoint's transaction with a symbol pointing at its parent and runs
 * commit hooks only for the root: follow the marks up. (If a MikroORM release renamed the
 * mark, nested ledger calls would go unannounced, never announced early.)
 */
export function rootTransaction(trx: object): object {
  let current = trx;
  for (;;) {
    const mark = Object.getOwnPropertySymbols(current).find((s) => s.description === 'parentTransaction');
    const parent = mark ? (current as Record<symbol, unknown>)[mark] : undefined;
    if (!parent || typeof parent !== 'object') return current;
    current = parent;
  }
}
