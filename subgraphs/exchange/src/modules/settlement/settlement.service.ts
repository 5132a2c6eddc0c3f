import { BadInputError, ConflictError, hasRole, isFederationService, Role, stableUuid, type Viewer } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerUnit } from '../ledger/account.entity.js';
import * as ledger from '../ledger/ledger.service.js';
import { TransferCode } from '../ledger/transfer.entity.js';
import { clear, netPositions, type Cleared, type Obligation } from './clearing.js';
import { SettlementRun } from './settlement.entity.js';
import type { SettlementStatement } from './settlement.types.js';

/**
 * What each community owes each other for money that moved in [from, to): a posted
 * payment from an account of X to an account of Y (a resident of X paying Y's revenue, or
 * a refund going back) means X owes Y. Transfers within one community do not count.
 */
export async function obligations(em: EntityManager, from: Date, to: Date, unit: LedgerUnit): Promise<Obligation[]> {
  const rows = await em.getConnection().execute<Array<{ debtor: string; creditor: string; amount: string }>>(
    `with moved as (
       select t.amount, t.debit_account_id, t.credit_account_id, t.created_at
         from ledger_transfer t where t.phase = 'SINGLE_PHASE' and t.code in ('BOOKING', 'REFUND')
       union all
       select p.amount, p.debit_account_id, p.credit_account_id, t.created_at
         from ledger_transfer t join ledger_transfer p on p.id = t.pending_id
        where t.phase = 'POST_PENDING' and p.code in ('BOOKING', 'REFUND'))
     select d.community_id as debtor, c.community_id as creditor, sum(m.amount)::bigint as amount
       from moved m
       join ledger_account d on d.id = m.debit_account_id
       join ledger_account c on c.id = m.credit_account_id
      where m.created_at >= ? and m.created_at < ? and d.unit = ?
        and d.community_id is not null and c.community_id is not null and d.community_id <> c.community_id
      group by 1, 2`,
    [from, to, unit],
  );
  return rows.map((r) => ({ debtor: r.debtor, creditor: r.creditor, amount: Number(r.amount) }));
}

export async function statement(em: EntityManager, viewer: Viewer, from: Date, to: Date, unit: LedgerUnit): Promise<SettlementStatement> {
  checkPeriod(from, to);
  const run = await em.findOne(SettlementRun, { unit, periodFrom: from, periodTo: to });
  const cleared: Cleared[] = run ? run.obligations : clear(await obligations(em, from, to, unit)).obligations.map((o) => ({ ...o, cleared: 0, remaining: o.amount }));
  return present(viewer, { from, to, unit, obligations: cleared, run });
}

/**
 * Clears the period's cycles and records each cleared amount as a SETTLEMENT transfer
 * between the two communities' issuance accounts. Around a cycle every community pays and
 * receives the same amount, so no balance changes: the transfers are the record. Periods
 * of one unit never overlap; the same key returns the first run.
 */
export async function runSettlement(em: EntityManager, viewer: Viewer, input: { from: Date; to: Date; unit: LedgerUnit; idempotencyKey: string }): Promise<SettlementStatement> {
  checkPeriod(input.from, input.to);
  if (input.to > new Date()) throw new BadInputError('只能清算已结束的期间', 'Only a period that has ended can be cleared', { argument: 'to' });
  const run = await em.transactional(async (tx) => {
    // One clearing at a time: two overlapping periods (or two replays) cannot both pass.
    await tx.getConnection().execute(`lock table "settlement_run" in share row exclusive mode`, [], 'run', tx.getTransactionContext());
    const previous = await tx.findOne(SettlementRun, { id: input.idempotencyKey });
    if (previous) {
      if (previous.unit !== input.unit || previous.periodFrom.getTime() !== input.from.getTime() || previous.periodTo.getTime() !== input.to.getTime()) {
        throw new ConflictError('幂等键已用于另一期清算', 'This idempotency key was used for another settlement', { argument: 'idempotencyKey' });
      }
      return previous;
    }
    const overlapping = await tx.findOne(SettlementRun, { unit: input.unit, periodFrom: { $lt: input.to }, periodTo: { $gt: input.from } });
    if (overlapping) {
      throw new ConflictError('该期间已与另一次清算重叠', 'The period overlaps one already cleared', {
        reason: 'PERIOD_CLEARED',
        runId: overlapping.id,
      });
    }
    const result = clear(await obligations(tx, input.from, input.to, input.unit));
    return tx.create(SettlementRun, {
      id: input.idempotencyKey,
      unit: input.unit,
      periodFrom: input.from,
      periodTo: input.to,
      obligations: result.obligations,
      cycles: result.cycles.length,
      createdBy: viewer.userId ?? 'unknown',
    });
  });
  for (const o of run.obligations.filter((x) => x.cleared > 0)) {
    const [debtor, creditor] = await Promise.all([
      ledger.communityIssuanceAccount(em.fork(), o.debtor, run.unit),
      ledger.communityIssuanceAccount(em.fork(), o.creditor, run.unit),
    ]);
    await ledger.createTransfer(em.fork(), {
      id: stableUuid(`${run.id}:${o.debtor}:${o.creditor}`),
      debitAccountId: debtor.id,
      creditAccountId: creditor.id,
      amount: o.cleared,
      unit: run.unit,
      code: TransferCode.SETTLEMENT,
      reference: run.id,
      memo: `清算抵消 ${o.debtor}→${o.creditor} (cleared by netting)`,
    });
  }
  return present(viewer, { from: run.periodFrom, to: run.periodTo, unit: run.unit, obligations: run.obligations, run });
}

/** Federation admins see every pair; a community's staff see the pairs it is part of. */
function present(
  viewer: Viewer,
  s: { from: Date; to: Date; unit: LedgerUnit; obligations: Cleared[]; run: SettlementRun | null },
): SettlementStatement {
  const all = hasRole(viewer, Role.FEDERATION_ADMIN) || isFederationService(viewer);
  const mine = (o: Cleared) => all || o.debtor === viewer.homeCommunityId || o.creditor === viewer.homeCommunityId;
  const net = netPositions(s.obligations.map((o) => ({ ...o, amount: o.remaining })));
  return {
    from: s.from,
    to: s.to,
    unit: s.unit,
    obligations: s.obligations.filter(mine).map((o) => ({
      debtorCommunityId: o.debtor,
      creditorCommunityId: o.creditor,
      amount: o.amount,
      cleared: o.cleared,
      remaining: o.remaining,
    })),
    netPositions: [...net]
      .filter(([id]) => all || id === viewer.homeCommunityId)
      .map(([communityId, n]) => ({ communityId, net: n }))
      .sort((a, b) => a.communityId.localeCompare(b.communityId)),
    run: s.run,
  };
}

function checkPeriod(from: Date, to: Date): void {
  if (!(from < to)) throw new BadInputError('开始时间必须早于结束时间', '`from` must be before `to`', { argument: 'from' });
  if (to.getTime() - from.getTime() > 366 * 86_400_000) {
    throw new BadInputError('一次最多一年', 'A statement covers at most a year', { argument: 'to' });
  }
}
