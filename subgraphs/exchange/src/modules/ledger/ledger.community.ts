import { stableUuid } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Community, CommunityStatus } from '../directory/community.entity.js';
import { isUuid } from '../listings/listing.errors.js';
import { Account, AccountKind, balanceOf, LedgerUnit } from './account.entity.js';
import { communityFundAccount, communityIssuanceAccount, communityRevenueAccount, residentAccount } from './ledger.accounts.js';
import { BalanceCapError, CommunityCannotIssueError, InvalidLedgerInputError, NotAnHoursHoldError, ResidentOfAnotherCommunityError } from './ledger.errors.js';
import { createTransfer, MAX_ISSUE_AMOUNT, postPendingTransfer } from './ledger.service.js';
import { lockAccounts, selectTransfer } from './ledger.sql.js';
import { Transfer, TransferCode, TransferPhase } from './transfer.entity.js';

/*
 * What travels between a community's points and time bank and the shared ledger.
 *
 * Who may do what:
 *  - the community's own process (a SERVICE identity whose home is the community) may
 *    create from its ISSUANCE account for its own residents or its fund, pay its own residents
 *    from its FUND, and settle hours holds paid INTO its own REVENUE account; it never debits
 *    a resident;
 *  - a resident moves their own hours only by their own request: `holdHours` (pay for a service
 *    in any community: a pending transfer into that community's REVENUE/HOUR account) and
 *    `donateHours` (to their home community's FUND).
 *
 * Every call is idempotent by the transfer id its caller chose.
 */

/** An hours hold lasts at most this long unless the community settles it (90 days). */
export const HOURS_HOLD_TIMEOUT_SECONDS = 90 * 86_400;
/** Largest hours one hold, donation or payment may move. */
export const MAX_HOURS = 1_000;

export interface CommunityIssue {
  communityId: string;
  /** A resident of the community; null: into the community's own FUND. */
  residentId: string | null;
  amount: number;
  unit: LedgerUnit;
  memo?: string | null;
  reference?: string | null;
  /** Refuse (CONFLICT BALANCE_CAP) if the resident's balance would exceed this. */
  maxBalance?: number | null;
  transferId: string;
}

/**
 * Creates `amount` in the community's ISSUANCE account for one of its residents (code ISSUE),
 * or into its FUND. With `maxBalance`, the resident's posted balance after the issue may not
 * exceed it: checked under both accounts' locks, taken in id order as every transfer takes them.
 */
export async function issueFromCommunity(em: EntityManager, input: CommunityIssue): Promise<Transfer> {
  checkAmount(input.amount, MAX_ISSUE_AMOUNT);
  checkTransferId(input.transferId);
  await requireActiveCommunity(em, input.communityId);
  const issuance = await communityIssuanceAccount(em, input.communityId, input.unit);
  const target = input.residentId === null ? await communityFundAccount(em, input.communityId, input.unit) : await ownResident(em, input.communityId, input.residentId, input.unit);
  const request = {
    id: input.transferId,
    debitAccountId: issuance.id,
    creditAccountId: target.id,
    amount: input.amount,
    unit: input.unit,
    code: TransferCode.ISSUE,
    memo: input.memo ?? null,
    reference: input.reference ?? null,
  };
  const maxBalance = input.maxBalance ?? null;
  if (maxBalance === null || input.residentId === null) return createTransfer(em, request);
  return em.transactional(async (tx) => {
    // A replay answers with the first transfer, whatever the balance is now.
    if (await selectTransfer(tx, request.id.toLowerCase())) return createTransfer(tx, request);
    const locked = (await lockAccounts(tx, [issuance.id, target.id])).get(target.id);
    const balance = locked ? balanceOf(locked) : 0;
    if (balance + input.amount > maxBalance) throw new BalanceCapError(target.id, balance, input.amount, maxBalance);
    return createTransfer(tx, request);
  });
}

/** Pays a resident of the community from its FUND (code TRANSFER); the fund never goes below zero. */
export async function payFromCommunityFund(
  em: EntityManager,
  input: { communityId: string; residentId: string; amount: number; unit: LedgerUnit; memo?: string | null; reference?: string | null; transferId: string },
): Promise<Transfer> {
  checkAmount(input.amount, MAX_HOURS);
  checkTransferId(input.transferId);
  await requireActiveCommunity(em, input.communityId);
  const fund = await communityFundAccount(em, input.communityId, input.unit);
  const resident = await ownResident(em, input.communityId, input.residentId, input.unit);
  return createTransfer(em, {
    id: input.transferId,
    debitAccountId: fund.id,
    creditAccountId: resident.id,
    amount: input.amount,
    unit: input.unit,
    code: TransferCode.TRANSFER,
    memo: input.memo ?? null,
    reference: input.reference ?? null,
  });
}

/**
 * A resident's own hours set aside to pay for a service in `communityId` (which may be any
 * member): a pending HOUR transfer, code BOOKING (so settlement counts it between communities
 * as it counts bookings), from their HOUR account into that community's REVENUE/HOUR account.
 * The community settles it once the service is confirmed (`settleHoursHold`); unsettled,
 * it expires and the hours come back.
 */
