import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';
import { LedgerUnit } from '../ledger/account.entity.js';
import * as ledger from '../ledger/ledger.service.js';
import { TransferCode } from '../ledger/transfer.entity.js';

let h: ExchangeHarness;
let from: Date;
let to: Date;

const STATEMENT = `query($from: DateTimeISO!, $to: DateTimeISO!) {
  settlementStatement(from: $from, to: $to) {
    obligations { debtorCommunityId creditorCommunityId amount cleared remaining }
    netPositions { communityId net }
    run { id cycles }
  }
}`;
const RUN = `mutation($input: RunSettlementInput!) {
  runSettlement(input: $input) {
    obligations { debtorCommunityId creditorCommunityId amount cleared remaining }
    netPositions { communityId net }
    run { id cycles }
  }
}`;

type Statement = {
  obligations: Array<{ debtorCommunityId: string; creditorCommunityId: string; amount: number; cleared: number; remaining: number }>;
  netPositions: Array<{ communityId: string; net: number }>;
  run: { id: string; cycles: number } | null;
};

/** A resident of `payer` pays `amount` to `payee`'s revenue, as a posted booking would. */
async function pay(payer: string, payee: string, amount: number): Promise<void> {
  const em = h.subgraph.orm.em.fork();
  const resident = await ledger.residentAccount(em, `r-${payer}`, payer, LedgerUnit.CREDIT);
  await ledger.issueCredit(em.fork(), { communityId: payer, residentId: `r-${payer}`, amount, unit: LedgerUnit.CREDIT, transferId: randomUUID() });
  const revenue = await ledger.communityRevenueAccount(em, payee, LedgerUnit.CREDIT);
  const pending = randomUUID();
  await ledger.createTransfer(em.fork(), {
    id: pending,
    debitAccountId: resident.id,
    creditAccountId: revenue.id,
    amount,
    unit: LedgerUnit.CREDIT,
    code: TransferCode.BOOKING,
    pending: { timeoutSeconds: 60 },
  });
  await ledger.postPendingTransfer(em.fork(), { id: randomUUID(), pendingId: pending });
}

beforeAll(async () => {
  h = await startExchange('settlement');
  await h.register({ id: 'sa' }, { id: 'sb' }, { id: 'sc' });
  from = new Date(Date.now() - 1_000);
  await pay('sa', 'sb', 15);
  await pay('sb', 'sc', 10);
  await pay('sc', 'sa', 10);
  await pay('sa', 'sa', 4); // within one community: owes nobody
  to = new Date(Date.now() + 1);
  await new Promise((r) => setTimeout(r, 5));
});

afterAll(async () => {
  await h?.close();
});

describe('settlement between communities', () => {
  it('states who owes whom for the period, before any clearing', async () => {
    const res = await h.request<{ settlementStatement: Statement }>(STATEMENT, { from, to }, viewers.federationAdmin);
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data!.settlementStatement;
    expect(s.obligations).toEqual([
      { debtorCommunityId: 'sa', creditorCommunityId: 'sb', amount: 15, cleared: 0, remaining: 15 },
      { debtorCommunityId: 'sb', creditorCommunityId: 'sc', amount: 10, cleared: 0, remaining: 10 },
      { debtorCommunityId: 'sc', creditorCommunityId: 'sa', amount: 10, cleared: 0, remaining: 10 },
    ]);
    expect(s.netPositions).toEqual([
      { communityId: 'sa', net: -5 },
      { communityId: 'sb', net: 5 },
      { communityId: 'sc', net: 0 },
    ]);
    expect(s.run).toBeNull();
  });

  it('clears the cycle into offsetting ledger transfers, once per key, leaving balances as they were', async () => {
    const before = await ledger.auditLedger(h.subgraph.orm.em.fork());
    const key = randomUUID();
    const [first, replay] = await Promise.all([
      h.request<{ runSettlement: Statement }>(RUN, { input: { from, to, idempotencyKey: key } }, viewers.federationAdmin),
      h.request<{ runSettlement: Statement }>(RUN, { input: { from, to, idempotencyKey: key } }, viewers.federationAdmin),
    ]);
    for (const res of [first, replay]) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.runSettlement.obligations).toEqual([
        { debtorCommunityId: 'sa', creditorCommunityId: 'sb', amount: 15, cleared: 10, remaining: 5 },
        { debtorCommunityId: 'sb', creditorCommunityId: 'sc', amount: 10, cleared: 10, remaining: 0 },
        { debtorCommunityId: 'sc', creditorCommunityId: 'sa', amount: 10, cleared: 10, remaining: 0 },
      ]);
      expect(res.body.data!.runSettlement.run).toEqual({ id: key, cycles: 1 });
    }
    const settlements = await h.subgraph.orm.em
      .getConnection()
      .execute<Array<{ n: string; total: string }>>(`select count(*) as n, sum(amount) as total from ledger_transfer where code = 'SETTLEMENT' and reference = ?`, [key]);
    expect(settlements[0]).toMatchObject({ n: '3', total: '30' });
    const after = await ledger.auditLedger(h.subgraph.orm.em.fork());
    expect(after.mismatches).toEqual([]);
    expect(after.sumByUnit.CREDIT).toBe(0);
    expect(before.sumByUnit).toEqual(after.sumByUnit);

    const statement = await h.request<{ settlementStatement: Statement }>(STATEMENT, { from, to }, viewers.federationAdmin);
    expect(statement.body.data!.settlementStatement.run?.id).toBe(key);
    expect(statement.body.data!.settlementStatement.netPositions).toContainEqual({ communityId: 'sa', net: -5 });
  });

  it('refuses a second clearing of an overlapping period', async () => {
    const res = await h.request(RUN, { input: { from: new Date(from.getTime() - 60_000), to, idempotencyKey: randomUUID() } }, viewers.federationAdmin);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PERIOD_CLEARED' });
  });

  it('shows staff their own community\'s part only, and residents nothing', async () => {
    const staff = await h.request<{ settlementStatement: Statement }>(STATEMENT, { from, to }, viewers.staff('sc'));
    const s = staff.body.data!.settlementStatement;
    expect(s.obligations.every((o) => o.debtorCommunityId === 'sc' || o.creditorCommunityId === 'sc')).toBe(true);
    expect(s.obligations).toHaveLength(2);
    expect(s.netPositions).toEqual([{ communityId: 'sc', net: 0 }]);
    const resident = await h.request(STATEMENT, { from, to }, viewers.resident('sc'));
    expect(resident.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const run = await h.request(RUN, { input: { from, to, idempotencyKey: randomUUID() } }, viewers.staff('sc'));
    expect(run.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
