import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Community, CommunityStatus } from '../directory/community.entity.js';
import { isUuid } from '../listings/listing.errors.js';
import { availableOf, balanceOf, LedgerUnit } from './account.entity.js';
import { communityIssuanceAccount, residentAccount } from './ledger.accounts.js';
import {
  AccountNotFoundError,
  CommunityCannotIssueError,
  InsufficientFundsError,
  InvalidLedgerInputError,
  PendingTransferConflictError,
  PendingTransferNotFoundError,
  ResidentOfAnotherCommunityError,
  TransferIdReusedError,
} from './ledger.errors.js';
import {
  applyTotals,
  insertTransfer,
  lockAccounts,
  selectDuePending,
  selectResolution,
  selectTransfer,
  setPendingState,
  type AccountTotals,
  type TransferRow,
} from './ledger.sql.js';
import { stateAt, Transfer, TransferCode, TransferPhase, TransferState } from './transfer.entity.js';

/**
 * The shared credit ledger's rules, and its whole in-process API (`ledgerService`): every
 * function takes an EntityManager and runs its own transaction (a savepoint inside the
 * caller's, if it has one), so a caller needs no transaction of its own.
 */
export * from './ledger.accounts.js';
export * from './ledger.history.js';
export { auditLedger, type AccountTotalField, type LedgerAudit, type LedgerMismatch } from './ledger.audit.js';
export { Account, AccountKind, LedgerUnit } from './account.entity.js';
export { Transfer, TransferCode, TransferPhase, TransferState } from './transfer.entity.js';

/** Largest amount of one transfer: what a GraphQL Int can carry. */
export const MAX_TRANSFER_AMOUNT = 2_147_483_647;
/** Largest amount one issueCredit may create. */
export const MAX_ISSUE_AMOUNT = 1_000_000;
/** A pending transfer holds funds for at most this long (one year). */
export const MAX_TIMEOUT_SECONDS = 366 * 24 * 3600;

export interface TransferRequest {
  /** Client-chosen UUID: the idempotency key. */
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** A positive integer, at most MAX_TRANSFER_AMOUNT. */
  amount: number;
  unit: LedgerUnit;
  code: TransferCode;
  memo?: string | null;
  /** What the transfer belongs to, e.g. a booking id. */
  reference?: string | null;
  /** Makes it a pending transfer that holds the amount until posted, voided or expired. */
  pending?: { timeoutSeconds: number } | null;
}

export interface PendingResolution {
  /** Client-chosen UUID of the post or void: the idempotency key. */
  id: string;
  pendingId: string;
}

export type PendingState = 'PENDING' | 'POSTED' | 'VOIDED' | 'EXPIRED';

// ---------------------------------------------------------------------------------------
// Transfers

/**
 * Moves `amount` from the debit to the credit account, at once or as a pending transfer.
 * One transaction: lock both accounts in id order, check the debit account's limit, insert
 * the transfer, add to both accounts' totals. A transfer with this id already there is
 * returned unchanged when every field matches (the pending timeout excepted; also when
 * identical requests race), and is TRANSFER_ID_REUSED otherwise.
 */
export async function createTransfer(em: EntityManager, request: TransferRequest, now = new Date()): Promise<Transfer> {
  const t = checkTransferRequest(request, now);
  return em.transactional(
    async (tx) => {
      const previous = await selectTransfer(tx, t.id);
      if (previous) return sameTransferOrConflict(tx, previous, t);

      const accounts = await lockAccounts(tx, [t.debitAccountId, t.creditAccountId]);
      const debit = accounts.get(t.debitAccountId);
      const credit = accounts.get(t.creditAccountId);
      if (!debit) throw new AccountNotFoundError(t.debitAccountId);
      if (!credit) throw new AccountNotFoundError(t.creditAccountId);
      for (const account of [debit, credit]) {
        if (account.unit !== t.unit) {
          throw new InvalidLedgerInputError('账户单位与转账单位不符', `Account ${account.id} keeps ${account.unit}, not ${t.unit}`, 'unit', {
            reason: 'UNIT_MISMATCH',
            accountId: account.id,
          });
        }
      }
      // An identical request may have committed while this one waited for the locks: its
      // transfer is the answer, not a second debit (nor INSUFFICIENT_FUNDS for lack of it).
      const raced = await selectTransfer(tx, t.id);
      if (raced) return sameTransferOrConflict(tx, raced, t);

      requireFunds(debit, t.amount);
      const inserted = await insertTransfer(tx, t);
      if (!inserted) return sameTransferOrConflict(tx, await mustSelect(tx, t.id), t);
      const pending = t.phase === TransferPhase.PENDING;
      await applyTotals(tx, debit.id, pending ? { debitsPending: t.amount } : { debitsPosted: t.amount });
      await applyTotals(tx, credit.id, pending ? { creditsPending: t.amount } : { creditsPosted: t.amount });
      return tx.map(Transfer, inserted.raw);
    },
    { clear: true },
  );
}

