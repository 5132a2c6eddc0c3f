import { decodeCursor, encodeCursor, pageSize } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { monthDays, monthOf } from '../../calendar.js';
import { isUuid } from '../resources/resource.errors.js';
import {
  IdempotencyKeyReusedError,
  NotEnoughPointsError,
  PointsCapReachedError,
  RuleInactiveError,
  RuleNotFoundError,
  type PointsCap,
} from './points.errors.js';
import { PointsAccount, PointsActivity, PointsEntry, PointsEntryKind, PointsRule, PointsSettings } from './points.entity.js';

/*
 * The points ledger. Every change of a resident's points is one append-only entry plus the
 * new balance on their `points_account` row, written in one transaction that first locks
 * that row: so a resident's awards, redemptions and conversions run one after another, and
 * caps and balances are checked against what is committed. Entries are idempotent by their
 * unique key; a retried write finds the first and changes nothing.
 */

// ---------------------------------------------------------------------------------------
// Settings and rules

/** The community's policy: its row, or the defaults until an admin changes something. */
export async function getSettings(em: EntityManager): Promise<PointsSettings> {
  return (await em.findOne(PointsSettings, { id: 1 }, { refresh: true })) ?? new PointsSettings();
}

export interface SettingsPatch {
  pointsPerCredit?: number | null;
  monthlyConversionCapCredits?: number | null;
  dailyEarningCap?: number | null;
  monthlyEarningCap?: number | null;
  /** Set the earning caps to none (null) explicitly. */
  clearEarningCaps?: boolean | null;
}

export async function updateSettings(em: EntityManager, patch: SettingsPatch): Promise<PointsSettings> {
  return em.transactional(async (tx) => {
    const settings = (await tx.findOne(PointsSettings, { id: 1 })) ?? tx.create(PointsSettings, {});
    if (patch.pointsPerCredit != null) settings.pointsPerCredit = patch.pointsPerCredit;
    if (patch.monthlyConversionCapCredits != null) settings.monthlyConversionCapCredits = patch.monthlyConversionCapCredits;
    if (patch.clearEarningCaps) {
      settings.dailyEarningCap = null;
      settings.monthlyEarningCap = null;
    }
    if (patch.dailyEarningCap != null) settings.dailyEarningCap = patch.dailyEarningCap;
    if (patch.monthlyEarningCap != null) settings.monthlyEarningCap = patch.monthlyEarningCap;
    settings.updatedAt = new Date();
    return settings;
  });
}

export interface NewRule {
  activity: PointsActivity;
  name: string;
  nameEn: string;
  points: number;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  autoAward?: boolean | null;
}

export async function createRule(em: EntityManager, input: NewRule): Promise<PointsRule> {
  const rule = em.create(PointsRule, {
    activity: input.activity,
    name: input.name,
    nameEn: input.nameEn,
    points: input.points,
    dailyCap: input.dailyCap ?? null,
    monthlyCap: input.monthlyCap ?? null,
    autoAward: input.autoAward ?? false,
  });
  await em.flush();
  return rule;
}

/** Switches a rule on or off; earned points stay. */
export async function setRuleActive(em: EntityManager, ruleId: string, active: boolean): Promise<PointsRule> {
  const rule = await getRule(em, ruleId);
  rule.active = active;
  await em.flush();
  return rule;
}

export async function getRule(em: EntityManager, ruleId: string): Promise<PointsRule> {
  const rule = isUuid(ruleId) ? await em.findOne(PointsRule, { id: ruleId }) : null;
  if (!rule) throw new RuleNotFoundError(ruleId);
  return rule;
}

export function listRules(em: EntityManager, includeInactive: boolean): Promise<PointsRule[]> {
  return em.find(PointsRule, includeInactive ? {} : { active: true }, { orderBy: { activity: 'asc', createdAt: 'asc' } });
}

// ---------------------------------------------------------------------------------------
// The ledger's primitives (in the caller's transaction)

export interface LockedAccount {
  residentId: string;
  balance: number;
}

/** Locks the resident's account row (creating it at 0 on first use). Call inside a transaction. */
export async function lockAccount(tx: EntityManager, residentId: string, now: Date): Promise<LockedAccount> {
  await tx.execute(`insert into points_account (resident_id, balance, created_at, updated_at) values (?, 0, ?, ?) on conflict (resident_id) do nothing`, [
    residentId,
    now,
    now,
  ]);
  const [row] = await tx.execute<Array<{ balance: number }>>(`select balance from points_account where resident_id = ? for update`, [residentId]);
  return { residentId, balance: Number(row!.balance) };
}

export interface NewEntry {
  kind: PointsEntryKind;
  /** Positive for EARN and REFUND, negative otherwise. */
  points: number;
  rule?: PointsRule | null;
  earnedOn?: string | null;
  reference?: string | null;
  idempotencyKey: string;
  actorId: string;
}

/** Appends an entry and moves the locked account's balance (INSUFFICIENT_FUNDS below zero). */
export async function appendEntry(tx: EntityManager, account: LockedAccount, entry: NewEntry, now: Date): Promise<PointsEntry> {
  const balanceAfter = account.balance + entry.points;
  if (balanceAfter < 0) throw new NotEnoughPointsError({ balance: account.balance, required: -entry.points });
  const created = tx.create(PointsEntry, {
    residentId: account.residentId,
    kind: entry.kind,
    points: entry.points,
    balanceAfter,
    rule: entry.rule ?? null,
    earnedOn: entry.earnedOn ?? null,
    reference: entry.reference ?? null,
    idempotencyKey: entry.idempotencyKey,
    actorId: entry.actorId,
    createdAt: now,
  });
  await tx.flush();
  await tx.execute(`update points_account set balance = ?, updated_at = ? where resident_id = ?`, [balanceAfter, now, account.residentId]);
  account.balance = balanceAfter;
  return created;
}

