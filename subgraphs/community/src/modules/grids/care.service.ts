import { ConflictError, type EventPublisher } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { CareSubject } from './grid.access.js';
import { CareCategory, CareRecord, CareVisit, RiskTier, VisitMode } from './care.entity.js';
import { daysOverdue, localDate, nextVisitDue } from './care.schedule.js';
import { Grid, Resident } from './grid.entity.js';
import { GridRecordNotFoundError, GridRuleError, IdempotencyKeyReusedError, isUuid } from './grid.errors.js';
import type { GridSettings } from './settings.entity.js';
import { readSettings } from './settings.service.js';

/** How far back a visit may be recorded (workers write up the week's visits later). */
export const MAX_VISIT_BACKDATE_DAYS = 31;
/** Clock skew allowed between a worker's phone and the server. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export const VISIT_OVERDUE = 'visit.overdue';

const POPULATE = ['resident', 'resident.household'] as const;

/** Where the record belongs and who helps: what the personal-data rules look at. */
export function careSubject(record: CareRecord): CareSubject {
  return { gridId: record.resident.household.grid.id, helperId: record.helperId };
}

export async function findCare(em: EntityManager, id: string): Promise<CareRecord | null> {
  return isUuid(id) ? em.findOne(CareRecord, { id }, { populate: POPULATE }) : null;
}

export async function getCare(em: EntityManager, id: string): Promise<CareRecord> {
  const record = await findCare(em, id);
  if (!record) throw new GridRecordNotFoundError('careRecipient', id);
  return record;
}

/** Care records in the given grids (all grids when `gridIds` is null). */
export async function listCare(em: EntityManager, gridIds: readonly string[] | null): Promise<CareRecord[]> {
  if (gridIds !== null && gridIds.length === 0) return [];
  const where = gridIds === null ? {} : { resident: { household: { grid: { $in: [...gridIds] } } } };
  return em.find(CareRecord, where, { populate: POPULATE, orderBy: { enrolledAt: 'asc', id: 'asc' } });
}

/** Care records the user helps one to one. */
export async function listHelped(em: EntityManager, helperId: string): Promise<CareRecord[]> {
  return em.find(CareRecord, { helperId }, { populate: POPULATE, orderBy: { enrolledAt: 'asc', id: 'asc' } });
}

export interface Enrolment {
  residentId: string;
  category: CareCategory;
  riskTier: RiskTier;
  helperId?: string | null;
  notes?: string | null;
}

export async function enrol(em: EntityManager, input: Enrolment, now: Date): Promise<CareRecord> {
  const resident = await em.findOne(Resident, { id: input.residentId }, { populate: ['household'] });
  if (!resident) throw new GridRecordNotFoundError('resident', input.residentId);
  const record = em.create(CareRecord, {
    resident,
    category: input.category,
    riskTier: input.riskTier,
    helperId: input.helperId ?? null,
    notes: input.notes ?? '',
    enrolledAt: now,
    updatedAt: now,
  });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('该居民已是关爱对象', 'This resident is already in care', { reason: 'ALREADY_IN_CARE', residentId: input.residentId });
    }
    throw error;
  }
  return record;
}

export interface CareChange {
  category?: CareCategory | null;
  riskTier?: RiskTier | null;
  /** Empty string removes the helper. */
  helperId?: string | null;
  notes?: string | null;
}

export async function updateCare(em: EntityManager, record: CareRecord, change: CareChange): Promise<CareRecord> {
  if (change.category) record.category = change.category;
  if (change.riskTier) record.riskTier = change.riskTier;
  if (change.helperId !== undefined && change.helperId !== null) record.helperId = change.helperId === '' ? null : change.helperId;
  if (change.notes !== undefined && change.notes !== null) record.notes = change.notes;
  await em.flush();
  return record;
}

export interface DueVisit {
  record: CareRecord;
  dueOn: string;
  daysOverdue: number;
}

export function dueVisit(record: CareRecord, settings: GridSettings, timezone: string, now: Date): DueVisit {
  const dueOn = nextVisitDue(record, settings, timezone);
  return { record, dueOn, daysOverdue: daysOverdue(dueOn, localDate(now, timezone)) };
}

/** Residents in care past their due date in the given grids (null: all), longest overdue first. */
export async function overdueVisits(em: EntityManager, gridIds: readonly string[] | null, timezone: string, now: Date): Promise<DueVisit[]> {
  const settings = await readSettings(em);
  return (await listCare(em, gridIds))
    .map((record) => dueVisit(record, settings, timezone, now))
    .filter((d) => d.daysOverdue > 0)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.record.id.localeCompare(b.record.id));
}

export interface NewVisit {
  careRecordId: string;
  workerId: string;
  visitedAt: Date;
  mode: VisitMode;
  notes?: string | null;
  needs?: string[] | null;
  idempotencyKey: string;
}

/** A visit already recorded by this worker under this key, if any. */
export async function findVisitByKey(em: EntityManager, workerId: string, idempotencyKey: string): Promise<CareVisit | null> {
  return em.findOne(CareVisit, { workerId, idempotencyKey }, { populate: ['careRecord'] });
}

