import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { daysBetween, localDate } from '../../calendar.js';
import { BadInputError } from '@linli/subgraph-kit';
import { isUuid } from '../resources/resource.errors.js';
import { ClaimStatus, PointsClaim } from './claim.entity.js';
import { ClaimDecidedError, ClaimNotFoundError, IdempotencyKeyReusedError, RuleInactiveError, SelfAwardError } from './points.errors.js';
import { earn, getRule, type Written } from './points.service.js';

/** How far back an activity may be claimed. */
export const MAX_CLAIM_AGE_DAYS = 31;

/**
 * A resident claims a rule's points for something they did on `occurredOn` (today or up to
 * MAX_CLAIM_AGE_DAYS before, on the community's calendar). Idempotent per resident and key.
 */
export async function claimPoints(
  em: EntityManager,
  input: { residentId: string; ruleId: string; occurredOn: string; note: string; idempotencyKey: string },
  now: Date,
  timezone: string,
): Promise<PointsClaim> {
  const previous = await em.findOne(PointsClaim, { residentId: input.residentId, idempotencyKey: input.idempotencyKey });
  if (previous) return sameClaim(previous, input);
  const rule = await getRule(em, input.ruleId);
  if (!rule.active) throw new RuleInactiveError(rule.id);
  const age = daysBetween(input.occurredOn, localDate(now, timezone));
  if (age < 0 || age > MAX_CLAIM_AGE_DAYS) {
    throw new BadInputError(`活动日期须在今天及之前 ${MAX_CLAIM_AGE_DAYS} 天内`, `occurredOn must be today or within the last ${MAX_CLAIM_AGE_DAYS} days`, { argument: 'occurredOn' });
  }
  const claim = em.create(PointsClaim, { residentId: input.residentId, rule, occurredOn: input.occurredOn, note: input.note, idempotencyKey: input.idempotencyKey, createdAt: now });
  try {
    await em.flush();
    return claim;
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOne(PointsClaim, { residentId: input.residentId, idempotencyKey: input.idempotencyKey });
    if (!winner) throw error;
    return sameClaim(winner, input);
  }
}

function sameClaim(claim: PointsClaim, input: { ruleId: string; occurredOn: string; idempotencyKey: string }): PointsClaim {
  if (claim.rule.id !== input.ruleId || claim.occurredOn !== input.occurredOn) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return claim;
}

/**
 * Approves a PENDING claim (again: the same answer): the rule's points are earned on the
 * claimed day, under its caps, in the transaction that marks the claim APPROVED. Nobody
 * approves their own claim (FORBIDDEN). A cap already reached is CONFLICT and the claim stays
 * PENDING, for staff to reject.
 */
export async function approveClaim(em: EntityManager, claimId: string, staffId: string, now: Date): Promise<Written<PointsClaim>> {
  return em.transactional(async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (claim.residentId === staffId) throw new SelfAwardError();
    if (claim.status === ClaimStatus.APPROVED) return { value: claim, created: false };
    if (claim.status !== ClaimStatus.PENDING) throw new ClaimDecidedError(claim.id, claim.status);
    const rule = await getRule(tx, claim.rule.id);
    const entry = await earn(tx, { residentId: claim.residentId, rule, earnedOn: claim.occurredOn, reference: claim.id, idempotencyKey: `claim:${claim.id}`, actorId: staffId }, now);
    claim.status = ClaimStatus.APPROVED;
    claim.entryId = entry.value.id;
    claim.decidedBy = staffId;
    claim.decidedAt = now;
    return { value: claim, created: true };
  });
}

export async function rejectClaim(em: EntityManager, claimId: string, staffId: string, reason: string, now: Date): Promise<PointsClaim> {
  return em.transactional(async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (claim.residentId === staffId) throw new SelfAwardError();
    if (claim.status === ClaimStatus.REJECTED) return claim;
    if (claim.status !== ClaimStatus.PENDING) throw new ClaimDecidedError(claim.id, claim.status);
    claim.status = ClaimStatus.REJECTED;
    claim.decidedBy = staffId;
    claim.decidedAt = now;
    claim.decisionNote = reason;
    return claim;
  });
}

async function lockClaim(tx: EntityManager, claimId: string): Promise<PointsClaim> {
  const claim = isUuid(claimId) ? await tx.findOne(PointsClaim, { id: claimId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
  if (!claim) throw new ClaimNotFoundError(claimId);
  return claim;
}

/** Claims, oldest first: staff see every resident's, a resident their own. */
export function listClaims(em: EntityManager, filter: { status?: ClaimStatus | null; residentId?: string | null }, limit = 100): Promise<PointsClaim[]> {
  const where: Record<string, unknown> = {};
  if (filter.status) where.status = filter.status;
  if (filter.residentId) where.residentId = filter.residentId;
  return em.find(PointsClaim, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit, populate: ['rule'] });
}
