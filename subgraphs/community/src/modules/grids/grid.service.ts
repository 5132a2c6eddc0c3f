import { ConflictError } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { parseBoundary } from './boundary.js';
import { Grid, GridWorker, Household, Resident } from './grid.entity.js';
import { GridRecordNotFoundError, GridRuleError, isUuid } from './grid.errors.js';

export interface NewGrid {
  name: string;
  nameEn?: string | null;
  boundary: unknown;
  partyBranch: string;
  partyBranchEn?: string | null;
}

export async function createGrid(em: EntityManager, input: NewGrid, now: Date): Promise<Grid> {
  const parsed = parseBoundary(input.boundary);
  if ('problem' in parsed) {
    const { path, reason } = parsed.problem;
    throw new GridRuleError('boundary', `边界不是有效的 GeoJSON 多边形：${path} ${reason}`, `Boundary is not a valid GeoJSON polygon: ${path} ${reason}`, { path });
  }
  const grid = em.create(Grid, {
    name: input.name,
    nameEn: input.nameEn ?? '',
    boundary: parsed.boundary,
    partyBranch: input.partyBranch,
    partyBranchEn: input.partyBranchEn ?? '',
    createdAt: now,
  });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('已有同名网格', 'A grid with this name already exists', { reason: 'GRID_NAME_TAKEN', name: input.name });
    }
    throw error;
  }
  return grid;
}

export async function listGrids(em: EntityManager): Promise<Grid[]> {
  return em.find(Grid, {}, { orderBy: { name: 'asc' } });
}

export async function findGrid(em: EntityManager, id: string): Promise<Grid | null> {
  return isUuid(id) ? em.findOne(Grid, { id }) : null;
}

export async function getGrid(em: EntityManager, id: string): Promise<Grid> {
  const grid = await findGrid(em, id);
  if (!grid) throw new GridRecordNotFoundError('grid', id);
  return grid;
}

/** Leader first, then by when they joined. */
export async function workersOf(em: EntityManager, gridId: string): Promise<GridWorker[]> {
  return em.find(GridWorker, { grid: gridId }, { orderBy: { leader: 'desc', assignedAt: 'asc', userId: 'asc' } });
}

export async function isWorkerOf(em: EntityManager, gridId: string, userId: string): Promise<boolean> {
  return (await em.count(GridWorker, { grid: gridId, userId })) > 0;
}

/**
 * Assigns a user to a grid (again: a no-op), optionally as its leader. A grid has one
 * leader: naming a new one steps the old one down, under the grid's row lock so two
 * namings at once cannot both win (the partial unique index would refuse the second).
 */
export async function assignWorker(em: EntityManager, input: { gridId: string; userId: string; leader: boolean }, now: Date): Promise<GridWorker> {
  await getGrid(em, input.gridId);
  return em.transactional(async (tx) => {
    await tx.execute('select 1 from grid where id = ? for update', [input.gridId]);
    if (input.leader) await tx.nativeUpdate(GridWorker, { grid: input.gridId, leader: true, userId: { $ne: input.userId } }, { leader: false });
    const existing = await tx.findOne(GridWorker, { grid: input.gridId, userId: input.userId }, { refresh: true });
    if (existing) {
      if (input.leader) existing.leader = true;
      return existing;
    }
    return tx.create(GridWorker, { grid: tx.getReference(Grid, input.gridId), userId: input.userId, leader: input.leader, assignedAt: now });
  });
}

/** Returns whether the user was assigned. */
export async function unassignWorker(em: EntityManager, gridId: string, userId: string): Promise<boolean> {
  if (!isUuid(gridId)) return false;
  return (await em.nativeDelete(GridWorker, { grid: gridId, userId })) > 0;
}

export async function addHousehold(em: EntityManager, input: { gridId: string; address: string }, now: Date): Promise<Household> {
  const grid = await getGrid(em, input.gridId);
  const household = em.create(Household, { grid, address: input.address, createdAt: now });
  await em.flush();
  return household;
}

export async function findHousehold(em: EntityManager, id: string): Promise<Household | null> {
  return isUuid(id) ? em.findOne(Household, { id }) : null;
}

export async function getHousehold(em: EntityManager, id: string): Promise<Household> {
  const household = await findHousehold(em, id);
  if (!household) throw new GridRecordNotFoundError('household', id);
  return household;
}

export async function listHouseholds(em: EntityManager, gridId: string): Promise<Household[]> {
  return em.find(Household, { grid: gridId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export async function residentsOf(em: EntityManager, householdId: string): Promise<Resident[]> {
  return em.find(Resident, { household: householdId }, { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['household'] });
}

export interface NewResident {
  householdId: string;
  name: string;
  phone?: string | null;
  userId?: string | null;
}

export async function addResident(em: EntityManager, input: NewResident, now: Date): Promise<Resident> {
  const household = await getHousehold(em, input.householdId);
  const resident = em.create(Resident, { household, name: input.name, phone: input.phone ?? null, userId: input.userId ?? null, createdAt: now });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('该账号已关联另一位居民', 'This user id already belongs to another resident', { reason: 'USER_ID_TAKEN' });
    }
    throw error;
  }
  return resident;
}

/** The resident with their household (for its grid). */
export async function findResident(em: EntityManager, id: string): Promise<Resident | null> {
  return isUuid(id) ? em.findOne(Resident, { id }, { populate: ['household'] }) : null;
}

export async function getResident(em: EntityManager, id: string): Promise<Resident> {
  const resident = await findResident(em, id);
  if (!resident) throw new GridRecordNotFoundError('resident', id);
  return resident;
}

export function checkGridId(gridId: string | null | undefined): void {
  if (gridId !== null && gridId !== undefined && !isUuid(gridId)) {
    throw new GridRuleError('gridId', '网格 ID 无效', 'gridId is not a valid id', { gridId });
  }
}