/** A retry is answered with the first visit; the key reused for another resident is a conflict. */
export function sameVisitOrConflict(existing: CareVisit, input: Pick<NewVisit, 'careRecordId' | 'idempotencyKey'>): CareVisit {
  // A pseudonymised visit (its resident since removed) can no longer be compared: it stands.
  if (existing.careRecord && existing.careRecord.id !== input.careRecordId) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return existing;
}

/**
 * Records a visit and moves the resident's last visit forward (never back: a late
 * write-up of an older visit does not make a later one disappear). Idempotent per worker
 * and key. Runs under the care record's row lock, which also orders it against removal.
 */
export async function recordVisit(em: EntityManager, input: NewVisit, now: Date): Promise<CareVisit> {
  if (input.visitedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new GridRuleError('visitedAt', '走访时间不能晚于现在', 'visitedAt cannot be in the future');
  }
  if (input.visitedAt.getTime() < now.getTime() - MAX_VISIT_BACKDATE_DAYS * DAY_MS) {
    throw new GridRuleError('visitedAt', `只能补录 ${MAX_VISIT_BACKDATE_DAYS} 天内的走访`, `Visits older than ${MAX_VISIT_BACKDATE_DAYS} days cannot be recorded`);
  }
  const prior = await findVisitByKey(em, input.workerId, input.idempotencyKey);
  if (prior) return sameVisitOrConflict(prior, input);
  try {
    return await em.transactional(async (tx) => {
      const [locked] = await tx.execute<Array<{ grid_id: string }>>(
        `select h.grid_id from care_record c join resident r on r.id = c.resident_id join household h on h.id = r.household_id
          where c.id = ? for update of c`,
        [input.careRecordId],
      );
      if (!locked) throw new GridRecordNotFoundError('careRecipient', input.careRecordId);
      const visit = tx.create(CareVisit, {
        careRecord: tx.getReference(CareRecord, input.careRecordId),
        grid: tx.getReference(Grid, locked.grid_id),
        workerId: input.workerId,
        visitedAt: input.visitedAt,
        mode: input.mode,
        notes: input.notes ?? null,
        needs: input.needs ?? [],
        idempotencyKey: input.idempotencyKey,
        recordedAt: now,
      });
      await tx.flush();
      await tx.execute(
        `update care_record set last_visit_at = greatest(coalesce(last_visit_at, ?), ?), updated_at = ? where id = ?`,
        [input.visitedAt, input.visitedAt, now, input.careRecordId],
      );
      return visit;
    });
  } catch (error) {
    // The same retry arriving twice at once: the unique key lets one in; the other answers with it.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await findVisitByKey(em.fork(), input.workerId, input.idempotencyKey);
    if (!winner) throw error;
    return sameVisitOrConflict(winner, input);
  }
}

export async function visitsOf(em: EntityManager, careRecordId: string, limit: number): Promise<CareVisit[]> {
  return em.find(CareVisit, { careRecord: careRecordId }, { orderBy: { visitedAt: 'desc', id: 'desc' }, limit });
}

interface CareRow {
  id: string;
  grid_id: string;
  risk_tier: RiskTier;
  /** Raw timestamptz text: passed back as read, so the claim compares exactly. */
  enrolled_at: string;
  last_visit_at: string | null;
  overdue_announced_for: string | null;
}

/**
 * The scheduled check: publishes `visit.overdue` for each resident in care who has become
 * overdue since the last check — once per overdue period. The due date announced is
 * remembered on the record by a conditional update that also checks nothing changed since
 * it was read (a visit, a new tier); only the check that wins it publishes. The event
 * names the care record and its grid, nothing personal. Returns how many were announced.
 */
export async function announceOverdueVisits(em: EntityManager, events: EventPublisher, communityId: string, timezone: string, now: Date): Promise<number> {
  const settings = await readSettings(em);
  const today = localDate(now, timezone);
  const rows = await em.execute<CareRow[]>(
    `select c.id, h.grid_id, c.risk_tier, c.enrolled_at, c.last_visit_at, c.overdue_announced_for
       from care_record c join resident r on r.id = c.resident_id join household h on h.id = r.household_id`,
  );
  let announced = 0;
  for (const row of rows) {
    const record = { riskTier: row.risk_tier, enrolledAt: new Date(row.enrolled_at), lastVisitAt: row.last_visit_at ? new Date(row.last_visit_at) : null };
    const dueOn = nextVisitDue(record, settings, timezone);
    if (daysOverdue(dueOn, today) === 0 || row.overdue_announced_for === dueOn) continue;
    const claimed = await em.execute<Array<{ id: string }>>(
      `update care_record set overdue_announced_for = ?
        where id = ? and overdue_announced_for is distinct from ? and risk_tier = ? and last_visit_at is not distinct from ?
        returning id`,
      [dueOn, row.id, dueOn, row.risk_tier, row.last_visit_at],
    );
    if (claimed.length === 0) continue;
    announced++;
    await events.publish({
      type: VISIT_OVERDUE,
      communityId,
      subjectId: row.id,
      occurredAt: now.toISOString(),
      data: { gridId: row.grid_id, dueOn, daysOverdue: daysOverdue(dueOn, today) },
    });
  }
  return announced;
}