/**
 * Posts a pending transfer: its amount moves from the pending into the posted totals.
 * Idempotent by `id`. A pending transfer already posted (under any id) answers with that
 * post; one that was voided answers CONFLICT `PENDING_VOIDED`; one past its timeout is
 * voided now (and stays voided) and answers CONFLICT `PENDING_EXPIRED`.
 */
export async function postPendingTransfer(em: EntityManager, input: PendingResolution, now = new Date()): Promise<Transfer> {
  const resolution = await resolvePending(em, input, TransferPhase.POST_PENDING, now);
  // Found expired: the void that expired it is committed, and the post is refused.
  if (resolution.phase !== TransferPhase.POST_PENDING) throw new PendingTransferConflictError(input.pendingId.toLowerCase(), 'PENDING_EXPIRED');
  return resolution;
}

/**
 * Voids a pending transfer: the amount it held is released. Idempotent by `id`. A pending
 * transfer already voided or expired answers with that void; one already posted answers
 * CONFLICT `PENDING_POSTED`.
 */
export function voidPendingTransfer(em: EntityManager, input: PendingResolution, now = new Date()): Promise<Transfer> {
  return resolvePending(em, input, TransferPhase.VOID_PENDING, now);
}

/** Null when there is no pending transfer with this id. Past its timeout, a pending transfer is EXPIRED. */
export async function pendingState(em: EntityManager, pendingId: string, now = new Date()): Promise<PendingState | null> {
  if (!isUuid(pendingId)) return null;
  const row = await selectTransfer(em, pendingId.toLowerCase());
  if (!row || row.phase !== TransferPhase.PENDING) return null;
  return stateAt(row, now);
}

/**
 * Voids every pending transfer whose timeout has passed by `now`, each in its own short
 * transaction (so that a sweep never holds many accounts' locks at once). Returns how many
 * this call expired; ones posted or voided meanwhile by someone else are left alone.
 */
export async function expirePendingTransfers(em: EntityManager, now = new Date()): Promise<number> {
  const batch = 100;
  let expired = 0;
  for (;;) {
    const due = await selectDuePending(em, now, batch);
    for (const pendingId of due) {
      if (await expireOne(em, pendingId, now)) expired += 1;
    }
    if (due.length < batch) return expired;
  }
}

/**
 * Credit created by a community for one of its residents: a transfer from the community's
 * ISSUANCE account to the resident's account, code ISSUE. The resident's account is the
 * community's: an account that already belongs to another home community is FORBIDDEN.
 */
export async function issueCredit(
  em: EntityManager,
  input: { communityId: string; residentId: string; amount: number; unit: LedgerUnit; memo?: string | null; transferId: string },
): Promise<Transfer> {
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > MAX_ISSUE_AMOUNT) {
    throw new InvalidLedgerInputError(`数量必须在 1 到 ${MAX_ISSUE_AMOUNT} 之间`, `amount must be between 1 and ${MAX_ISSUE_AMOUNT}`, 'amount');
  }
  const community = await em.findOne(Community, { id: input.communityId }, { refresh: true });
  if (!community) throw new CommunityCannotIssueError(input.communityId, 'UNKNOWN');
  if (community.status !== CommunityStatus.ACTIVE) throw new CommunityCannotIssueError(input.communityId, community.status);
  const resident = await residentAccount(em, input.residentId, input.communityId, input.unit);
  if (resident.community?.id !== input.communityId) throw new ResidentOfAnotherCommunityError(input.residentId, input.communityId);
  const issuance = await communityIssuanceAccount(em, input.communityId, input.unit);
  return createTransfer(em, {
    id: input.transferId,
    debitAccountId: issuance.id,
    creditAccountId: resident.id,
    amount: input.amount,
    unit: input.unit,
    code: TransferCode.ISSUE,
    memo: input.memo ?? null,
  });
}

// ---------------------------------------------------------------------------------------
// Rules

type CheckedTransfer = Omit<TransferRow, 'raw'>;

