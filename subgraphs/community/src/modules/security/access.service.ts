import { decodeCursor, encodeCursor, pageSize } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../resources/resource.errors.js';
import { AccessEvent, AccessMethod, AccessResult } from './access.entity.js';
import { DeviceKind, type SecurityDevice } from './device.entity.js';
import { pseudonymOf } from './pseudonym.js';
import { IdempotencyKeyReusedError, SecurityRuleError } from './security.errors.js';

/** Devices that report passes. */
export const ACCESS_DEVICE_KINDS: readonly DeviceKind[] = [DeviceKind.DOOR_ACCESS, DeviceKind.FACE_TERMINAL];
/** How far back a device may report (it buffers while the network is down), and how far ahead its clock may run. */
export const MAX_REPORT_DELAY_MS = 7 * 86_400_000;
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface AccessReport {
  occurredAt: Date;
  result: AccessResult;
  method: AccessMethod;
  /**
   * Whom the door recognised (card number, resident id), or null if nobody. Turned into a
   * pseudonym at once and never stored, logged or returned.
   */
  credentialHolderId?: string | null;
  idempotencyKey: string;
}

/**
 * Stores one access event from a door. A retry with the same idempotency key returns the first
 * event; the same key for a different report is CONFLICT.
 */
export async function recordAccessEvent(
  em: EntityManager,
  device: SecurityDevice,
  report: AccessReport,
  keys: { communityId: string; pseudonymSecret: string },
  now: Date,
): Promise<AccessEvent> {
  if (!ACCESS_DEVICE_KINDS.includes(device.kind)) {
    throw new SecurityRuleError('deviceKind', '只有门禁和人脸终端可以上报通行记录', 'Only door-access and face terminals report access events', { kind: device.kind });
  }
  const t = report.occurredAt.getTime();
  if (!(t >= now.getTime() - MAX_REPORT_DELAY_MS && t <= now.getTime() + MAX_CLOCK_SKEW_MS)) {
    throw new SecurityRuleError('occurredAt', '通行时间须在过去 7 天内', 'occurredAt must be within the last 7 days (and not in the future)', { argument: 'occurredAt' });
  }
  const subjectPseudonym = report.credentialHolderId ? pseudonymOf(keys.pseudonymSecret, keys.communityId, report.credentialHolderId) : null;
  const wanted = { occurredAt: report.occurredAt, result: report.result, method: report.method, subjectPseudonym };

  const earlier = await em.findOne(AccessEvent, { device, idempotencyKey: report.idempotencyKey });
  if (earlier) return sameOrConflict(earlier, wanted, report.idempotencyKey);
  try {
    // Its own (nested) transaction, so a lost race rolls back only this insert.
    return await em.transactional(async (tx) => tx.create(AccessEvent, { device: device.id, ...wanted, idempotencyKey: report.idempotencyKey, recordedAt: now }));
  } catch (error) {
    // The same report retried concurrently: the unique key let one row in.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.findOne(AccessEvent, { device, idempotencyKey: report.idempotencyKey }, { refresh: true });
    if (!winner) throw error;
    return sameOrConflict(winner, wanted, report.idempotencyKey);
  }
}

function sameOrConflict(
  event: AccessEvent,
  wanted: { occurredAt: Date; result: AccessResult; method: AccessMethod; subjectPseudonym: string | null },
  idempotencyKey: string,
): AccessEvent {
  const same =
    event.occurredAt.getTime() === wanted.occurredAt.getTime() &&
    event.result === wanted.result &&
    event.method === wanted.method &&
    event.subjectPseudonym === wanted.subjectPseudonym;
  if (!same) throw new IdempotencyKeyReusedError(idempotencyKey);
  return event;
}

export interface AccessEventFilter {
  deviceId?: string | null;
  result?: AccessResult | null;
  subjectPseudonym?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

export interface AccessEventPage {
  events: AccessEvent[];
  hasNextPage: boolean;
}

export function accessEventCursor(e: AccessEvent): string {
  return encodeCursor([e.occurredAt.toISOString(), e.id]);
}

/** Newest first, by keyset on (occurredAt desc, id desc); `to` is exclusive. */
export async function listAccessEvents(em: EntityManager, filter: AccessEventFilter): Promise<AccessEventPage> {
  const limit = pageSize(filter.first);
  const after = decodeCursor(filter.after, 2) as [string, string] | null;
  const where: Record<string, unknown>[] = [];
  if (filter.deviceId) {
    if (!isUuid(filter.deviceId)) return { events: [], hasNextPage: false };
    where.push({ device: filter.deviceId });
  }
  if (filter.result) where.push({ result: filter.result });
  if (filter.subjectPseudonym) where.push({ subjectPseudonym: filter.subjectPseudonym });
  if (filter.from) where.push({ occurredAt: { $gte: filter.from } });
  if (filter.to) where.push({ occurredAt: { $lt: filter.to } });
  if (after) {
    const at = new Date(after[0]);
    where.push({ $or: [{ occurredAt: { $lt: at } }, { occurredAt: at, id: { $lt: after[1] } }] });
  }
  const rows = await em.find(AccessEvent, where.length ? { $and: where } : {}, {
    orderBy: { occurredAt: 'desc', id: 'desc' },
    limit: limit + 1,
    populate: ['device'],
  });
  return { events: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
