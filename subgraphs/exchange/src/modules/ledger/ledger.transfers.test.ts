import { formatError } from '@linli/subgraph-kit';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, type ExchangeHarness } from '../../test/harness.js';
import { balances, expectSoundLedger, fork, fundedResident, thrown, transferCount } from '../../test/ledger.js';
import { AccountKind, LedgerUnit, type Account } from './account.entity.js';
import * as ledger from './ledger.service.js';
import { TransferCode, TransferPhase, TransferState } from './transfer.entity.js';

let h: ExchangeHarness;
let revenue: Account;
beforeAll(async () => {
  h = await startExchange('exchange_ledger_transfers');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' });
  revenue = await ledger.communityRevenueAccount(fork(h), 'qibao-b', LedgerUnit.CREDIT);
});
afterEach(async () => {
  await expectSoundLedger(h);
});
afterAll(async () => {
  await h?.close();
});

const MINUTE = 60_000;

/** A booking payment from `payer` to qibao-b's revenue account. */
function payment(payer: Account, amount: number, extra: Partial<ledger.TransferRequest> = {}): ledger.TransferRequest {
  return { id: randomUUID(), debitAccountId: payer.id, creditAccountId: revenue.id, amount, unit: LedgerUnit.CREDIT, code: TransferCode.BOOKING, ...extra };
}

