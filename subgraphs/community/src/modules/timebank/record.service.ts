import { stableUuid, type LinliEvent } from '@linli/subgraph-kit';
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { CommunityServices } from '../../context.js';
import { ExchangeOperation, type ExchangeCall } from '../exchange/exchange-call.entity.js';
import { exchangeCallJob, recordCall, sendSubjectCalls, type NewCall, type OutcomeHandler } from '../exchange/exchange-call.service.js';
import type { IssueRequest } from '../exchange/exchange.client.js';
import { isUuid } from '../resources/resource.errors.js';
import { fundHoursLeft } from './allocation.service.js';
import {
  IdempotencyKeyReusedError,
  NotRecipientOrProxyError,
  RecordDecidedError,
  RecordNotFoundError,
  RequestNotFoundError,
  RequestNotOpenError,
  SelfServiceError,
  ServiceTimeError,
} from './timebank.errors.js';
import { BankedTo, RecordStatus, RequestStatus, ServicePayment, ServiceRecipient, ServiceRecord, ServiceRequest, ServiceType } from './timebank.entity.js';
import { actsFor, activeVolunteer, getRecipient, getSettings } from './timebank.service.js';

/*
 * Service records and how their hours reach the shared ledger.
 *
 * Confirming (by the recipient or their proxy, never the volunteer) decides, in one
 * transaction, who pays the volunteer and records that call to the exchange (the outbox):
 *  - the payer's hours hold, when the service answers a request paid in hours
 *    (SETTLE_HOURS_HOLD: the payer's hours move to the volunteer);
 *  - else the community fund, when staff allocated donated hours to the recipient and some
 *    are left (PAY_FROM_FUND);
 *  - else new hours from the community's issuance account (ISSUE), refused by the exchange
 *    if they would take the volunteer over the banked-hours cap — then they are issued into
 *    the community fund instead (banked to COMMUNITY_FUND).
 * A hold or fund payment the exchange refuses (the hold expired, the fund ran short) falls
 * back to ISSUE: the community vouches for a service its resident confirmed. Each call's id is
 * derived from the record and the step, so a retried call moves the hours once; the record
 * becomes CREDITED in the transaction that learns the exchange's answer.
 */

export const RECORD_SUBJECT = 'ServiceRecord';
/** Longest service one record may hold, in hours. */
export const MAX_SERVICE_HOURS = 12;
/** How long after a service it may still be logged. */
export const MAX_LOG_AGE_DAYS = 31;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const TimebankEvent = {
  /** subjectId: the record; data: { volunteerId, recipientId }. */
  SERVICE_CONFIRMED: 'service.confirmed',
  /** subjectId: the record; data: { volunteerId, transferId }. */
  HOURS_CREDITED: 'hours.credited',
} as const;

export interface NewRecord {
  recipientId: string;
  requestId?: string | null;
  serviceType: ServiceType;
  startsAt: Date;
  endsAt: Date;
  note?: string | null;
  idempotencyKey: string;
}

