import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { ExchangeClient } from '../exchange/exchange.client.js';
import { isUuid } from '../resources/resource.errors.js';
import {
  HoldMismatchError,
  HoursHoldNotFoundError,
  IdempotencyKeyReusedError,
  LedgerUnavailableError,
  NotAVolunteerError,
  RecipientNotFoundError,
} from './timebank.errors.js';
import { ProxyRelation, RecipientProxy, RequestStatus, ServiceRecipient, ServiceRequest, ServiceType, TimebankSettings, Volunteer } from './timebank.entity.js';

// ---------------------------------------------------------------------------------------
// Settings

export async function getSettings(em: EntityManager): Promise<TimebankSettings> {
  return (await em.findOne(TimebankSettings, { id: 1 }, { refresh: true })) ?? new TimebankSettings();
}

export async function updateSettings(em: EntityManager, patch: { maxBankedHours?: number | null }): Promise<TimebankSettings> {
  return em.transactional(async (tx) => {
    const settings = (await tx.findOne(TimebankSettings, { id: 1 })) ?? tx.create(TimebankSettings, {});
    if (patch.maxBankedHours != null) settings.maxBankedHours = patch.maxBankedHours;
    settings.updatedAt = new Date();
    return settings;
  });
}

// ---------------------------------------------------------------------------------------
// Volunteers, recipients, proxies

/** Registers the viewer as a volunteer, or updates their profile (the same call again). */
export async function registerVolunteer(em: EntityManager, userId: string, input: { displayName: string; skills: ServiceType[]; availability?: string | null }): Promise<Volunteer> {
  const volunteer = (await em.findOne(Volunteer, { userId })) ?? em.create(Volunteer, { userId, displayName: input.displayName });
  volunteer.displayName = input.displayName;
  volunteer.skills = [...new Set(input.skills)];
  volunteer.availability = input.availability ?? '';
  volunteer.active = true;
  await em.flush();
  return volunteer;
}

export async function activeVolunteer(em: EntityManager, userId: string): Promise<Volunteer> {
  const volunteer = await em.findOne(Volunteer, { userId, active: true });
  if (!volunteer) throw new NotAVolunteerError();
  return volunteer;
}

export function listVolunteers(em: EntityManager): Promise<Volunteer[]> {
  return em.find(Volunteer, { active: true }, { orderBy: { createdAt: 'asc' }, limit: 500 });
}

/** Registers (or updates) a recipient; staff do it, since many elders never use an app. */
export async function registerRecipient(em: EntityManager, staffId: string, input: { userId: string; displayName: string; livesAlone: boolean }): Promise<ServiceRecipient> {
  const recipient = (await em.findOne(ServiceRecipient, { userId: input.userId })) ?? em.create(ServiceRecipient, { ...input, registeredBy: staffId });
  recipient.displayName = input.displayName;
  recipient.livesAlone = input.livesAlone;
  await em.flush();
  return recipient;
}

export async function getRecipient(em: EntityManager, userId: string): Promise<ServiceRecipient> {
  const recipient = await em.findOne(ServiceRecipient, { userId });
  if (!recipient) throw new RecipientNotFoundError(userId);
  return recipient;
}

export function listRecipients(em: EntityManager): Promise<ServiceRecipient[]> {
  return em.find(ServiceRecipient, {}, { orderBy: { livesAlone: 'desc', createdAt: 'asc' }, limit: 500 });
}

/** Registers `proxyId` to act for the recipient (again: the same registration). */
export async function addProxy(em: EntityManager, staffId: string, input: { recipientId: string; proxyId: string; relation: ProxyRelation }): Promise<RecipientProxy> {
  const recipient = await getRecipient(em, input.recipientId);
  const existing = await em.findOne(RecipientProxy, { recipient, proxyId: input.proxyId });
  if (existing) return existing;
  const proxy = em.create(RecipientProxy, { recipient, proxyId: input.proxyId, relation: input.relation, registeredBy: staffId });
  await em.flush();
  return proxy;
}

