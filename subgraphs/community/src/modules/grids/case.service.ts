import { decodeCursor, encodeCursor, pageSize, type EventPublisher } from '@linli/subgraph-kit';
import { LockMode, UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { CareRecord } from './care.entity.js';
import { CaseCategory, CaseStatus, CaseTransition, CaseUrgency, GridCase } from './case.entity.js';
import { EVALUABLE_STATUSES, MAX_ESCALATION_LEVEL, OPEN_STATUSES, stepOf, type CaseStep } from './case.lifecycle.js';
import { Grid } from './grid.entity.js';
import { GridRecordNotFoundError, GridRuleError, IdempotencyKeyReusedError, InvalidTransitionError, isUuid } from './grid.errors.js';
import { isWorkerOf } from './grid.service.js';
import { readSettings, resolveMinutes } from './settings.service.js';

export const CASE_ESCALATED = 'case.escalated';
const MINUTE_MS = 60_000;

export interface NewCase {
  category: CaseCategory;
  urgency: CaseUrgency;
  title: string;
  description?: string | null;
  location?: string | null;
  gridId?: string | null;
  careRecordId?: string | null;
  reporterId: string;
  idempotencyKey: string;
}

export async function findCase(em: EntityManager, id: string): Promise<GridCase | null> {
  return isUuid(id) ? em.findOne(GridCase, { id }) : null;
}

export async function getCase(em: EntityManager, id: string): Promise<GridCase> {
  const found = await findCase(em, id);
  if (!found) throw new GridRecordNotFoundError('case', id);
  return found;
}

export async function findCaseByKey(em: EntityManager, reporterId: string, idempotencyKey: string): Promise<GridCase | null> {
  return em.findOne(GridCase, { reporterId, idempotencyKey });
}

/** A retry is answered with the first case; the key reused for a different report is a conflict. */
export function sameCaseOrConflict(existing: GridCase, input: Pick<NewCase, 'title' | 'category' | 'idempotencyKey'>): GridCase {
  if (existing.title !== input.title || existing.category !== input.category) throw new IdempotencyKeyReusedError(input.idempotencyKey);
  return existing;
}

/**
 * Reports a case, idempotently per reporter and key. Its deadline is set now, from the
 * community's settings for its urgency. A case about a resident in care belongs to their
 * grid unless another is named. The report is the first entry of the history.
 */
export async function reportCase(em: EntityManager, input: NewCase, now: Date): Promise<GridCase> {
  const prior = await findCaseByKey(em, input.reporterId, input.idempotencyKey);
  if (prior) return sameCaseOrConflict(prior, input);

  let gridId = input.gridId ?? null;
  if (gridId && !(await em.count(Grid, { id: gridId }))) throw new GridRecordNotFoundError('grid', gridId);
  if (input.careRecordId) {
    const care = await em.findOne(CareRecord, { id: input.careRecordId }, { populate: ['resident.household'] });
    if (!care) throw new GridRecordNotFoundError('careRecipient', input.careRecordId);
    gridId ??= care.resident.household.grid.id;
  }
  const settings = await readSettings(em);
  try {
    return await em.transactional(async (tx) => {
      const created = tx.create(GridCase, {
        grid: gridId ? tx.getReference(Grid, gridId) : null,
        careRecord: input.careRecordId ? tx.getReference(CareRecord, input.careRecordId) : null,
        category: input.category,
        urgency: input.urgency,
        title: input.title,
        description: input.description ?? '',
        location: input.location ?? '',
        reporterId: input.reporterId,
        idempotencyKey: input.idempotencyKey,
        reportedAt: now,
        resolveBy: new Date(now.getTime() + resolveMinutes(settings, input.urgency) * MINUTE_MS),
        updatedAt: now,
      });
      tx.create(CaseTransition, { gridCase: created, from: null, to: CaseStatus.REPORTED, actorId: input.reporterId, at: now, note: '' });
      return created;
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await findCaseByKey(em.fork(), input.reporterId, input.idempotencyKey);
    if (!winner) throw error;
    return sameCaseOrConflict(winner, input);
  }
}

export interface TransitionRequest {
  to: CaseStatus;
  note?: string | null;
  /** DISPATCHED only: the grid worker to dispatch to. */
  assigneeId?: string | null;
  /** REGISTERED only: re-grade or move the case. */
  gridId?: string | null;
  urgency?: CaseUrgency | null;
  category?: CaseCategory | null;
}

/**
 * Checks that the actor may take `step` on the case as it is now (locked); throws FORBIDDEN
 * if not. Supplied by the caller, who knows the viewer.
 */
export type StepAuthoriser = (current: GridCase, step: CaseStep, request: TransitionRequest) => void;

/**
 * Moves a case one step, under its row lock so that two steps at once cannot both start
 * from the same state. An impossible step is BAD_USER_INPUT with rule `transition` and its
 * `from`/`to`; each step's own requirements have their own rule.
 */
export async function transitionCase(
  em: EntityManager,
  caseId: string,
  request: TransitionRequest,
  actorId: string,
  authorise: StepAuthoriser,
  now: Date,
): Promise<GridCase> {
  return em.transactional(async (tx) => {
    const current = await tx.findOne(GridCase, { id: caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!current) throw new GridRecordNotFoundError('case', caseId);
    const from = current.status;
    const step = stepOf(from, request.to);
    if (!step) throw new InvalidTransitionError(from, request.to);
    authorise(current, step, request);

    const regrading = request.gridId != null || request.urgency != null || request.category != null;
    if (regrading && request.to !== CaseStatus.REGISTERED) {
      throw new GridRuleError('onlyAtRegistration', '网格、紧急程度和类别只能在受理登记时调整', 'gridId, urgency and category can change only when the case is registered');
    }
    if (request.assigneeId != null && request.to !== CaseStatus.DISPATCHED) {
      throw new GridRuleError('assignee', '只有派遣时才能指定承办人', 'An assignee is named only when dispatching');
    }

    switch (request.to) {
      case CaseStatus.REGISTERED: {
        const gridId = request.gridId ?? current.grid?.id ?? null;
        if (!gridId) throw new GridRuleError('gridId', '受理登记须指定网格', 'A registered case needs a grid');
        if (request.gridId) {
          if (!(await tx.count(Grid, { id: request.gridId }))) throw new GridRecordNotFoundError('grid', request.gridId);
          current.grid = tx.getReference(Grid, request.gridId);
        }
        if (request.category) current.category = request.category;
        if (request.urgency && request.urgency !== current.urgency) {
          current.urgency = request.urgency;
          const settings = await readSettings(tx);
          current.resolveBy = new Date(current.reportedAt.getTime() + resolveMinutes(settings, request.urgency) * MINUTE_MS);
        }
        break;
      }
      case CaseStatus.DISPATCHED: {
        const assigneeId = request.assigneeId;
        if (!assigneeId) throw new GridRuleError('assignee', '派遣须指定承办网格员', 'Dispatching needs an assignee');
        const gridId = current.grid?.id;
        if (!gridId) throw new GridRuleError('gridId', '派遣前须指定网格', 'A case needs a grid before it is dispatched');
        if (!(await isWorkerOf(tx, gridId, assigneeId))) {
          throw new GridRuleError('assignee', '承办人须是本网格的网格员', 'The assignee must be a worker of the case’s grid', { assigneeId });
        }
        current.assigneeId = assigneeId;
        break;
      }
      case CaseStatus.RESOLVED:
        if (!request.note?.trim()) throw new GridRuleError('note', '办结须说明处置情况', 'Resolving needs a note of what was done');
        current.resolvedAt = now;
        break;
      case CaseStatus.CLOSED:
        current.closedAt = now;
        break;
      default:
        break;
    }
    current.status = request.to;
    current.updatedAt = now;
    tx.create(CaseTransition, { gridCase: current, from, to: request.to, actorId, at: now, note: request.note ?? '' });
    return current;
  });
}

/** The reporter's rating, once, after the work is done. */
export async function evaluateCase(em: EntityManager, caseId: string, input: { score: number; comment?: string | null }, now: Date): Promise<GridCase> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
    throw new GridRuleError('evaluation', '评分须为 1–5', 'score must be a whole number from 1 to 5', { reason: 'score' });
  }
  return em.transactional(async (tx) => {
    const current = await tx.findOne(GridCase, { id: caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!current) throw new GridRecordNotFoundError('case', caseId);
    if (!EVALUABLE_STATUSES.includes(current.status)) {
      throw new GridRuleError('evaluation', '事件办结后才能评价', 'A case can be evaluated once it is resolved', { reason: 'notResolved', status: current.status });
    }
    if (current.evaluatedAt) throw new GridRuleError('evaluation', '该事件已评价', 'This case has already been evaluated', { reason: 'alreadyEvaluated' });
    current.evaluationScore = input.score;
    current.evaluationComment = input.comment ?? null;
    current.evaluatedAt = now;
    current.updatedAt = now;
    return current;
  });
}

export async function historyOf(em: EntityManager, caseId: string): Promise<CaseTransition[]> {
  return em.find(CaseTransition, { gridCase: caseId }, { orderBy: { at: 'asc', id: 'asc' } });
}

export interface CaseFilter {
  /** Cases in these grids (null: every grid, and cases with none yet). */
  gridIds: readonly string[] | null;
  /** Also cases dispatched to this worker, whatever their grid. */
  orAssigneeId?: string | null;
  /** Only cases this user reported. */
  reporterId?: string | null;
  status?: CaseStatus | null;
}

export interface CasePage {
  cases: GridCase[];
  hasNextPage: boolean;
}

export function caseCursor(c: GridCase): string {
  return encodeCursor([c.reportedAt.toISOString(), c.id]);
}

/** Newest first, by keyset on (reportedAt desc, id desc). */
export async function listCases(em: EntityManager, filter: CaseFilter, page: { first?: number | null; after?: string | null }): Promise<CasePage> {
  const limit = pageSize(page.first);
  const after = decodeCursor(page.after, 2) as [string, string] | null;
  const and: FilterQuery<GridCase>[] = [];
  if (filter.gridIds !== null) {
    const scope: FilterQuery<GridCase>[] = [{ grid: { $in: [...filter.gridIds] } }];
    if (filter.orAssigneeId) scope.push({ assigneeId: filter.orAssigneeId });
    and.push({ $or: scope });
  }
  if (filter.reporterId) and.push({ reporterId: filter.reporterId });
  if (filter.status) and.push({ status: filter.status });
  if (after) {
    const at = new Date(after[0]);
    and.push({ $or: [{ reportedAt: { $lt: at } }, { reportedAt: at, id: { $lt: after[1] } }] });
  }
  const rows = await em.find(GridCase, and.length ? { $and: and } : {}, { orderBy: { reportedAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return { cases: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

interface EscalatedRow {
  id: string;
  grid_id: string | null;
  escalation_level: number;
  urgency: CaseUrgency;
  category: CaseCategory;
}

/**
 * The scheduled check: every open case past its deadline is escalated to level n once it
 * is n deadline-windows late (window = resolveBy − reportedAt; at most
 * MAX_ESCALATION_LEVEL), and `case.escalated` published for each level reached. One
 * conditional UPDATE claims the new levels, so each is announced once however many checks
 * run; the status is re-checked on the row it updates, so a case resolved meanwhile is left
 * alone. The event names the case and its grid, nothing personal. Returns the escalations.
 */
export async function escalateBreachedCases(em: EntityManager, events: EventPublisher, communityId: string, now: Date): Promise<number> {
  // Constants written into the SQL, not bound: the planner matches them to the partial index.
  const open = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');
  const rows = await em.execute<EscalatedRow[]>(
    `with breached as (
       select id, least(?, 1 + floor(extract(epoch from (?::timestamptz - resolve_by)) / extract(epoch from (resolve_by - reported_at))))::int as level
         from grid_case where status in (${open}) and resolve_by < ?)
     update grid_case c set escalation_level = breached.level, escalated_at = ?, updated_at = ?
       from breached
      where c.id = breached.id and c.escalation_level < breached.level and c.status in (${open})
      returning c.id, c.grid_id, c.escalation_level, c.urgency, c.category`,
    [MAX_ESCALATION_LEVEL, now, now, now, now],
  );
  for (const row of rows) {
    await events.publish({
      type: CASE_ESCALATED,
      communityId,
      subjectId: row.id,
      occurredAt: now.toISOString(),
      data: { gridId: row.grid_id, level: row.escalation_level, urgency: row.urgency, category: row.category },
    });
  }
  return rows.length;
}
