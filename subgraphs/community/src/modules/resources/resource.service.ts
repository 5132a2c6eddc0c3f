import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, decodeCursor, encodeCursor, pageSize } from '@linli/subgraph-kit';
import { DateTime } from 'luxon';
import { AvailabilityException, ExceptionKind, OpeningHours } from './availability.entity.js';
import { InvalidTimeRangeError, isUuid, ResourceNotFoundError } from './resource.errors.js';
import type { AvailabilityExceptionInput, CreateResourceInput } from './resource.inputs.js';
import { BookingPolicy, ResourceKind, ResourceStatus, SharedResource } from './resource.entity.js';
import { subtractLiveHolds } from './hold.occupancy.js';
import { bookableSlots, MAX_RANGE_DAYS, type Slot } from './slots.js';

export interface ResourcePage {
  resources: SharedResource[];
  hasNextPage: boolean;
}

export function cursorOf(resource: SharedResource): string {
  return encodeCursor([resource.createdAt.toISOString(), resource.id]);
}

/** Resources of this community, oldest first, by keyset on (created_at, id). */
export async function listResources(
  em: EntityManager,
  args: { kind?: ResourceKind | null; first?: number | null; after?: string | null },
): Promise<ResourcePage> {
  const limit = pageSize(args.first);
  const after = afterKey(args.after);
  const where: Record<string, unknown> = { status: { $ne: ResourceStatus.RETIRED } };
  if (args.kind) where.kind = args.kind;
  if (after) {
    const { createdAt, id } = after;
    where.$or = [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }];
  }
  const rows = await em.find(SharedResource, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
  return { resources: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

/** The key a cursor carries, checked so that a forged one is bad input rather than a failed SQL query. */
function afterKey(cursor: string | null | undefined): { createdAt: Date; id: string } | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  const at = typeof createdAt === 'string' ? new Date(createdAt) : null;
  if (!at || Number.isNaN(at.getTime()) || typeof id !== 'string' || !isUuid(id)) {
    throw new BadInputError('分页游标无效', 'Invalid cursor', { argument: 'after' });
  }
  return { createdAt: at, id };
}

export async function getResource(em: EntityManager, id: string): Promise<SharedResource> {
  const resource = isUuid(id) ? await em.findOne(SharedResource, { id }) : null;
  if (!resource) throw new ResourceNotFoundError(id);
  return resource;
}

/** Exceptions from the community's local today on: a closure stays listed until its day is over there. */
export async function upcomingExceptions(resource: SharedResource, timezone: string, now = new Date()): Promise<AvailabilityException[]> {
  const today = DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
  return resource.exceptions.matching({ where: { date: { $gte: today } }, orderBy: { date: 'asc' } });
}

/**
 * Slots a resident could book in [from, to), each with the capacity left after live holds
 * and reservations (a full slot stays listed with 0, so clients can show it as full).
 */
export async function availability(
  em: EntityManager,
  resource: SharedResource,
  range: { from: Date; to: Date; now?: Date },
  timezone: string,
): Promise<Slot[]> {
  const { from, to } = range;
  if (!(from < to)) throw new InvalidTimeRangeError('`from` must be before `to`', '开始时间必须早于结束时间');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new InvalidTimeRangeError(`A range covers at most ${MAX_RANGE_DAYS} days`, `查询范围最多 ${MAX_RANGE_DAYS} 天`);
  }
  if (resource.status !== ResourceStatus.ACTIVE) return [];
  const [weekly, exceptions] = await Promise.all([
    em.find(OpeningHours, { resource }),
    em.find(AvailabilityException, { resource, date: { $gte: isoDate(from, -1), $lte: isoDate(to, 1) } }),
  ]);
  const slots = bookableSlots(
    { from, to, now: range.now ?? new Date() },
    { timezone, capacity: resource.capacity, ...pick(resource.policy) },
    weekly,
    exceptions,
  );
  return subtractLiveHolds(em, resource.id, slots);
}

export async function createResource(em: EntityManager, input: CreateResourceInput): Promise<SharedResource> {
  const policy = Object.assign(new BookingPolicy(), stripUndefined(input.policy ?? {}));
  if (policy.minDurationMinutes > policy.maxDurationMinutes) {
    throw new BadInputError('最短时长不能超过最长时长', 'minDurationMinutes exceeds maxDurationMinutes', { argument: 'policy' });
  }
  for (const w of input.weeklyHours) assertWindow(w.opensAt, w.closesAt);
  const resource = em.create(SharedResource, {
    name: input.name,
    nameEn: input.nameEn,
    kind: input.kind,
    description: input.description ?? '',
    descriptionEn: input.descriptionEn ?? '',
    location: input.location,
    locationEn: input.locationEn ?? '',
    capacity: input.capacity,
    policy,
  });
  for (const w of input.weeklyHours) {
    em.create(OpeningHours, { resource, weekday: w.weekday, opensAt: w.opensAt, closesAt: w.closesAt });
  }
  await em.flush();
  return resource;
}

export async function addAvailabilityException(
  em: EntityManager,
  resourceId: string,
  input: AvailabilityExceptionInput,
): Promise<AvailabilityException> {
  const resource = await getResource(em, resourceId);
  if (!DateTime.fromFormat(input.date, 'yyyy-MM-dd').isValid) {
    throw new BadInputError(`日期 ${input.date} 无效`, `${input.date} is not a calendar date`, { argument: 'input' });
  }
  const hasWindow = Boolean(input.opensAt && input.closesAt);
  if (input.kind === ExceptionKind.EXTRA_OPENING && !hasWindow) {
    throw new BadInputError('额外开放需要开始和结束时间', 'An extra opening needs opensAt and closesAt', { argument: 'input' });
  }
  if (Boolean(input.opensAt) !== Boolean(input.closesAt)) {
    throw new BadInputError('开始和结束时间需同时提供', 'Give both opensAt and closesAt, or neither', { argument: 'input' });
  }
  if (hasWindow) assertWindow(input.opensAt!, input.closesAt!);
  const exception = em.create(AvailabilityException, {
    resource,
    date: input.date,
    kind: input.kind,
    opensAt: input.opensAt ?? null,
    closesAt: input.closesAt ?? null,
    reason: input.reason ?? '',
    reasonEn: input.reasonEn ?? '',
  });
  await em.flush();
  return exception;
}

function assertWindow(opensAt: string, closesAt: string): void {
  if (!(opensAt < closesAt)) {
    throw new BadInputError(`开放时间 ${opensAt}–${closesAt} 无效`, `Opening window ${opensAt}–${closesAt} is empty`, {
      argument: 'weeklyHours',
    });
  }
}

function pick(policy: BookingPolicy) {
  const { slotMinutes, leadTimeMinutes, maxDaysAhead } = policy;
  return { slotMinutes, leadTimeMinutes, maxDaysAhead };
}

function isoDate(d: Date, offsetDays: number): string {
  return new Date(d.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
