import { ForeignKeyConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { isUuid } from '../listings/listing.errors.js';
import { Account, AccountKind, availableOf, FEDERATION_HOLDER, type LedgerUnit } from './account.entity.js';
import { AccountNotFoundError, InvalidLedgerInputError, LimitBelowBalanceError, UnknownCommunityError } from './ledger.errors.js';
import { lockAccounts } from './ledger.sql.js';

/** Residents and revenue accounts may not go below zero; issuance and federation accounts may. */
export const DEFAULT_LIMIT: Record<AccountKind, number | null> = {
  [AccountKind.RESIDENT]: 0,
  [AccountKind.COMMUNITY_REVENUE]: 0,
  [AccountKind.COMMUNITY_ISSUANCE]: null,
  [AccountKind.FEDERATION]: null,
  [AccountKind.COMMUNITY_FUND]: 0,
};

export interface AccountSpec {
  kind: AccountKind;
  /** User id (RESIDENT), community id (COMMUNITY_*), or `federation`. */
  holderId: string;
  unit: LedgerUnit;
  /** RESIDENT: the resident's home community (required). COMMUNITY_*: the holder. FEDERATION: none. */
  communityId?: string | null;
}

/**
 * The one account of (kind, holder, unit), created on first use. Safe under races: the
 * insert does nothing when another request created it first, and the select then finds it.
 * An existing account is returned as it is (its community is not changed).
 */
export async function ensureAccount(em: EntityManager, spec: AccountSpec): Promise<Account> {
  const { kind, holderId, unit } = spec;
  const communityId = communityOf(spec);
  if (holderId.length < 1 || holderId.length > 200) throw new InvalidLedgerInputError('持有者 ID 无效', 'Invalid holder id', 'holderId');
  try {
    return await em.transactional(
      async (tx) => {
        const inserted = await tx.execute<Record<string, unknown>[]>(
          `insert into ledger_account (id, kind, holder_id, unit, community_id, "limit", created_at)
           values (?, ?, ?, ?, ?, ?, ?)
           on conflict on constraint ledger_account_kind_holder_id_unit_unique do nothing
           returning *`,
          [randomUUID(), kind, holderId, unit, communityId, DEFAULT_LIMIT[kind], new Date().toISOString()],
        );
        const row =
          inserted[0] ??
          (await tx.execute<Record<string, unknown>[]>(`select * from ledger_account where kind = ? and holder_id = ? and unit = ?`, [kind, holderId, unit]))[0];
        if (!row) throw new Error(`ledger account ${kind}/${holderId}/${unit} vanished`);
        return tx.map(Account, row);
      },
      { clear: true },
    );
  } catch (error) {
    if (error instanceof ForeignKeyConstraintViolationException && communityId) throw new UnknownCommunityError(communityId);
    throw error;
  }
}

export function residentAccount(em: EntityManager, userId: string, homeCommunityId: string, unit: LedgerUnit): Promise<Account> {
  return ensureAccount(em, { kind: AccountKind.RESIDENT, holderId: userId, unit, communityId: homeCommunityId });
}

export function communityRevenueAccount(em: EntityManager, communityId: string, unit: LedgerUnit): Promise<Account> {
  return ensureAccount(em, { kind: AccountKind.COMMUNITY_REVENUE, holderId: communityId, unit });
}

export function communityIssuanceAccount(em: EntityManager, communityId: string, unit: LedgerUnit): Promise<Account> {
  return ensureAccount(em, { kind: AccountKind.COMMUNITY_ISSUANCE, holderId: communityId, unit });
}

/** What residents gave the community (time-bank hours), for its staff to allocate. */
export function communityFundAccount(em: EntityManager, communityId: string, unit: LedgerUnit): Promise<Account> {
  return ensureAccount(em, { kind: AccountKind.COMMUNITY_FUND, holderId: communityId, unit });
}

/** The federation's settlement (clearing) account of a unit; it has no limit. */
export function federationAccount(em: EntityManager, unit: LedgerUnit): Promise<Account> {
  return ensureAccount(em, { kind: AccountKind.FEDERATION, holderId: FEDERATION_HOLDER, unit });
}

/** Read fresh from the database (never a copy an earlier step of the request left in the identity map). */
export async function getAccount(em: EntityManager, id: string): Promise<Account | null> {
  return isUuid(id) ? em.findOne(Account, { id }, { refresh: true }) : null;
}

export async function getAccounts(em: EntityManager, ids: readonly string[]): Promise<Account[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? em.find(Account, { id: { $in: valid } }, { refresh: true }) : [];
}

/** A resident's own accounts (the ones that exist: they are created on first use), CREDIT before HOUR. */
export async function residentAccounts(em: EntityManager, userId: string): Promise<Account[]> {
  return em.find(Account, { kind: AccountKind.RESIDENT, holderId: userId }, { orderBy: { unit: 'asc' }, refresh: true });
}

/**
 * Sets how far below zero an account may go (null: without limit). Refused when the
 * account already owes more than the new limit allows, so that no limited account is
 * ever below its limit.
 */
export async function setAccountLimit(em: EntityManager, accountId: string, limit: number | null): Promise<Account> {
  if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new InvalidLedgerInputError('额度必须是非负整数', 'limit must be a non-negative integer', 'limit');
  }
  if (!isUuid(accountId)) throw new AccountNotFoundError(accountId);
  return em.transactional(
    async (tx) => {
      const account = (await lockAccounts(tx, [accountId])).get(accountId);
      if (!account) throw new AccountNotFoundError(accountId);
      const available = availableOf(account);
      if (limit !== null && available < -limit) throw new LimitBelowBalanceError(accountId, available, limit);
      const [row] = await tx.execute<Record<string, unknown>[]>(`update ledger_account set "limit" = ? where id = ? returning *`, [limit, accountId]);
      if (!row) throw new AccountNotFoundError(accountId);
      return tx.map(Account, row);
    },
    { clear: true },
  );
}

function communityOf(spec: AccountSpec): string | null {
  switch (spec.kind) {
    case AccountKind.RESIDENT:
      if (!spec.communityId) throw new InvalidLedgerInputError('居民账户需要所属社区', 'A resident account needs a home community', 'communityId');
      return spec.communityId;
    case AccountKind.COMMUNITY_REVENUE:
    case AccountKind.COMMUNITY_ISSUANCE:
    case AccountKind.COMMUNITY_FUND:
      if (spec.communityId && spec.communityId !== spec.holderId) {
        throw new InvalidLedgerInputError('社区账户的持有者即其社区', 'A community account is held by its own community', 'communityId');
      }
      return spec.holderId;
    case AccountKind.FEDERATION:
      if (spec.holderId !== FEDERATION_HOLDER || spec.communityId) {
        throw new InvalidLedgerInputError('联邦账户的持有者为 federation', `A federation account is held by "${FEDERATION_HOLDER}"`, 'holderId');
      }
      return null;
  }
}
