import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExchangeClient } from '../exchange/exchange.client.js';
import { FundShortError, IdempotencyKeyReusedError, LedgerUnavailableError, LivingAloneFirstError } from './timebank.errors.js';
import { FundAllocation } from './timebank.entity.js';
import { getRecipient } from './timebank.service.js';

/*
 * Donated hours (the community fund, in the shared ledger) are earmarked by staff for
 * recipients — elders living alone first — and pay the volunteers who serve them.
 *
 * What is earmarked and not yet paid out never exceeds what the fund holds: allocations run
 * one at a time (an advisory lock) and check the fund's balance with the exchange; the fund
 * is only ever debited to pay a service from an earmark (which the earmark already counts).
 */

/** Hours still allocated to a recipient: allocated, less services confirmed against them. */
export async function fundHoursLeft(em: EntityManager, recipientId: string): Promise<number> {
  const [row] = await em.execute<Array<{ hours_left: string }>>(
    `select (select coalesce(sum(hours), 0) from fund_allocation where recipient_id = ?)
          - (select coalesce(sum(hours), 0) from service_record where recipient_id = ? and payment = 'FUND' and status in ('CONFIRMED', 'CREDITED')) as hours_left`,
    [recipientId, recipientId],
  );
  return Number(row!.hours_left);
}

/**
 * Earmarks `hours` of the fund for a recipient. Refused (CONFLICT LIVING_ALONE_FIRST) for a
 * recipient who does not live alone while some elder living alone has nothing allocated;
 * refused (CONFLICT FUND_SHORT) when the fund cannot cover every earmark not yet paid out.
 */
export async function allocateFundHours(
  em: EntityManager,
  exchange: ExchangeClient | null,
  communityId: string,
  staffId: string,
  input: { recipientId: string; hours: number; idempotencyKey: string },
  now: Date,
): Promise<FundAllocation> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('timebank.fund_allocation'))`);
    const previous = await tx.findOne(FundAllocation, { allocatedBy: staffId, idempotencyKey: input.idempotencyKey });
    if (previous) {
      if (previous.recipient.userId !== input.recipientId || previous.hours !== input.hours) throw new IdempotencyKeyReusedError(input.idempotencyKey);
      return previous;
    }
    const recipient = await getRecipient(tx, input.recipientId);
    if (!recipient.livesAlone) {
      const [waiting] = await tx.execute<Array<{ n: string }>>(
        `select count(*) as n from service_recipient r
          where r.lives_alone and not exists (select 1 from fund_allocation a where a.recipient_id = r.user_id)`,
      );
      if (Number(waiting!.n) > 0) throw new LivingAloneFirstError(Number(waiting!.n));
    }
    if (!exchange) throw new LedgerUnavailableError('no gateway configured');
    const answer = await exchange.fundAvailable(communityId);
    if (answer.kind === 'unavailable') throw new LedgerUnavailableError(answer.reason);
    if (answer.kind === 'refused') throw new LedgerUnavailableError(answer.refusal.message);
    const [row] = await tx.execute<Array<{ outstanding: string }>>(
      `select (select coalesce(sum(hours), 0) from fund_allocation)
            - (select coalesce(sum(hours), 0) from service_record where payment = 'FUND' and status = 'CREDITED') as outstanding`,
    );
    const outstanding = Number(row!.outstanding);
    if (outstanding + input.hours > answer.value) throw new FundShortError({ available: answer.value, outstanding, requested: input.hours });
    return tx.create(FundAllocation, { recipient, hours: input.hours, allocatedBy: staffId, idempotencyKey: input.idempotencyKey, createdAt: now });
  });
}

export function listAllocations(em: EntityManager): Promise<FundAllocation[]> {
  return em.find(FundAllocation, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200, populate: ['recipient'] });
}