function checkTransferRequest(r: TransferRequest, now: Date): CheckedTransfer {
  if (!isUuid(r.id)) throw new InvalidLedgerInputError('转账 ID 必须是 UUID', 'The transfer id must be a UUID', 'id');
  if (!isUuid(r.debitAccountId)) throw new AccountNotFoundError(r.debitAccountId);
  if (!isUuid(r.creditAccountId)) throw new AccountNotFoundError(r.creditAccountId);
  if (r.debitAccountId === r.creditAccountId) {
    throw new InvalidLedgerInputError('借贷账户必须不同', 'The debit and credit accounts must differ', 'creditAccountId');
  }
  if (!Number.isSafeInteger(r.amount) || r.amount < 1 || r.amount > MAX_TRANSFER_AMOUNT) {
    throw new InvalidLedgerInputError('金额必须是正整数', `amount must be an integer from 1 to ${MAX_TRANSFER_AMOUNT}`, 'amount');
  }
  if (!Object.values(LedgerUnit).includes(r.unit)) throw new InvalidLedgerInputError('单位无效', 'Unknown unit', 'unit');
  if (!Object.values(TransferCode).includes(r.code)) throw new InvalidLedgerInputError('用途无效', 'Unknown transfer code', 'code');
  const memo = r.memo ?? null;
  if (memo !== null && memo.length > 500) throw new InvalidLedgerInputError('备注过长', 'memo is longer than 500 characters', 'memo');
  const reference = r.reference ?? null;
  if (reference !== null && (reference.length < 1 || reference.length > 200)) {
    throw new InvalidLedgerInputError('业务引用无效', 'reference must be 1 to 200 characters', 'reference');
  }
  let timeoutAt: Date | null = null;
  if (r.pending) {
    const seconds = r.pending.timeoutSeconds;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new InvalidLedgerInputError('超时必须在 1 秒到一年之间', `timeoutSeconds must be from 1 to ${MAX_TIMEOUT_SECONDS}`, 'pending.timeoutSeconds');
    }
    timeoutAt = new Date(now.getTime() + seconds * 1000);
  }
  return {
    id: r.id.toLowerCase(),
    debitAccountId: r.debitAccountId.toLowerCase(),
    creditAccountId: r.creditAccountId.toLowerCase(),
    amount: r.amount,
    unit: r.unit,
    code: r.code,
    phase: r.pending ? TransferPhase.PENDING : TransferPhase.SINGLE_PHASE,
    state: r.pending ? TransferState.PENDING : TransferState.POSTED,
    pendingId: null,
    memo,
    reference,
    timeoutAt,
    createdAt: now,
  };
}

/** A limited account's available balance may not fall below −limit. */
function requireFunds(account: AccountTotals, amount: number): void {
  if (account.limit === null) return;
  const available = availableOf(account);
  if (available - amount < -account.limit) {
    throw new InsufficientFundsError({ accountId: account.id, unit: account.unit, balance: balanceOf(account), available, required: amount });
  }
}

/**
 * Every field of the transfer must match, except the pending timeout: it is a duration
 * counted from the request, which a retry often recomputes from its own clock (time left
 * until a deadline); the first request's timeout stands.
 */
function sameTransferOrConflict(tx: EntityManager, existing: TransferRow, t: CheckedTransfer): Transfer {
  const same =
    existing.phase === t.phase &&
    existing.debitAccountId === t.debitAccountId &&
    existing.creditAccountId === t.creditAccountId &&
    existing.amount === t.amount &&
    existing.unit === t.unit &&
    existing.code === t.code &&
    existing.memo === t.memo &&
    existing.reference === t.reference;
  if (!same) throw new TransferIdReusedError(t.id);
  return tx.map(Transfer, existing.raw);
}

/**
 * The second phase, in one transaction: lock the two accounts (id order, as every ledger
 * transaction does), then the pending row, and only then decide from its state — so that
 * of a post and a void racing, exactly one wins and the other sees its result. A pending
 * transfer found past its timeout is expired instead, and that void is the answer.
 */
