import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { isUuid } from '../resources/resource.errors.js';
import {
  IdempotencyKeyReusedError,
  OutOfStockError,
  RedemptionLimitError,
  RewardInactiveError,
  RewardNotFoundError,
  VoucherNotFoundError,
  VoucherUsedError,
} from './points.errors.js';
import { PointsEntryKind } from './points.entity.js';
import { appendEntry, lockAccount, type Written } from './points.service.js';
import { Reward, RewardKind, RewardRedemption } from './reward.entity.js';

export interface NewReward {
  kind: RewardKind;
  name: string;
  nameEn: string;
  description?: string | null;
  descriptionEn?: string | null;
  costPoints: number;
  stock: number;
  perResidentLimit?: number | null;
}

export async function createReward(em: EntityManager, input: NewReward): Promise<Reward> {
  const reward = em.create(Reward, {
    kind: input.kind,
    name: input.name,
    nameEn: input.nameEn,
    description: input.description ?? '',
    descriptionEn: input.descriptionEn ?? '',
    costPoints: input.costPoints,
    stock: input.stock,
    perResidentLimit: input.perResidentLimit ?? null,
  });
  await em.flush();
  return reward;
}

/** Adds units to the stock in one conditional statement (never a read-modify-write). */
export async function restockReward(em: EntityManager, rewardId: string, quantity: number): Promise<Reward> {
  const rows = isUuid(rewardId)
    ? await em.execute<Array<{ id: string }>>(`update reward set stock = stock + ?, updated_at = now() where id = ? returning id`, [quantity, rewardId])
    : [];
  if (rows.length === 0) throw new RewardNotFoundError(rewardId);
  return em.findOneOrFail(Reward, { id: rewardId }, { refresh: true });
}

export async function setRewardActive(em: EntityManager, rewardId: string, active: boolean): Promise<Reward> {
  const reward = await getReward(em, rewardId);
  reward.active = active;
  await em.flush();
  return reward;
}

export async function getReward(em: EntityManager, rewardId: string): Promise<Reward> {
  const reward = isUuid(rewardId) ? await em.findOne(Reward, { id: rewardId }, { refresh: true }) : null;
  if (!reward) throw new RewardNotFoundError(rewardId);
  return reward;
}

export function listRewards(em: EntityManager, includeInactive: boolean): Promise<Reward[]> {
  return em.find(Reward, includeInactive ? {} : { active: true }, { orderBy: { costPoints: 'asc', createdAt: 'asc' } });
}

/**
 * Redeems one unit of a reward for its price, in one transaction:
 *  1. lock the resident's points account (their redemptions run one at a time, so the
 *     per-resident limit counted next cannot be passed by two at once);
 *  2. `update reward set stock = stock - 1 where id = ? and stock > 0 and active`: the row
 *     lock it takes queues concurrent redeemers of the item, and each re-checks `stock > 0`
 *     after the one before committed — of any number racing for the last unit, one gets it
 *     and the rest find no row (CONFLICT OUT_OF_STOCK), with the stock never below zero;
 *  3. debit the points (INSUFFICIENT_FUNDS rolls the stock back with everything else) and
 *     issue the voucher.
 * Replays of the same key answer with the first redemption.
 */
export async function redeemReward(em: EntityManager, input: { residentId: string; rewardId: string; idempotencyKey: string }, now: Date): Promise<Written<RewardRedemption>> {
  const previous = await findRedemption(em, input.residentId, input.idempotencyKey);
  if (previous) return { value: sameRedemption(previous, input), created: false };
  const reward = await getReward(em, input.rewardId);
  try {
    return await em.transactional(async (tx) => {
      const account = await lockAccount(tx, input.residentId, now);
      const raced = await findRedemption(tx, input.residentId, input.idempotencyKey);
      if (raced) return { value: sameRedemption(raced, input), created: false };
      if (reward.perResidentLimit !== null) {
        const [row] = await tx.execute<Array<{ n: string }>>(`select count(*) as n from reward_redemption where reward_id = ? and resident_id = ?`, [reward.id, input.residentId]);
        if (Number(row!.n) >= reward.perResidentLimit) throw new RedemptionLimitError(reward.id, reward.perResidentLimit);
      }
      const taken = await tx.execute<Array<{ cost_points: number; active: boolean }>>(
        `update reward set stock = stock - 1, updated_at = ? where id = ? and stock > 0 and active returning cost_points, active`,
        [now, reward.id],
      );
      if (taken.length === 0) {
        const current = await tx.findOneOrFail(Reward, { id: reward.id }, { refresh: true });
        throw current.active ? new OutOfStockError(reward.id) : new RewardInactiveError(reward.id);
      }
      const points = Number(taken[0]!.cost_points);
      const redemption = tx.create(RewardRedemption, {
        reward: tx.getReference(Reward, reward.id),
        residentId: input.residentId,
        points,
        voucherCode: voucherCode(),
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
      });
      await appendEntry(
        tx,
        account,
        { kind: PointsEntryKind.REDEEM, points: -points, reference: redemption.id, idempotencyKey: `redeem:${redemption.id}`, actorId: input.residentId },
        now,
      );
      return { value: redemption, created: true };
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await findRedemption(em.fork(), input.residentId, input.idempotencyKey);
    if (!winner) throw error;
    return { value: sameRedemption(winner, input), created: false };
  }
}

function findRedemption(em: EntityManager, residentId: string, idempotencyKey: string): Promise<RewardRedemption | null> {
  return em.findOne(RewardRedemption, { residentId, idempotencyKey }, { populate: ['reward'], refresh: true });
}

function sameRedemption(redemption: RewardRedemption, input: { rewardId: string; idempotencyKey: string }): RewardRedemption {
  if (redemption.reward.id !== input.rewardId.toLowerCase()) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return redemption;
}

/** The redemption a voucher code names (codes are case-insensitive). */
export async function findVoucher(em: EntityManager, code: string): Promise<RewardRedemption> {
  const redemption = await em.findOne(RewardRedemption, { voucherCode: normalise(code) }, { populate: ['reward'], refresh: true });
  if (!redemption) throw new VoucherNotFoundError(code);
  return redemption;
}

/** ISSUED → USED, once: a second use is CONFLICT VOUCHER_USED. */
export async function useVoucher(em: EntityManager, code: string, staffId: string, now: Date): Promise<RewardRedemption> {
  const rows = await em.execute<Array<{ id: string }>>(
    `update reward_redemption set status = 'USED', used_at = ?, used_by = ? where voucher_code = ? and status = 'ISSUED' returning id`,
    [now, staffId, normalise(code)],
  );
  const redemption = await findVoucher(em, code);
  if (rows.length === 0) throw new VoucherUsedError(redemption.voucherCode);
  return redemption;
}

export function residentRedemptions(em: EntityManager, residentId: string): Promise<RewardRedemption[]> {
  return em.find(RewardRedemption, { residentId }, { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['reward'], limit: 100 });
}

/** `LL-XXXX-XXXX`: 40 random bits in Crockford's base32 (no I, L, O, U to misread). */
function voucherCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
  return `LL-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

function normalise(code: string): string {
  return code.trim().toUpperCase();
}