export function proxiesOf(em: EntityManager, recipientId: string): Promise<RecipientProxy[]> {
  return em.find(RecipientProxy, { recipient: recipientId }, { orderBy: { createdAt: 'asc' } });
}

/** The recipient themselves, or someone registered as their proxy. */
export async function actsFor(em: EntityManager, userId: string | null, recipientId: string): Promise<boolean> {
  if (userId === null) return false;
  if (userId === recipientId) return true;
  return (await em.count(RecipientProxy, { recipient: recipientId, proxyId: userId })) > 0;
}

/** Recipients `userId` acts for (as themselves or as a proxy). */
export async function recipientsActedFor(em: EntityManager, userId: string): Promise<string[]> {
  const proxies = await em.find(RecipientProxy, { proxyId: userId });
  return [userId, ...proxies.map((p) => p.recipient.userId)];
}

// ---------------------------------------------------------------------------------------
// Requests

export interface NewRequest {
  recipientId: string;
  serviceType: ServiceType;
  description?: string | null;
  hours: number;
  /** The payer's hours hold (`holdHours` in the shared ledger), if it is paid in hours. */
  holdId?: string | null;
  idempotencyKey: string;
}

/**
 * Records a service request (idempotent per requester and key). A request paid in hours
 * names the payer's hold; the hold is checked with the exchange now (it must pay this
 * community exactly `hours` and still be pending) and can pay for one request only.
 */
export async function requestService(em: EntityManager, exchange: ExchangeClient | null, communityId: string, requestedBy: string, input: NewRequest, now: Date): Promise<ServiceRequest> {
  const previous = await em.findOne(ServiceRequest, { requestedBy, idempotencyKey: input.idempotencyKey });
  if (previous) return sameRequest(previous, input);
  const recipient = await getRecipient(em, input.recipientId);
  const holdId = input.holdId?.toLowerCase() ?? null;
  if (holdId) await checkHold(exchange, communityId, holdId, input.hours);
  const request = em.create(ServiceRequest, {
    recipient,
    requestedBy,
    serviceType: input.serviceType,
    description: input.description ?? '',
    hours: input.hours,
    holdId,
    idempotencyKey: input.idempotencyKey,
    createdAt: now,
  });
  try {
    await em.flush();
    return request;
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOne(ServiceRequest, { requestedBy, idempotencyKey: input.idempotencyKey });
    if (winner) return sameRequest(winner, input);
    throw new HoldMismatchError(holdId ?? '', { reason: 'HOLD_ALREADY_USED' });
  }
}

async function checkHold(exchange: ExchangeClient | null, communityId: string, holdId: string, hours: number): Promise<void> {
  if (!isUuid(holdId)) throw new HoursHoldNotFoundError(holdId);
  if (!exchange) throw new LedgerUnavailableError('no gateway configured');
  const answer = await exchange.hoursHold(communityId, holdId);
  if (answer.kind === 'unavailable') throw new LedgerUnavailableError(answer.reason);
  if (answer.kind === 'refused' || answer.value === null) throw new HoursHoldNotFoundError(holdId);
  const hold = answer.value;
  if (hold.state !== 'PENDING') throw new HoldMismatchError(holdId, { state: hold.state });
  if (hold.amount !== hours) throw new HoldMismatchError(holdId, { holdHours: hold.amount, hours });
}

function sameRequest(request: ServiceRequest, input: NewRequest): ServiceRequest {
  if (request.recipient.userId !== input.recipientId || request.hours !== input.hours || request.holdId !== (input.holdId?.toLowerCase() ?? null)) {
    throw new IdempotencyKeyReusedError(input.idempotencyKey);
  }
  return request;
}

export function listRequests(em: EntityManager, filter: { status?: RequestStatus | null; recipientIds?: string[] }): Promise<ServiceRequest[]> {
  const where: Record<string, unknown> = {};
  if (filter.status) where.status = filter.status;
  if (filter.recipientIds) where.recipient = { $in: filter.recipientIds };
  return em.find(ServiceRequest, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 200, populate: ['recipient'] });
}
