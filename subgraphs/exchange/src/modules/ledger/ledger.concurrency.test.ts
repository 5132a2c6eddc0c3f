import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, type ExchangeHarness } from '../../test/harness.js';
import { balances, expectSoundLedger, fork, fundedResident, transferCount } from '../../test/ledger.js';
import { LedgerUnit, type Account } from './account.entity.js';
import * as ledger from './ledger.service.js';
import { TransferCode } from './transfer.entity.js';

let h: ExchangeHarness;
let revenue: Account;
beforeAll(async () => {
  h = await startExchange('exchange_ledger_concurrency');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' });
  revenue = await ledger.communityRevenueAccount(fork(h), 'qibao-b', LedgerUnit.CREDIT);
});
afterEach(async () => {
  await expectSoundLedger(h);
});
afterAll(async () => {
  await h?.close();
});

function payment(payer: Account, amount: number, extra: Partial<ledger.TransferRequest> = {}): ledger.TransferRequest {
  return { id: randomUUID(), debitAccountId: payer.id, creditAccountId: revenue.id, amount, unit: LedgerUnit.CREDIT, code: TransferCode.BOOKING, ...extra };
}

/** Runs every call at once, each with its own EntityManager, and sorts the outcomes. */
async function race<T>(n: number, call: (i: number) => Promise<T>): Promise<{ ok: T[]; errors: Array<{ code: string; reason?: string }> }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));
  const ok: T[] = [];
  const errors: Array<{ code: string; reason?: string }> = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') ok.push(s.value);
    else {
      const extensions = (s.reason as { extensions?: { code?: string; reason?: string } }).extensions;
      if (!extensions?.code) throw s.reason;
      errors.push({ code: extensions.code, ...(extensions.reason ? { reason: extensions.reason } : {}) });
    }
  }
  return { ok, errors };
}

describe('concurrent replays', () => {
  it('move the money once when 20 replays of one transfer arrive together, even when it empties the account', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const request = payment(payer, 10);
    const count = await transferCount(h);
    const { ok, errors } = await race(20, () => ledger.createTransfer(fork(h), request));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((t) => t.id))).toEqual(new Set([request.id]));
    expect(await transferCount(h)).toBe(count + 1);
    expect(await balances(h, payer.id)).toEqual({ balance: 0, pending: 0, available: 0 });
  });

  it('hold once for 20 replays of a pending transfer, and post once for 20 replays of its post', async () => {
    const payer = await fundedResident(h, 'qibao-a', 10);
    const request = payment(payer, 6, { pending: { timeoutSeconds: 600 } });
    const holds = await race(20, () => ledger.createTransfer(fork(h), request));
    expect(holds.errors).toEqual([]);
    expect(await balances(h, payer.id)).toEqual({ balance: 10, pending: 6, available: 4 });
    const postId = randomUUID();
    const posts = await race(20, () => ledger.postPendingTransfer(fork(h), { id: postId, pendingId: request.id }));
    expect(posts.errors).toEqual([]);
    expect(new Set(posts.ok.map((t) => t.id))).toEqual(new Set([postId]));
    expect(await balances(h, payer.id)).toEqual({ balance: 4, pending: 0, available: 4 });
  });

  it('create one account when 20 requests ask for it together', async () => {
    const { ok, errors } = await race(20, () => ledger.residentAccount(fork(h), 'wang-wu', 'qibao-a', LedgerUnit.CREDIT));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((a) => a.id)).size).toBe(1);
  });
});