async function resolvePending(em: EntityManager, input: PendingResolution, phase: TransferPhase, now: Date): Promise<Transfer> {
  if (!isUuid(input.id)) throw new InvalidLedgerInputError('转账 ID 必须是 UUID', 'The transfer id must be a UUID', 'id');
  if (!isUuid(input.pendingId)) throw new PendingTransferNotFoundError(input.pendingId);
  const id = input.id.toLowerCase();
  const pendingId = input.pendingId.toLowerCase();
  if (id === pendingId) throw new InvalidLedgerInputError('转账 ID 不能与待定转账相同', 'The id must differ from pendingId', 'id');
  return em.transactional(
    async (tx): Promise<Transfer> => {
      const own = await selectTransfer(tx, id);
      if (own) return sameResolutionOrConflict(tx, own, phase, pendingId);
      const first = await selectTransfer(tx, pendingId);
      if (!first) throw new PendingTransferNotFoundError(pendingId);
      if (first.phase !== TransferPhase.PENDING) {
        throw new InvalidLedgerInputError('该转账不是待定转账', 'That transfer is not pending', 'pendingId', { reason: 'NOT_PENDING', pendingId });
      }
      await lockAccounts(tx, [first.debitAccountId, first.creditAccountId]);
      const pending = await mustSelect(tx, pendingId, { forUpdate: true });
      const ownNow = await selectTransfer(tx, id);
      if (ownNow) return sameResolutionOrConflict(tx, ownNow, phase, pendingId);

      switch (pending.state) {
        case TransferState.PENDING: {
          if (pending.timeoutAt && pending.timeoutAt <= now) {
            return resolve(tx, pending, TransferPhase.VOID_PENDING, TransferState.EXPIRED, randomUUID(), now);
          }
          const state = phase === TransferPhase.POST_PENDING ? TransferState.POSTED : TransferState.VOIDED;
          return resolve(tx, pending, phase, state, id, now);
        }
        case TransferState.POSTED:
          if (phase === TransferPhase.POST_PENDING) return existingResolution(tx, pendingId);
          throw new PendingTransferConflictError(pendingId, 'PENDING_POSTED');
        case TransferState.VOIDED:
        case TransferState.EXPIRED:
          if (phase === TransferPhase.VOID_PENDING) return existingResolution(tx, pendingId);
          throw new PendingTransferConflictError(pendingId, pending.state === TransferState.VOIDED ? 'PENDING_VOIDED' : 'PENDING_EXPIRED');
      }
    },
    { clear: true },
  );
}

/** Expires one pending transfer if it is still unresolved and due; false otherwise. */
async function expireOne(em: EntityManager, pendingId: string, now: Date): Promise<boolean> {
  return em.transactional(
    async (tx) => {
      const first = await selectTransfer(tx, pendingId);
      if (!first || first.phase !== TransferPhase.PENDING) return false;
      await lockAccounts(tx, [first.debitAccountId, first.creditAccountId]);
      const pending = await mustSelect(tx, pendingId, { forUpdate: true });
      if (pending.state !== TransferState.PENDING || !pending.timeoutAt || pending.timeoutAt > now) return false;
      await resolve(tx, pending, TransferPhase.VOID_PENDING, TransferState.EXPIRED, randomUUID(), now);
      return true;
    },
    { clear: true },
  );
}

/**
 * Inserts the post or void (same accounts, amount, unit, code, memo and reference as the
 * pending transfer), marks the pending row, and moves the totals. The caller holds the
 * locks on both accounts and on the pending row.
 */
async function resolve(tx: EntityManager, pending: TransferRow, phase: TransferPhase, state: TransferState, id: string, now: Date): Promise<Transfer> {
  const inserted = await insertTransfer(tx, {
    id,
    debitAccountId: pending.debitAccountId,
    creditAccountId: pending.creditAccountId,
    amount: pending.amount,
    unit: pending.unit,
    code: pending.code,
    phase,
    state,
    pendingId: pending.id,
    memo: pending.memo,
    reference: pending.reference,
    timeoutAt: null,
    createdAt: now,
  });
  // The id was taken by an unrelated transfer committed meanwhile.
  if (!inserted) return sameResolutionOrConflict(tx, await mustSelect(tx, id), phase, pending.id);
  await setPendingState(tx, pending.id, state);
  const amount = pending.amount;
  if (phase === TransferPhase.POST_PENDING) {
    await applyTotals(tx, pending.debitAccountId, { debitsPending: -amount, debitsPosted: amount });
    await applyTotals(tx, pending.creditAccountId, { creditsPending: -amount, creditsPosted: amount });
  } else {
    await applyTotals(tx, pending.debitAccountId, { debitsPending: -amount });
    await applyTotals(tx, pending.creditAccountId, { creditsPending: -amount });
  }
  return tx.map(Transfer, inserted.raw);
}

function sameResolutionOrConflict(tx: EntityManager, existing: TransferRow, phase: TransferPhase, pendingId: string): Transfer {
  if (existing.phase !== phase || existing.pendingId !== pendingId) throw new TransferIdReusedError(existing.id);
  return tx.map(Transfer, existing.raw);
}

async function existingResolution(tx: EntityManager, pendingId: string): Promise<Transfer> {
  const resolution = await selectResolution(tx, pendingId);
  if (!resolution) throw new Error(`pending transfer ${pendingId} is resolved but has no resolution`);
  return tx.map(Transfer, resolution.raw);
}

async function mustSelect(tx: EntityManager, id: string, options: { forUpdate?: boolean } = {}): Promise<TransferRow> {
  const row = await selectTransfer(tx, id, options);
  if (!row) throw new Error(`ledger transfer ${id} vanished`);
  return row;
}

