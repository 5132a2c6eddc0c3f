import { hasRole, isStaffOf, Role, type Viewer } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GridForbiddenError } from './grid.errors.js';
import { GridWorker } from './grid.entity.js';

/*
 * Who may see what of grid work. Everything here is about one community, this one: a
 * viewer whose home is another community (or none: federation admins, services,
 * anonymous visitors) is never a member, whatever their roles, and sees nothing.
 *
 *  - community staff and admins see every grid, resident, care record and case;
 *  - a grid worker (GRID_WORKER role AND assigned to the grid) sees that grid's;
 *  - a one-to-one helper sees the resident in care they help, and of the personal fields
 *    only name, phone and address (not the care notes or needs found);
 *  - a resident sees the cases they reported, nothing else;
 *  - only the community admin changes settings and removes residents.
 */

export interface GridScope {
  userId: string | null;
  /** Signed in, and this community is their home. */
  member: boolean;
  staff: boolean;
  admin: boolean;
  /** Has the GRID_WORKER role (and is a member). */
  worker: boolean;
  /** The grids a worker is assigned to; empty for everyone else. */
  workerGridIds: ReadonlySet<string>;
}

export async function loadScope(em: EntityManager, viewer: Viewer, communityId: string): Promise<GridScope> {
  const member = viewer.userId !== null && viewer.homeCommunityId === communityId;
  const worker = member && hasRole(viewer, Role.GRID_WORKER);
  const assignments = worker ? await em.find(GridWorker, { userId: viewer.userId! }) : [];
  return {
    userId: viewer.userId,
    member,
    staff: member && isStaffOf(viewer, communityId),
    admin: member && hasRole(viewer, Role.COMMUNITY_ADMIN),
    worker,
    workerGridIds: new Set(assignments.map((a) => a.grid.id)),
  };
}

export function seesGrid(scope: GridScope, gridId: string | null | undefined): boolean {
  return scope.staff || (!!gridId && scope.workerGridIds.has(gridId));
}

export function requireMember(scope: GridScope): void {
  if (!scope.member) throw new GridForbiddenError('只有本社区成员可以访问网格信息', 'Only members of this community may see its grid work');
}

export function requireStaff(scope: GridScope): void {
  if (!scope.staff) throw new GridForbiddenError('只有本社区工作人员可以执行此操作', 'Only staff of this community may do this');
}

export function requireAdmin(scope: GridScope): void {
  if (!scope.admin) throw new GridForbiddenError('只有本社区管理员可以执行此操作', 'Only the community admin may do this');
}

/** Staff, or a worker of this grid. */
export function requireGrid(scope: GridScope, gridId: string): void {
  if (!seesGrid(scope, gridId)) {
    throw new GridForbiddenError('只有本网格的网格员或社区工作人员可以访问', 'Only this grid’s workers or community staff may see this', { gridId });
  }
}

/** Where a resident in care belongs and who helps them: what the personal-data rules look at. */
export interface CareSubject {
  gridId: string;
  helperId: string | null;
}

export type PersonalField = 'name' | 'phone' | 'address' | 'notes' | 'needs';

/** The fields a one-to-one helper needs to reach the person: not the care notes or needs. */
const HELPER_FIELDS: ReadonlySet<PersonalField> = new Set(['name', 'phone', 'address']);

function isHelper(scope: GridScope, subject: CareSubject): boolean {
  return scope.member && subject.helperId !== null && subject.helperId === scope.userId;
}

export function seesCare(scope: GridScope, subject: CareSubject): boolean {
  return seesGrid(scope, subject.gridId) || isHelper(scope, subject);
}

export function requireCare(scope: GridScope, subject: CareSubject, careRecipientId: string): void {
  if (!seesCare(scope, subject)) {
    throw new GridForbiddenError('无权查看该关爱对象', 'You may not see this resident in care', { careRecipientId });
  }
}

/** Whether the viewer may read one personal field of a resident (in care or not). */
export function mayReadPersonal(scope: GridScope, subject: CareSubject, field: PersonalField): boolean {
  if (!scope.member) return false;
  if (seesGrid(scope, subject.gridId)) return true;
  return isHelper(scope, subject) && HELPER_FIELDS.has(field);
}

/** What the case rules look at. */
export interface CaseSubject {
  gridId: string | null;
  assigneeId: string | null;
  reporterId: string;
}

/** Staff, a worker of the case's grid, or the worker it is dispatched to. */
export function handlesCase(scope: GridScope, c: CaseSubject): boolean {
  return seesGrid(scope, c.gridId) || (scope.worker && c.assigneeId !== null && c.assigneeId === scope.userId);
}

/** Handlers, and the resident who reported it. */
export function seesCase(scope: GridScope, c: CaseSubject): boolean {
  return handlesCase(scope, c) || (scope.member && c.reporterId === scope.userId);
}
