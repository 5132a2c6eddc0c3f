import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { monthRange, localDate, monthOf } from '../../calendar.js';
import type { CommunityServices } from '../../context.js';
import { ExchangeOperation } from '../exchange/exchange-call.entity.js';
import { exchangeCallJob, recordCall, sendSubjectCalls, type OutcomeHandler } from '../exchange/exchange-call.service.js';
import { ConversionStatus, PointConversion } from './conversion.entity.js';
import { ConversionAmountError, ConversionCapError, IdempotencyKeyReusedError } from './points.errors.js';
import { PointsEntryKind } from './points.entity.js';
import { appendEntry, getSettings, lockAccount } from './points.service.js';

/*
 * Points → shared credit, as a saga between this community and the exchange:
 *  1. here, one transaction: lock the resident's account, check the rate and the monthly cap,
 *     debit the points (a CONVERT entry), record the conversion PENDING and the exchange call
 *     ISSUE whose idempotency key is the conversion's id;
 *  2. ask the exchange (through the gateway, as this community's service) to issue the CREDIT
 *     from the community's issuance account, transfer id = conversion id;
 *  3. here, one transaction: mark the call and the conversion DONE — or, when the exchange
 *     refuses for good, REFUNDED with the points given back (a REFUND entry).
 * A crash or time-out between 1 and 3 leaves the call PENDING; the scheduler sends it again
 * (same transfer id: the exchange answers with the first transfer), so the credit is issued
 * exactly once and no points are lost.
 */

export const CONVERSION_SUBJECT = 'PointConversion';

export async function convertPointsToCredit(
  root: EntityManager,
  services: CommunityServices,
  input: { residentId: string; points: number; idempotencyKey: string },
): Promise<PointConversion> {
  const em = root.fork();
  const now = services.clock.now();
  const previous = await em.findOne(PointConversion, { residentId: input.residentId, idempotencyKey: input.idempotencyKey });
  let conversion: PointConversion;
  if (previous) {
    conversion = sameConversion(previous, input);
  } else {
    try {
      conversion = await em.transactional((tx) => debitAndRecord(tx, services, input, now));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await root.fork().findOne(PointConversion, { residentId: input.residentId, idempotencyKey: input.idempotencyKey });
      if (!winner) throw error;
      conversion = sameConversion(winner, input);
    }
  }
  if (conversion.status === ConversionStatus.PENDING) {
    await sendSubjectCalls(root, services, { type: CONVERSION_SUBJECT, id: conversion.id }, conversionOutcome);
  }
  return root.fork().findOneOrFail(PointConversion, { id: conversion.id });
}

async function debitAndRecord(tx: EntityManager, services: CommunityServices, input: { residentId: string; points: number; idempotencyKey: string }, now: Date): Promise<PointConversion> {
  const settings = await getSettings(tx);
  if (!Number.isInteger(input.points) || input.points <= 0 || input.points % settings.pointsPerCredit !== 0) throw new ConversionAmountError(settings.pointsPerCredit);
  const credits = input.points / settings.pointsPerCredit;
  const account = await lockAccount(tx, input.residentId, now);
  const raced = await tx.findOne(PointConversion, { residentId: input.residentId, idempotencyKey: input.idempotencyKey });
  if (raced) return sameConversion(raced, input);

  const { from, to } = monthRange(monthOf(localDate(now, services.timezone)), services.timezone);
  const [row] = await tx.execute<Array<{ credits: string }>>(
    `select coalesce(sum(credits), 0) as credits from point_conversion
      where resident_id = ? and status <> 'REFUNDED' and created_at >= ? and created_at < ?`,
    [input.residentId, from, to],
  );
  const converted = Number(row!.credits);
  if (converted + credits > settings.monthlyConversionCapCredits) {
    throw new ConversionCapError({ capCredits: settings.monthlyConversionCapCredits, convertedCredits: converted, requestedCredits: credits });
  }

  const conversion = tx.create(PointConversion, { residentId: input.residentId, points: input.points, credits, idempotencyKey: input.idempotencyKey, createdAt: now, updatedAt: now });
  await appendEntry(
    tx,
    account,
    { kind: PointsEntryKind.CONVERT, points: -input.points, reference: conversion.id, idempotencyKey: `convert:${conversion.id}`, actorId: input.residentId },
    now,
  );
  recordCall(
    tx,
    {
      id: conversion.id,
      operation: ExchangeOperation.ISSUE,
      subjectType: CONVERSION_SUBJECT,
      subjectId: conversion.id,
      payload: {
        id: conversion.id,
        communityId: services.communityId,
        residentId: input.residentId,
        amount: credits,
        unit: 'CREDIT',
        reference: `points-conversion:${conversion.id}`,
        memo: `积分兑换 ${input.points} 分 (${input.points} points converted)`,
      },
    },
    now,
  );
  return conversion;
}

function sameConversion(conversion: PointConversion, input: { points: number; idempotencyKey: string }): PointConversion {
  if (conversion.points !== input.points) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return conversion;
}

/** DONE on the exchange's transfer; REFUNDED, with the points given back, on its refusal. */
export const conversionOutcome: OutcomeHandler = async (tx, call, outcome, services) => {
  const conversion = await tx.findOneOrFail(PointConversion, { id: call.subjectId }, { refresh: true });
  if (conversion.status !== ConversionStatus.PENDING) return [];
  const now = services.clock.now();
  if (outcome.kind === 'done') {
    conversion.status = ConversionStatus.DONE;
    return [];
  }
  const account = await lockAccount(tx, conversion.residentId, now);
  await appendEntry(
    tx,
    account,
    { kind: PointsEntryKind.REFUND, points: conversion.points, reference: conversion.id, idempotencyKey: `refund:${conversion.id}`, actorId: 'exchange' },
    now,
  );
  conversion.status = ConversionStatus.REFUNDED;
  conversion.refusal = `${outcome.refusal.code}: ${outcome.refusal.message}`.slice(0, 500);
  return [];
};

/** Retries conversions whose credit is not known to be issued yet. */
export const conversionRecoveryJob = exchangeCallJob('points.conversions', [CONVERSION_SUBJECT], conversionOutcome);

export function residentConversions(em: EntityManager, residentId: string): Promise<PointConversion[]> {
  return em.find(PointConversion, { residentId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 100 });
}