describe('single-phase transfers', () => {
  it('debit one account and credit the other by the same amount', async () => {
    const payer = await fundedResident(h, 'qibao-a', 30);
    const before = await balances(h, revenue.id);
    const t = await ledger.createTransfer(fork(h), payment(payer, 12, { memo: '场地预约', reference: 'booking-42' }));
    expect(t).toMatchObject({ amount: 12, unit: 'CREDIT', code: 'BOOKING', phase: 'SINGLE_PHASE', state: 'POSTED', memo: '场地预约', reference: 'booking-42', timeoutAt: null });
    expect(t.debitAccount.id).toBe(payer.id);
    expect(t.creditAccount.id).toBe(revenue.id);
    expect(await balances(h, payer.id)).toEqual({ balance: 18, pending: 0, available: 18 });
    expect((await balances(h, revenue.id)).balance).toBe(before.balance + 12);
  });

  it('answer INSUFFICIENT_FUNDS with the balance when a resident would go below zero, and write nothing', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    await ledger.createTransfer(fork(h), payment(payer, 4, { pending: { timeoutSeconds: 600 } }));
    const count = await transferCount(h);
    const error = await thrown(() => ledger.createTransfer(fork(h), payment(payer, 7)));
    expect(error.extensions).toEqual({ code: 'INSUFFICIENT_FUNDS', accountId: payer.id, unit: 'CREDIT', balance: 10, available: 6, required: 7 });
    expect(await transferCount(h)).toBe(count);
    expect(await balances(h, payer.id)).toEqual({ balance: 10, pending: 4, available: 6 });
    // What a client sees: the same code and figures in `extensions`.
    let caught: unknown;
    await ledger.createTransfer(fork(h), payment(payer, 7)).catch((e: unknown) => (caught = e));
    const formatted = formatError({ message: 'x' }, caught);
    expect(formatted.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: 10, available: 6, required: 7 });
    // Exactly the available amount is fine.
    await ledger.createTransfer(fork(h), payment(payer, 6));
    expect(await balances(h, payer.id)).toEqual({ balance: 4, pending: 4, available: 0 });
  });

  it('refuse a revenue account going below zero, but let an issuance account go as low as it must', async () => {
    const resident = await fundedResident(h, 'qibao-b', 0);
    const { balance } = await balances(h, revenue.id);
    const refund = { ...payment(revenue, balance + 1), creditAccountId: resident.id, code: TransferCode.REFUND };
    const error = await thrown(() => ledger.createTransfer(fork(h), refund));
    expect(error.code).toBe('INSUFFICIENT_FUNDS');
    const issuance = await ledger.communityIssuanceAccount(fork(h), 'qibao-b', LedgerUnit.CREDIT);
    expect(issuance.limit).toBeNull();
    await ledger.createTransfer(fork(h), { ...payment(issuance, 2_000_000_000), creditAccountId: resident.id, code: TransferCode.ISSUE });
    expect((await balances(h, issuance.id)).balance).toBeLessThanOrEqual(-2_000_000_000);
  });

  it('let a resident with a limit go that far below zero and no further', async () => {
    const payer = await fundedResident(h, 'qibao-a', 5);
    const limited = await ledger.setAccountLimit(fork(h), payer.id, 20);
    expect(limited.limit).toBe(20);
    await ledger.createTransfer(fork(h), payment(payer, 25));
    expect(await balances(h, payer.id)).toEqual({ balance: -20, pending: 0, available: -20 });
    const error = await thrown(() => ledger.createTransfer(fork(h), payment(payer, 1)));
    expect(error.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: -20, available: -20, required: 1 });
    // A limit below what the account already owes is refused; raising it is fine.
    expect((await thrown(() => ledger.setAccountLimit(fork(h), payer.id, 19))).extensions).toMatchObject({ code: 'CONFLICT', reason: 'LIMIT_BELOW_BALANCE' });
    await ledger.setAccountLimit(fork(h), payer.id, 30);
    await ledger.createTransfer(fork(h), payment(payer, 10));
    expect((await balances(h, payer.id)).balance).toBe(-30);
  });

  const invalid: Array<[string, (payer: Account) => ledger.TransferRequest, string]> = [
    ['the same account on both sides', (p) => ({ ...payment(p, 1), creditAccountId: p.id }), 'BAD_USER_INPUT'],
    ['a zero amount', (p) => payment(p, 0), 'BAD_USER_INPUT'],
    ['a fractional amount', (p) => payment(p, 1.5), 'BAD_USER_INPUT'],
    ['an amount beyond a GraphQL Int', (p) => payment(p, 2 ** 31), 'BAD_USER_INPUT'],
    ['a transfer id that is not a UUID', (p) => payment(p, 1, { id: 'transfer-1' }), 'BAD_USER_INPUT'],
    ['a unit the accounts do not keep', (p) => payment(p, 1, { unit: LedgerUnit.HOUR }), 'BAD_USER_INPUT'],
    ['a zero timeout', (p) => payment(p, 1, { pending: { timeoutSeconds: 0 } }), 'BAD_USER_INPUT'],
    ['an unknown account', (p) => payment(p, 1, { creditAccountId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND'],
  ];
  it.each(invalid)('refuse %s and write nothing', async (_name, request, code) => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const count = await transferCount(h);
    expect((await thrown(() => ledger.createTransfer(fork(h), request(payer)))).code).toBe(code);
    expect(await transferCount(h)).toBe(count);
    expect((await balances(h, payer.id)).balance).toBe(10);
  });
});