describe('concurrent spending', () => {
  it('lets exactly 37 of 100 simultaneous transfers through from an account holding 37', async () => {
    const payer = await fundedResident(h, 'qibao-a', 37);
    const count = await transferCount(h);
    const { ok, errors } = await race(100, () => ledger.createTransfer(fork(h), payment(payer, 1)));
    expect(ok.length).toBe(37);
    expect(errors.length).toBe(63);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
    expect(await transferCount(h)).toBe(count + 37);
    expect(await balances(h, payer.id)).toEqual({ balance: 0, pending: 0, available: 0 });
  });

  it('lets exactly 37 of 100 simultaneous pending transfers hold funds, and the rest fail', async () => {
    const payer = await fundedResident(h, 'qibao-a', 37);
    const { ok, errors } = await race(100, () => ledger.createTransfer(fork(h), payment(payer, 1, { pending: { timeoutSeconds: 600 } })));
    expect(ok.length).toBe(37);
    expect(errors.every((e) => e.code === 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(await balances(h, payer.id)).toEqual({ balance: 37, pending: 37, available: 0 });
    // Half posted, half voided, all at once.
    const resolved = await race(ok.length, (i) =>
      i % 2 === 0
        ? ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: ok[i]!.id })
        : ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: ok[i]!.id }),
    );
    expect(resolved.errors).toEqual([]);
    expect(await balances(h, payer.id)).toEqual({ balance: 18, pending: 0, available: 18 });
  });

  it('never deadlocks when two accounts pay each other at the same time', async () => {
    const a = await fundedResident(h, 'qibao-a', 100);
    const b = await fundedResident(h, 'qibao-a', 100);
    const { errors } = await race(60, (i) =>
      ledger.createTransfer(fork(h), i % 2 === 0 ? { ...payment(a, 1), creditAccountId: b.id } : { ...payment(b, 1), creditAccountId: a.id }),
    );
    expect(errors).toEqual([]);
    expect((await balances(h, a.id)).balance).toBe(100);
    expect((await balances(h, b.id)).balance).toBe(100);
  });
});

describe('concurrent resolution of one pending transfer', () => {
  it('lets exactly one of a post and a void win; the loser sees the winner\'s result', async () => {
    for (let round = 0; round < 10; round += 1) {
      const payer = await fundedResident(h, 'qibao-a', 5);
      const pending = await ledger.createTransfer(fork(h), payment(payer, 5, { pending: { timeoutSeconds: 600 } }));
      const [post, voided] = await Promise.allSettled([
        ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id }),
        ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: pending.id }),
      ]);
      const state = await ledger.pendingState(fork(h), pending.id);
      if (state === 'POSTED') {
        expect(post.status).toBe('fulfilled');
        expect(voided.status === 'rejected' && (voided.reason as { extensions: { reason: string } }).extensions.reason).toBe('PENDING_POSTED');
        expect((await balances(h, payer.id)).balance).toBe(0);
      } else {
        expect(state).toBe('VOIDED');
        expect(voided.status).toBe('fulfilled');
        expect(post.status === 'rejected' && (post.reason as { extensions: { reason: string } }).extensions.reason).toBe('PENDING_VOIDED');
        expect((await balances(h, payer.id)).balance).toBe(5);
      }
      expect((await balances(h, payer.id)).pending).toBe(0);
    }
  });

  it('expires each due transfer once while sweepers and late posts race', async () => {
    const payer = await fundedResident(h, 'qibao-a', 20);
    const pendings: ledger.Transfer[] = [];
    for (let i = 0; i < 10; i += 1) pendings.push(await ledger.createTransfer(fork(h), payment(payer, 2, { pending: { timeoutSeconds: 60 } })));
    const late = new Date(Date.now() + 120_000);
    const [sweepA, sweepB, posts] = await Promise.all([
      ledger.expirePendingTransfers(fork(h), late),
      ledger.expirePendingTransfers(fork(h), late),
      race(pendings.length, (i) => ledger.postPendingTransfer(fork(h), { id: randomUUID(), pendingId: pendings[i]!.id }, late)),
    ]);
    expect(posts.ok).toEqual([]);
    expect(posts.errors.every((e) => e.reason === 'PENDING_EXPIRED')).toBe(true);
    expect(sweepA + sweepB).toBeLessThanOrEqual(10);
    for (const p of pendings) expect(await ledger.pendingState(fork(h), p.id)).toBe('EXPIRED');
    expect(await balances(h, payer.id)).toEqual({ balance: 20, pending: 0, available: 20 });
  });
});