/** What a write returns: its record, and whether this call made it (false: a replay). */
export interface Written<T> {
  value: T;
  created: boolean;
}

export interface Earning {
  residentId: string;
  rule: PointsRule;
  /** The activity's local date (YYYY-MM-DD): the day and month caps count by. */
  earnedOn: string;
  reference?: string | null;
  idempotencyKey: string;
  actorId: string;
}

/**
 * Earns a rule's points for a resident, in the caller's transaction: under the account lock,
 * the award is cut to what is left under every cap on the activity's day and month (the
 * rule's own and the community's); with nothing left it is CONFLICT `POINTS_CAP`. A key
 * already used answers with its entry when it was the same award.
 */
export async function earn(tx: EntityManager, earning: Earning, now: Date): Promise<Written<PointsEntry>> {
  const account = await lockAccount(tx, earning.residentId, now);
  const previous = await tx.findOne(PointsEntry, { idempotencyKey: earning.idempotencyKey });
  if (previous) return { value: sameEarning(previous, earning), created: false };
  const settings = await getSettings(tx);
  const points = await pointsUnderCaps(tx, earning, settings);
  const entry = await appendEntry(
    tx,
    account,
    {
      kind: PointsEntryKind.EARN,
      points,
      rule: earning.rule,
      earnedOn: earning.earnedOn,
      reference: earning.reference ?? null,
      idempotencyKey: earning.idempotencyKey,
      actorId: earning.actorId,
    },
    now,
  );
  return { value: entry, created: true };
}

/**
 * A direct award (`award:<actor>:<key>`: the key is the awarder's own). A replay answers
 * with the first entry even if the rule was switched off meanwhile.
 */
export async function awardPoints(
  em: EntityManager,
  input: { residentId: string; ruleId: string; earnedOn: string; reference?: string | null; idempotencyKey: string; actorId: string },
  now: Date,
): Promise<Written<PointsEntry>> {
  const idempotencyKey = `award:${input.actorId}:${input.idempotencyKey}`;
  const rule = await getRule(em, input.ruleId);
  const earning: Earning = { ...input, rule, idempotencyKey };
  const previous = await em.findOne(PointsEntry, { idempotencyKey });
  if (previous) return { value: sameEarning(previous, earning), created: false };
  if (!rule.active) throw new RuleInactiveError(rule.id);
  try {
    return await em.transactional((tx) => earn(tx, earning, now));
  } catch (error) {
    // The same key used at the same moment for another resident (another account lock).
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOne(PointsEntry, { idempotencyKey });
    if (!winner) throw error;
    return { value: sameEarning(winner, earning), created: false };
  }
}

function sameEarning(entry: PointsEntry, earning: Earning): PointsEntry {
  if (entry.kind !== PointsEntryKind.EARN || entry.residentId !== earning.residentId || entry.rule?.id !== earning.rule.id) {
    throw new IdempotencyKeyReusedError(earning.idempotencyKey);
  }
  return entry;
}

async function pointsUnderCaps(tx: EntityManager, earning: Earning, settings: PointsSettings): Promise<number> {
  const { first, next } = monthDays(monthOf(earning.earnedOn));
  const [sums] = await tx.execute<Array<{ rule_day: string; rule_month: string; day: string; month: string }>>(
    `select coalesce(sum(points) filter (where rule_id = ? and earned_on = ?), 0) as rule_day,
            coalesce(sum(points) filter (where rule_id = ?), 0) as rule_month,
            coalesce(sum(points) filter (where earned_on = ?), 0) as day,
            coalesce(sum(points), 0) as month
       from points_entry
      where resident_id = ? and kind = 'EARN' and earned_on >= ? and earned_on < ?`,
    [earning.rule.id, earning.earnedOn, earning.rule.id, earning.earnedOn, earning.residentId, first, next],
  );
  const caps: Array<[PointsCap, number | null, number]> = [
    ['RULE_DAILY', earning.rule.dailyCap, Number(sums!.rule_day)],
    ['RULE_MONTHLY', earning.rule.monthlyCap, Number(sums!.rule_month)],
    ['DAILY', settings.dailyEarningCap, Number(sums!.day)],
    ['MONTHLY', settings.monthlyEarningCap, Number(sums!.month)],
  ];
  let points = earning.rule.points;
  for (const [cap, limit, earned] of caps) {
    if (limit === null) continue;
    const left = limit - earned;
    if (left <= 0) throw new PointsCapReachedError(cap, { residentId: earning.residentId, earnedOn: earning.earnedOn, limit });
    points = Math.min(points, left);
  }
  return points;
}

// ---------------------------------------------------------------------------------------
// Reading

export async function balanceOf(em: EntityManager, residentId: string): Promise<number> {
  const account = await em.findOne(PointsAccount, { residentId }, { refresh: true });
  return account?.balance ?? 0;
}

export interface EntryPage {
  entries: PointsEntry[];
  hasNextPage: boolean;
}

export function entryCursor(e: PointsEntry): string {
  return encodeCursor([e.createdAt.toISOString(), e.id]);
}

/** A resident's entries, newest first (keyset on created_at desc, id desc). */
export async function history(em: EntityManager, residentId: string, args: { first?: number | null; after?: string | null }): Promise<EntryPage> {
  const limit = pageSize(args.first);
  const after = decodeCursor(args.after, 2) as [string, string] | null;
  const where: Record<string, unknown> = { residentId };
  if (after) {
    const at = new Date(after[0]);
    where.$or = [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: after[1] } }];
  }
  const rows = await em.find(PointsEntry, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return { entries: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