describe('retrying a transfer', () => {
  it('returns the first transfer for the same id and fields, and changes nothing, whatever happened since', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const request = payment(payer, 10, { memo: 'first' });
    const first = await ledger.createTransfer(fork(h), request);
    const count = await transferCount(h);
    // The payer is now empty: a replay must still answer with the transfer, not INSUFFICIENT_FUNDS.
    const again = await ledger.createTransfer(fork(h), request);
    expect(again.id).toBe(first.id);
    expect(again.createdAt).toEqual(first.createdAt);
    expect(await transferCount(h)).toBe(count);
    expect((await balances(h, payer.id)).balance).toBe(0);
  });

  it('answers CONFLICT TRANSFER_ID_REUSED for the same id with other fields', async () => {
    const payer = await fundedResident(h, 'qibao-a', 50);
    const other = await fundedResident(h, 'qibao-a', 50);
    const request = payment(payer, 5, { memo: 'm', reference: 'r' });
    await ledger.createTransfer(fork(h), request);
    const variants: Array<Partial<ledger.TransferRequest>> = [
      { amount: 6 },
      { memo: 'other' },
      { memo: null },
      { reference: 'other' },
      { code: TransferCode.TRANSFER },
      { debitAccountId: other.id },
      { pending: { timeoutSeconds: 60 } },
    ];
    for (const variant of variants) {
      const error = await thrown(() => ledger.createTransfer(fork(h), { ...request, ...variant }));
      expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TRANSFER_ID_REUSED', transferId: request.id });
    }
    expect((await balances(h, payer.id)).balance).toBe(45);
    expect((await balances(h, other.id)).balance).toBe(50);
  });

  it('takes a retried pending transfer whose timeout was recomputed as the same transfer', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const request = payment(payer, 3, { pending: { timeoutSeconds: 600 } });
    const first = await ledger.createTransfer(fork(h), request);
    const again = await ledger.createTransfer(fork(h), { ...request, pending: { timeoutSeconds: 590 } });
    expect(again.timeoutAt).toEqual(first.timeoutAt);
    expect(await balances(h, payer.id)).toEqual({ balance: 10, pending: 3, available: 7 });
    await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: first.id });
  });
});

