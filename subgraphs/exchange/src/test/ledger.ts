import { randomUUID } from 'node:crypto';
import { Role, type Viewer } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import { LedgerUnit, type Account } from '../modules/ledger/account.entity.js';
import * as ledger from '../modules/ledger/ledger.service.js';
import type { ExchangeHarness, GraphQLBody } from './harness.js';

export const admin = (communityId: string, userId = `admin-${communityId}`): Viewer => ({
  userId,
  homeCommunityId: communityId,
  roles: [Role.COMMUNITY_ADMIN],
});

export const ISSUE = `mutation($input: IssueCreditInput!) {
  issueCredit(input: $input) {
    id code amount unit debitAccountId creditAccountId phase state pendingId memo reference createdAt timeoutAt
  }
}`;

export interface TransferData {
  id: string;
  code: string;
  amount: number;
  unit: string;
  debitAccountId: string;
  creditAccountId: string;
  phase: string;
  state: string;
  pendingId: string | null;
  memo: string | null;
  reference: string | null;
  createdAt: string;
  timeoutAt: string | null;
}

export interface AccountData {
  id: string;
  kind: string;
  unit: string;
  holderId: string;
  communityId: string | null;
  balance: number;
  pending: number;
  available: number;
  limit: number | null;
}

export const ACCOUNT_FIELDS = 'id kind unit holderId communityId balance pending available limit';

export async function issue(
  h: ExchangeHarness,
  viewer: Viewer,
  input: Partial<{ residentId: string; amount: number; unit: string; memo: string | null; idempotencyKey: string }>,
): Promise<GraphQLBody<{ issueCredit: TransferData }>> {
  const full = { residentId: 'someone', amount: 10, idempotencyKey: randomUUID(), ...input };
  return (await h.request<{ issueCredit: TransferData }>(ISSUE, { input: full }, viewer)).body;
}

/** A fresh EntityManager, as each concurrent caller of the service would have. */
export function fork(h: ExchangeHarness): EntityManager {
  return h.subgraph.orm.em.fork();
}

/** Credits a new resident of `communityId` with `amount` from the community's issuance, through the service. */
export async function fundedResident(h: ExchangeHarness, communityId: string, amount: number, unit = LedgerUnit.CREDIT): Promise<Account> {
  const userId = `resident-${randomUUID()}`;
  if (amount > 0) {
    await ledger.issueCredit(fork(h), { communityId, residentId: userId, amount, unit, transferId: randomUUID() });
  }
  return ledger.residentAccount(fork(h), userId, communityId, unit);
}

/** The account as stored now. */
export async function reload(h: ExchangeHarness, accountId: string): Promise<Account> {
  const account = await ledger.getAccount(fork(h), accountId);
  if (!account) throw new Error(`account ${accountId} not found`);
  return account;
}

export async function balances(h: ExchangeHarness, accountId: string): Promise<{ balance: number; pending: number; available: number }> {
  const a = await reload(h, accountId);
  return { balance: a.creditsPosted - a.debitsPosted, pending: a.debitsPending, available: a.creditsPosted - a.debitsPosted - a.debitsPending };
}

export async function transferCount(h: ExchangeHarness): Promise<number> {
  const [row] = await fork(h).execute<Array<{ n: string }>>(`select count(*) as n from ledger_transfer`);
  return Number(row?.n ?? 0);
}

/** Invariant 2: every total agrees with the transfers, and each unit sums to zero. */
export async function expectSoundLedger(h: ExchangeHarness): Promise<void> {
  const audit = await ledger.auditLedger(fork(h));
  expect(audit.mismatches).toEqual([]);
  for (const sum of Object.values(audit.sumByUnit)) expect(sum).toBe(0);
  for (const sum of Object.values(audit.pendingSumByUnit)) expect(sum).toBe(0);
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<{ code: string; extensions: Record<string, unknown>; message: string }> {
  try {
    await fn();
  } catch (error) {
    const extensions = ((error as { extensions?: Record<string, unknown> }).extensions ?? {}) as Record<string, unknown>;
    return { code: String(extensions.code), extensions, message: (error as Error).message };
  }
  throw new Error('expected an error');
}