/** A volunteer logs a service they did (whole hours, within the last month). */
export async function logService(em: EntityManager, volunteerId: string, input: NewRecord, now: Date): Promise<ServiceRecord> {
  const previous = await em.findOne(ServiceRecord, { volunteerId, idempotencyKey: input.idempotencyKey });
  if (previous) return sameRecord(previous, input);
  await activeVolunteer(em, volunteerId);
  if (volunteerId === input.recipientId) throw new SelfServiceError();
  const hours = serviceHours(input.startsAt, input.endsAt, now);
  const recipient = await getRecipient(em, input.recipientId);
  try {
    return await em.transactional(async (tx) => {
      let request: ServiceRequest | null = null;
      if (input.requestId) {
        request = isUuid(input.requestId) ? await tx.findOne(ServiceRequest, { id: input.requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
        if (!request || request.recipient.userId !== recipient.userId) throw new RequestNotFoundError(input.requestId);
        if (request.status !== RequestStatus.OPEN) throw new RequestNotOpenError(request.id);
        if (request.holdId && request.hours !== hours) throw new ServiceTimeError(`已付费需求须服务 ${request.hours} 小时`, `This paid request is for ${request.hours} hour(s)`);
        request.status = RequestStatus.SERVED;
      }
      return tx.create(ServiceRecord, {
        volunteerId,
        recipient: tx.getReference(ServiceRecipient, recipient.userId),
        request,
        serviceType: input.serviceType,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        hours,
        note: input.note ?? '',
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
      });
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOne(ServiceRecord, { volunteerId, idempotencyKey: input.idempotencyKey });
    if (!winner) throw error;
    return sameRecord(winner, input);
  }
}

function serviceHours(startsAt: Date, endsAt: Date, now: Date): number {
  const ms = endsAt.getTime() - startsAt.getTime();
  if (!(ms > 0) || ms % HOUR !== 0 || ms / HOUR > MAX_SERVICE_HOURS) {
    throw new ServiceTimeError(`服务须为 1–${MAX_SERVICE_HOURS} 个整小时`, `A service lasts 1 to ${MAX_SERVICE_HOURS} whole hours`);
  }
  if (endsAt.getTime() > now.getTime() + 5 * 60_000 || startsAt.getTime() < now.getTime() - MAX_LOG_AGE_DAYS * DAY) {
    throw new ServiceTimeError(`只能登记已完成、且在 ${MAX_LOG_AGE_DAYS} 天内的服务`, `Only a service already done, within the last ${MAX_LOG_AGE_DAYS} days, can be logged`);
  }
  return ms / HOUR;
}

function sameRecord(record: ServiceRecord, input: NewRecord): ServiceRecord {
  const same =
    record.recipient.userId === input.recipientId && record.startsAt.getTime() === input.startsAt.getTime() && record.endsAt.getTime() === input.endsAt.getTime();
  if (!same) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return record;
}

/** Where a confirmation happens: the community, and its clock. */
type Here = Pick<CommunityServices, 'communityId' | 'clock'>;

/**
 * LOGGED → CONFIRMED by the recipient or their proxy (the volunteer never, even as a proxy),
 * with the call that credits the hours recorded in the same transaction; then the call is
 * sent. Confirming again returns the record as it stands.
 */
export async function confirmService(root: EntityManager, services: CommunityServices, recordId: string, actorId: string): Promise<ServiceRecord> {
  const confirmed = await recordConfirmation(root.fork(), services, recordId, actorId);
  if (confirmed) {
    const record = await root.fork().findOneOrFail(ServiceRecord, { id: recordId });
    await services.events.publish(event(services, TimebankEvent.SERVICE_CONFIRMED, record.id, { volunteerId: record.volunteerId, recipientId: record.recipient.userId }));
  }
  await sendSubjectCalls(root, services, { type: RECORD_SUBJECT, id: recordId }, recordOutcome);
  return root.fork().findOneOrFail(ServiceRecord, { id: recordId }, { populate: ['recipient', 'request'] });
}

/**
 * The local half of confirming, in one transaction: the record CONFIRMED, who pays decided,
 * and the call to the exchange recorded (not sent). False when it was confirmed already.
 */
export async function recordConfirmation(em: EntityManager, here: Here, recordId: string, actorId: string): Promise<boolean> {
  const now = here.clock.now();
  return em.transactional(async (tx) => {
    const record = await lockRecord(tx, recordId);
    await requireRecipientSide(tx, record, actorId);
    if (record.status === RecordStatus.CONFIRMED || record.status === RecordStatus.CREDITED) return false;
    if (record.status !== RecordStatus.LOGGED) throw new RecordDecidedError(record.id, record.status);
    // One confirmation at a time per recipient, so two cannot spend the same allocated hours.
    await tx.execute(`select 1 from service_recipient where user_id = ? for update`, [record.recipient.userId]);
    record.status = RecordStatus.CONFIRMED;
    record.decidedBy = actorId;
    record.decidedAt = now;
    const request = record.request ? await tx.findOneOrFail(ServiceRequest, { id: record.request.id }) : null;
    if (request?.holdId) {
      record.payment = ServicePayment.HOURS_HOLD;
      recordCall(tx, settleCall(here, record, request.holdId), now);
    } else if ((await fundHoursLeft(tx, record.recipient.userId)) >= record.hours) {
      record.payment = ServicePayment.FUND;
      recordCall(tx, fundCall(here, record), now);
    } else {
      record.payment = ServicePayment.ISSUED;
      recordCall(tx, issueCall(here, record, (await getSettings(tx)).maxBankedHours), now);
    }
    return true;
  });
}

/** LOGGED → DISPUTED by the recipient or their proxy; a request it answered is open again. */
export async function disputeService(em: EntityManager, recordId: string, actorId: string, reason: string, now: Date): Promise<ServiceRecord> {
  return em.transactional(async (tx) => {
    const record = await lockRecord(tx, recordId);
    await requireRecipientSide(tx, record, actorId);
    if (record.status === RecordStatus.DISPUTED) return record;
    if (record.status !== RecordStatus.LOGGED) throw new RecordDecidedError(record.id, record.status);
    record.status = RecordStatus.DISPUTED;
    record.decidedBy = actorId;
    record.decidedAt = now;
    record.note = record.note ? `${record.note}\n异议 (disputed): ${reason}` : `异议 (disputed): ${reason}`;
    if (record.request) {
      const request = await tx.findOneOrFail(ServiceRequest, { id: record.request.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      request.status = RequestStatus.OPEN;
    }
    return record;
  });
}

async function lockRecord(tx: EntityManager, recordId: string): Promise<ServiceRecord> {
  const record = isUuid(recordId) ? await tx.findOne(ServiceRecord, { id: recordId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
  if (!record) throw new RecordNotFoundError(recordId);
  return record;
}

async function requireRecipientSide(tx: EntityManager, record: ServiceRecord, actorId: string): Promise<void> {
  if (actorId === record.volunteerId || !(await actsFor(tx, actorId, record.recipient.userId))) throw new NotRecipientOrProxyError(record.id);
}

// ---------------------------------------------------------------------------------------
// The calls, and what their answers do

function issueCall(here: Here, record: ServiceRecord, maxBankedHours: number): NewCall {
  const id = stableUuid(`service-record:${record.id}:issue`);
  return {
    id,
    operation: ExchangeOperation.ISSUE,
    subjectType: RECORD_SUBJECT,
    subjectId: record.id,
    payload: { id, communityId: here.communityId, residentId: record.volunteerId, amount: record.hours, unit: 'HOUR', reference: `service-record:${record.id}`, maxBalance: maxBankedHours, memo: '志愿服务时间 (Volunteer hours)' },
  };
}

function fundSurplusCall(here: Here, record: ServiceRecord): NewCall {
  const id = stableUuid(`service-record:${record.id}:issue-to-fund`);
  return {
    id,
    operation: ExchangeOperation.ISSUE,
    subjectType: RECORD_SUBJECT,
    subjectId: record.id,
    payload: { id, communityId: here.communityId, residentId: null, amount: record.hours, unit: 'HOUR', reference: `service-record:${record.id}`, memo: '超出存储上限，存入社区基金 (Over the cap: banked to the community fund)' },
  };
}

function fundCall(here: Here, record: ServiceRecord): NewCall {
  const id = stableUuid(`service-record:${record.id}:fund`);
  return {
    id,
    operation: ExchangeOperation.PAY_FROM_FUND,
    subjectType: RECORD_SUBJECT,
    subjectId: record.id,
    payload: { id, communityId: here.communityId, residentId: record.volunteerId, amount: record.hours, unit: 'HOUR', reference: `service-record:${record.id}`, memo: '社区基金支付 (Paid from the community fund)' },
  };
}

function settleCall(here: Here, record: ServiceRecord, holdId: string): NewCall {
  const id = stableUuid(`service-record:${record.id}:hold`);
  return { id, operation: ExchangeOperation.SETTLE_HOURS_HOLD, subjectType: RECORD_SUBJECT, subjectId: record.id, payload: { id, communityId: here.communityId, holdId, residentId: record.volunteerId } };
}

export const recordOutcome: OutcomeHandler = async (tx: EntityManager, call: ExchangeCall, outcome, services): Promise<LinliEvent[]> => {
  const record = await tx.findOneOrFail(ServiceRecord, { id: call.subjectId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (record.status !== RecordStatus.CONFIRMED) return [];
  const now = services.clock.now();
  if (outcome.kind === 'done') {
    const toFund = call.operation === ExchangeOperation.ISSUE && (call.payload as unknown as IssueRequest).residentId === null;
    record.status = RecordStatus.CREDITED;
    record.bankedTo = toFund ? BankedTo.COMMUNITY_FUND : BankedTo.VOLUNTEER;
    record.transferId = outcome.transfer.id;
    record.creditedAt = now;
    record.creditRefusal = null;
    return [event(services, TimebankEvent.HOURS_CREDITED, record.id, { volunteerId: record.volunteerId, transferId: outcome.transfer.id })];
  }
  const { refusal } = outcome;
  if (call.operation === ExchangeOperation.SETTLE_HOURS_HOLD || call.operation === ExchangeOperation.PAY_FROM_FUND) {
    // The hold lapsed or the fund ran short: the community issues the hours itself.
    record.payment = ServicePayment.ISSUED;
    recordCall(tx, issueCall(services, record, (await getSettings(tx)).maxBankedHours), now);
  } else if ((call.payload as unknown as IssueRequest).residentId !== null && refusal.extensions.reason === 'BALANCE_CAP') {
    recordCall(tx, fundSurplusCall(services, record), now);
  } else {
    record.creditRefusal = `${refusal.code}: ${refusal.message}`.slice(0, 500);
  }
  return [];
};

/** Retries crediting confirmed services whose exchange answer is not known yet. */
export const creditRecoveryJob = exchangeCallJob('timebank.credits', [RECORD_SUBJECT], recordOutcome);

function event(services: CommunityServices, type: string, subjectId: string, data: Record<string, string>): LinliEvent {
  return { type, communityId: services.communityId, subjectId, occurredAt: services.clock.now().toISOString(), data };
}

// ---------------------------------------------------------------------------------------
// Reading

export function listRecords(em: EntityManager, filter: { volunteerId?: string | null; recipientIds?: string[] | null; status?: RecordStatus | null }, limit = 100): Promise<ServiceRecord[]> {
  const where: Record<string, unknown> = {};
  if (filter.status) where.status = filter.status;
  if (filter.volunteerId && filter.recipientIds) where.$or = [{ volunteerId: filter.volunteerId }, { recipient: { $in: filter.recipientIds } }];
  else if (filter.volunteerId) where.volunteerId = filter.volunteerId;
  else if (filter.recipientIds) where.recipient = { $in: filter.recipientIds };
  return em.find(ServiceRecord, where, { orderBy: { startsAt: 'desc', id: 'desc' }, limit, populate: ['recipient', 'request'] });
}