describe('two-phase transfers', () => {
  it('hold the amount while pending, and move it when posted', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const revenueBefore = await balances(h, revenue.id);
    const pending = await ledger.createTransfer(fork(h), payment(payer, 8, { pending: { timeoutSeconds: 600 }, reference: 'booking-7' }));
    expect(pending).toMatchObject({ phase: 'PENDING', state: 'PENDING', amount: 8 });
    expect(pending.timeoutAt!.getTime() - pending.createdAt.getTime()).toBe(600_000);
    expect(await ledger.pendingState(fork(h), pending.id)).toBe('PENDING');
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 8, available: 12 });
    expect((await balances(h, revenue.id)).balance).toBe(revenueBefore.balance);

    const postId = randomUUID();
    const post = await ledger.postPendingTransfer(fork(h), { id: postId, pendingId: pending.id });
    expect(post).toMatchObject({ id: postId, phase: 'POST_PENDING', state: 'POSTED', amount: 8, code: 'BOOKING', reference: 'booking-7', timeoutAt: null });
    expect(post.pending?.id).toBe(pending.id);
    expect(await ledger.pendingState(fork(h), pending.id)).toBe('POSTED');
    expect(await balances(h, payer.id)).toEqual({ balance: 12, pending: 0, available: 12 });
    expect((await balances(h, revenue.id)).balance).toBe(revenueBefore.balance + 8);

    // Posting again, under the same id or another, answers with the post and moves nothing.
    expect((await ledger.postPendingTransfer(fork(h), { id: postId, pendingId: pending.id })).id).toBe(postId);
    expect((await ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id })).id).toBe(postId);
    expect(await balances(h, payer.id)).toEqual({ balance: 12, pending: 0, available: 12 });
    // It cannot be voided any more.
    const error = await thrown(() => ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PENDING_POSTED', pendingId: pending.id });
  });

  it('refuse a second pending transfer the held amount no longer covers', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const first = await ledger.createTransfer(fork(h), payment(payer, 7, { pending: { timeoutSeconds: 600 } }));
    const error = await thrown(() => ledger.createTransfer(fork(h), payment(payer, 4, { pending: { timeoutSeconds: 600 } })));
    expect(error.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: 10, available: 3, required: 4 });
    await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: first.id });
    await ledger.createTransfer(fork(h), payment(payer, 4, { pending: { timeoutSeconds: 600 } }));
    expect(await balances(h, payer.id)).toEqual({ balance: 10, pending: 4, available: 6 });
  });

  it('release the amount when voided; a voided transfer cannot be posted', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const pending = await ledger.createTransfer(fork(h), payment(payer, 15, { pending: { timeoutSeconds: 600 } }));
    const voidId = randomUUID();
    const voided = await ledger.voidPendingTransfer(fork(h), { id: voidId, pendingId: pending.id });
    expect(voided).toMatchObject({ id: voidId, phase: 'VOID_PENDING', state: 'VOIDED', amount: 15 });
    expect(await ledger.pendingState(fork(h), pending.id)).toBe('VOIDED');
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 0, available: 20 });
    // Voiding again answers with the void, whatever id it comes with.
    expect((await ledger.voidPendingTransfer(fork(h), { id: voidId, pendingId: pending.id })).id).toBe(voidId);
    expect((await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id })).id).toBe(voidId);
    const error = await thrown(() => ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PENDING_VOIDED' });
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 0, available: 20 });
  });

  it('expire past their timeout: the sweeper voids them and releases the amount', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const short = await ledger.createTransfer(fork(h), payment(payer, 5, { pending: { timeoutSeconds: 60 } }));
    const long = await ledger.createTransfer(fork(h), payment(payer, 6, { pending: { timeoutSeconds: 3600 } }));
    const inTwoMinutes = new Date(Date.now() + 2 * MINUTE);
    expect(await ledger.pendingState(fork(h), short.id, inTwoMinutes)).toBe('EXPIRED');
    expect(await ledger.expirePendingTransfers(fork(h), inTwoMinutes)).toBe(1);
    expect(await ledger.expirePendingTransfers(fork(h), inTwoMinutes)).toBe(0);
    expect(await ledger.pendingState(fork(h), short.id)).toBe('EXPIRED');
    expect(await ledger.pendingState(fork(h), long.id)).toBe('PENDING');
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 6, available: 14 });

    // Voiding an expired transfer answers with the void that expired it; posting is refused.
    const expiry = await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: short.id });
    expect(expiry).toMatchObject({ phase: 'VOID_PENDING', state: 'EXPIRED', amount: 5 });
    expect(expiry.pending?.id).toBe(short.id);
    const error = await thrown(() => ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: short.id }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PENDING_EXPIRED', pendingId: short.id });
    await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: long.id });
  });

  it('expire when someone tries to post one past its timeout, before any sweep', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const pending = await ledger.createTransfer(fork(h), payment(payer, 9, { pending: { timeoutSeconds: 60 } }));
    const late = new Date(Date.now() + 2 * MINUTE);
    const postId = randomUUID();
    const error = await thrown(() => ledger.postPendingTransfer(fork(h), { id: postId, pendingId: pending.id }, late));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PENDING_EXPIRED' });
    // The expiry stuck although the post failed: funds are back, and a retry gets the same answer.
    expect(await ledger.pendingState(fork(h), pending.id)).toBe('EXPIRED');
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 0, available: 20 });
    expect((await thrown(() => ledger.postPendingTransfer(fork(h), { id: postId, pendingId: pending.id }))).extensions).toMatchObject({ reason: 'PENDING_EXPIRED' });
    expect(await ledger.expirePendingTransfers(fork(h), late)).toBe(0);
  });

  it('expire when someone tries to void one past its timeout, answering with the expiry', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const pending = await ledger.createTransfer(fork(h), payment(payer, 9, { pending: { timeoutSeconds: 60 } }));
    const expiry = await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id }, new Date(Date.now() + 2 * MINUTE));
    expect(expiry.state).toBe(TransferState.EXPIRED);
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 0, available: 20 });
  });

  it('answer NOT_FOUND for an unknown pending transfer, BAD_USER_INPUT for one that is not pending, and TRANSFER_ID_REUSED for a taken id', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const unknown = await thrown(() => ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: randomUUID() }));
    expect(unknown.code).toBe('NOT_FOUND');
    const single = await ledger.createTransfer(fork(h), payment(payer, 1));
    const notPending = await thrown(() => ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: single.id }));
    expect(notPending.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_PENDING' });
    const pending = await ledger.createTransfer(fork(h), payment(payer, 1, { pending: { timeoutSeconds: 600 } }));
    const taken = await thrown(() => ledger.postPendingTransfer(fork(h), { id: single.id, pendingId: pending.id }));
    expect(taken.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TRANSFER_ID_REUSED' });
    const voidId = randomUUID();
    await ledger.voidPendingTransfer(fork(h), { id: voidId, pendingId: pending.id });
    const asPost = await thrown(() => ledger.postPendingTransfer(fork(h), { id: voidId, pendingId: pending.id }));
    expect(asPost.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TRANSFER_ID_REUSED' });
    expect(await ledger.pendingState(fork(h), single.id)).toBeNull();
    expect(await ledger.pendingState(fork(h), randomUUID())).toBeNull();
    expect(await ledger.pendingState(fork(h), 'not-a-uuid')).toBeNull();
  });

  it('record the phase and state of each row as the database constraints require', async () => {
    const payer = await fundedResident(h, 'qibao-a', 5);
    const pending = await ledger.createTransfer(fork(h), payment(payer, 5, { pending: { timeoutSeconds: 600 } }));
    const post = await ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id });
    const rows = await fork(h).execute<Array<{ id: string; phase: string; state: string }>>(
      `select id, phase, state from ledger_transfer where id in (?, ?) order by created_at`,
      [pending.id, post.id],
    );
    expect(rows).toEqual([
      { id: pending.id, phase: TransferPhase.PENDING, state: TransferState.POSTED },
      { id: post.id, phase: TransferPhase.POST_PENDING, state: TransferState.POSTED },
    ]);
  });
});

