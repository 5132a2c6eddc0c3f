import { IsolationLevel, type EntityManager } from '@mikro-orm/postgresql';
import { LedgerUnit } from './account.entity.js';
import { toNumber } from './ledger.sql.js';

export type AccountTotalField = 'debitsPending' | 'debitsPosted' | 'creditsPending' | 'creditsPosted';

/** One thing the recorded ledger says that its transfers do not. */
export type LedgerMismatch =
  /** An account's running total differs from the sum of its transfers. */
  | { kind: 'ACCOUNT_TOTAL'; accountId: string; field: AccountTotalField; recorded: number; computed: number }
  /** A limited account is below its limit. */
  | { kind: 'LIMIT'; accountId: string; available: number; limit: number }
  /** A pending row's state disagrees with its post or void (or their absence). */
  | { kind: 'PENDING_STATE'; transferId: string; recorded: string; computed: string }
  /** A post or void that does not repeat its pending transfer's accounts, amount and unit. */
  | { kind: 'RESOLUTION'; transferId: string; pendingId: string }
  /** A transfer between accounts of another unit than its own. */
  | { kind: 'UNIT'; transferId: string };

export interface LedgerAudit {
  mismatches: LedgerMismatch[];
  /** Per unit, the sum of every account's balance (credits_posted − debits_posted): 0 in a sound ledger. */
  sumByUnit: Record<LedgerUnit, number>;
  /** Per unit, the sum of credits_pending − debits_pending: also 0. */
  pendingSumByUnit: Record<LedgerUnit, number>;
}

type Row = Record<string, unknown>;

const FIELDS: Array<[AccountTotalField, string]> = [
  ['debitsPending', 'debits_pending'],
  ['debitsPosted', 'debits_posted'],
  ['creditsPending', 'credits_pending'],
  ['creditsPosted', 'credits_posted'],
];

/**
 * Recomputes every account's four totals from the transfers alone and reports where the
 * stored ledger disagrees, all from one snapshot (REPEATABLE READ), so that transfers
 * committed meanwhile cannot show up as false mismatches. Reads only.
 */
export async function auditLedger(em: EntityManager): Promise<LedgerAudit> {
  return em.transactional(
    async (tx) => {
      const mismatches: LedgerMismatch[] = [];
      const totals = await tx.execute<Row[]>(`
        with resolved as (
          select t.*, (t.phase = 'PENDING' and r.id is null) as unresolved,
                 t.phase in ('SINGLE_PHASE', 'POST_PENDING') as posts
          from ledger_transfer t left join ledger_transfer r on r.pending_id = t.id
        ), moves as (
          select debit_account_id as account_id,
                 case when unresolved then amount else 0 end as debits_pending,
                 case when posts then amount else 0 end as debits_posted,
                 0::bigint as credits_pending, 0::bigint as credits_posted
          from resolved
          union all
          select credit_account_id, 0, 0,
                 case when unresolved then amount else 0 end,
                 case when posts then amount else 0 end
          from resolved
        )
        select a.id,
               a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
               coalesce(sum(m.debits_pending), 0) as computed_debits_pending,
               coalesce(sum(m.debits_posted), 0) as computed_debits_posted,
               coalesce(sum(m.credits_pending), 0) as computed_credits_pending,
               coalesce(sum(m.credits_posted), 0) as computed_credits_posted
        from ledger_account a left join moves m on m.account_id = a.id
        group by a.id
        order by a.id`);
      for (const row of totals) {
        for (const [field, column] of FIELDS) {
          const recorded = toNumber(row[column]);
          const computed = toNumber(row[`computed_${column}`]);
          if (recorded !== computed) mismatches.push({ kind: 'ACCOUNT_TOTAL', accountId: String(row.id), field, recorded, computed });
        }
      }

      const overdrawn = await tx.execute<Row[]>(`
        select id, credits_posted - debits_posted - debits_pending as available, "limit"
        from ledger_account
        where "limit" is not null and credits_posted - debits_posted - debits_pending < -"limit"`);
      for (const row of overdrawn) {
        mismatches.push({ kind: 'LIMIT', accountId: String(row.id), available: toNumber(row.available), limit: toNumber(row.limit) });
      }

      const states = await tx.execute<Row[]>(`
        select p.id, p.state as recorded, coalesce(r.state, 'PENDING') as computed
        from ledger_transfer p left join ledger_transfer r on r.pending_id = p.id
        where p.phase = 'PENDING' and p.state <> coalesce(r.state, 'PENDING')`);
      for (const row of states) {
        mismatches.push({ kind: 'PENDING_STATE', transferId: String(row.id), recorded: String(row.recorded), computed: String(row.computed) });
      }

      const resolutions = await tx.execute<Row[]>(`
        select r.id, r.pending_id
        from ledger_transfer r join ledger_transfer p on p.id = r.pending_id
        where p.phase <> 'PENDING' or r.debit_account_id <> p.debit_account_id or r.credit_account_id <> p.credit_account_id
           or r.amount <> p.amount or r.unit <> p.unit`);
      for (const row of resolutions) mismatches.push({ kind: 'RESOLUTION', transferId: String(row.id), pendingId: String(row.pending_id) });

      const units = await tx.execute<Row[]>(`
        select t.id
        from ledger_transfer t
          join ledger_account d on d.id = t.debit_account_id
          join ledger_account c on c.id = t.credit_account_id
        where d.unit <> t.unit or c.unit <> t.unit`);
      for (const row of units) mismatches.push({ kind: 'UNIT', transferId: String(row.id) });

      const sumByUnit = zeroPerUnit();
      const pendingSumByUnit = zeroPerUnit();
      const sums = await tx.execute<Row[]>(`
        select unit, sum(credits_posted - debits_posted) as balance, sum(credits_pending - debits_pending) as pending
        from ledger_account group by unit`);
      for (const row of sums) {
        const unit = row.unit as LedgerUnit;
        sumByUnit[unit] = toNumber(row.balance);
        pendingSumByUnit[unit] = toNumber(row.pending);
      }
      return { mismatches, sumByUnit, pendingSumByUnit };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true, clear: true },
  );
}

function zeroPerUnit(): Record<LedgerUnit, number> {
  return Object.fromEntries(Object.values(LedgerUnit).map((u) => [u, 0])) as Record<LedgerUnit, number>;
}