export async function holdHours(
  em: EntityManager,
  payer: { userId: string; homeCommunityId: string },
  input: { communityId: string; hours: number; reference: string; transferId: string },
): Promise<Transfer> {
  checkAmount(input.hours, MAX_HOURS);
  checkTransferId(input.transferId);
  await requireActiveCommunity(em, input.communityId);
  const from = await residentAccount(em, payer.userId, payer.homeCommunityId, LedgerUnit.HOUR);
  const to = await communityRevenueAccount(em, input.communityId, LedgerUnit.HOUR);
  return createTransfer(em, {
    id: input.transferId,
    debitAccountId: from.id,
    creditAccountId: to.id,
    amount: input.hours,
    unit: LedgerUnit.HOUR,
    code: TransferCode.BOOKING,
    memo: '时间银行服务 (Time-bank service)',
    reference: input.reference,
    pending: { timeoutSeconds: HOURS_HOLD_TIMEOUT_SECONDS },
  });
}

/** A resident gives hours to their home community's FUND. */
export async function donateHours(em: EntityManager, donor: { userId: string; homeCommunityId: string }, input: { hours: number; transferId: string }): Promise<Transfer> {
  checkAmount(input.hours, MAX_HOURS);
  checkTransferId(input.transferId);
  const from = await residentAccount(em, donor.userId, donor.homeCommunityId, LedgerUnit.HOUR);
  const to = await communityFundAccount(em, donor.homeCommunityId, LedgerUnit.HOUR);
  return createTransfer(em, {
    id: input.transferId,
    debitAccountId: from.id,
    creditAccountId: to.id,
    amount: input.hours,
    unit: LedgerUnit.HOUR,
    code: TransferCode.TRANSFER,
    memo: '捐赠时间 (Donated hours)',
  });
}

/** The hours hold `id` if it pays into `communityId`'s REVENUE/HOUR account; null otherwise. */
export async function findHoursHold(em: EntityManager, communityId: string, id: string): Promise<Transfer | null> {
  if (!isUuid(id)) return null;
  const hold = await selectTransfer(em, id.toLowerCase());
  if (!hold || hold.phase !== TransferPhase.PENDING || hold.unit !== LedgerUnit.HOUR || hold.code !== TransferCode.BOOKING) return null;
  const revenue = await em.findOne(Account, { id: hold.creditAccountId, kind: AccountKind.COMMUNITY_REVENUE, holderId: communityId, unit: LedgerUnit.HOUR });
  return revenue ? em.map(Transfer, hold.raw) : null;
}

/**
 * Pays the serving volunteer from an hours hold, in one transaction: posts the hold (the
 * payer's hours reach the community's REVENUE/HOUR account) and moves the same hours on to
 * the volunteer (code TRANSFER). Both ids are derived from `transferId`, so a replay finds
 * both done and answers with the second.
 */
export async function settleHoursHold(
  em: EntityManager,
  input: { communityId: string; holdId: string; residentId: string; transferId: string },
): Promise<Transfer> {
  checkTransferId(input.transferId);
  const hold = await findHoursHold(em, input.communityId, input.holdId);
  if (!hold) throw new NotAnHoursHoldError(input.holdId, input.communityId);
  const revenue = await communityRevenueAccount(em, input.communityId, LedgerUnit.HOUR);
  const volunteer = await ownResident(em, input.communityId, input.residentId, LedgerUnit.HOUR);
  return em.transactional(async (tx) => {
    await postPendingTransfer(tx, { id: stableUuid(`hours-hold-post:${input.transferId.toLowerCase()}`), pendingId: hold.id });
    return createTransfer(tx, {
      id: input.transferId,
      debitAccountId: revenue.id,
      creditAccountId: volunteer.id,
      amount: hold.amount,
      unit: LedgerUnit.HOUR,
      code: TransferCode.TRANSFER,
      memo: '时间银行服务报酬 (Paid for a time-bank service)',
      reference: hold.reference,
    });
  });
}

async function ownResident(em: EntityManager, communityId: string, residentId: string, unit: LedgerUnit): Promise<Account> {
  const account = await residentAccount(em, residentId, communityId, unit);
  if (account.community?.id !== communityId) throw new ResidentOfAnotherCommunityError(residentId, communityId);
  return account;
}

async function requireActiveCommunity(em: EntityManager, communityId: string): Promise<void> {
  const community = await em.findOne(Community, { id: communityId }, { refresh: true });
  if (!community) throw new CommunityCannotIssueError(communityId, 'UNKNOWN');
  if (community.status !== CommunityStatus.ACTIVE) throw new CommunityCannotIssueError(communityId, community.status);
}

function checkAmount(amount: number, max: number): void {
  if (!Number.isInteger(amount) || amount < 1 || amount > max) {
    throw new InvalidLedgerInputError(`数量必须在 1 到 ${max} 之间`, `amount must be between 1 and ${max}`, 'amount');
  }
}

function checkTransferId(id: string): void {
  if (!isUuid(id)) throw new InvalidLedgerInputError('幂等键必须是 UUID', 'The idempotency key must be a UUID', 'idempotencyKey');
}