describe('accounts', () => {
  it('are one per kind, holder and unit, created on first use', async () => {
    const a = await ledger.residentAccount(fork(h), 'zhang-san', 'qibao-a', LedgerUnit.CREDIT);
    const b = await ledger.residentAccount(fork(h), 'zhang-san', 'qibao-a', LedgerUnit.CREDIT);
    const hours = await ledger.residentAccount(fork(h), 'zhang-san', 'qibao-a', LedgerUnit.HOUR);
    expect(b.id).toBe(a.id);
    expect(hours.id).not.toBe(a.id);
    expect(a).toMatchObject({ kind: AccountKind.RESIDENT, holderId: 'zhang-san', unit: 'CREDIT', limit: 0, debitsPosted: 0, creditsPosted: 0 });
    expect(a.community?.id).toBe('qibao-a');
    // A later call naming another community gets the existing account, unchanged.
    const moved = await ledger.residentAccount(fork(h), 'zhang-san', 'qibao-b', LedgerUnit.CREDIT);
    expect(moved.id).toBe(a.id);
    expect(moved.community?.id).toBe('qibao-a');
  });

  it('get the default limits of their kind: residents and revenue 0, issuance and federation none', async () => {
    expect((await ledger.communityRevenueAccount(fork(h), 'qibao-a', LedgerUnit.HOUR)).limit).toBe(0);
    expect((await ledger.communityIssuanceAccount(fork(h), 'qibao-a', LedgerUnit.HOUR)).limit).toBeNull();
    const federation = await ledger.federationAccount(fork(h), LedgerUnit.HOUR);
    expect(federation).toMatchObject({ kind: AccountKind.FEDERATION, holderId: 'federation', limit: null, community: null });
  });

  it('refuse a resident account without a community, and a community that is not registered', async () => {
    const noHome = await thrown(() => ledger.ensureAccount(fork(h), { kind: AccountKind.RESIDENT, holderId: 'x', unit: LedgerUnit.CREDIT }));
    expect(noHome.code).toBe('BAD_USER_INPUT');
    const unknown = await thrown(() => ledger.residentAccount(fork(h), 'x', 'nowhere', LedgerUnit.CREDIT));
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', communityId: 'nowhere', reason: 'UNKNOWN' });
    const wrongHolder = await thrown(() => ledger.ensureAccount(fork(h), { kind: AccountKind.FEDERATION, holderId: 'qibao-a', unit: LedgerUnit.CREDIT }));
    expect(wrongHolder.code).toBe('BAD_USER_INPUT');
  });
});
