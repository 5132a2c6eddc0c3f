import { Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { CareRecord } from './care.entity.js';
import { careSubject } from './care.service.js';
import { requireAdmin, requireGrid, requireMember, requireStaff, seesCare } from './grid.access.js';
import { Grid, GridWorker, Household, Resident } from './grid.entity.js';
import {
  AddHouseholdArgs,
  AddResidentArgs,
  AssignGridWorkerArgs,
  CommunityArgs,
  CreateGridArgs,
  GridArgs,
  GridScopedArgs,
  RemoveResidentArgs,
  UnassignGridWorkerArgs,
} from './grid.inputs.js';
import { gridScope, readPersonal } from './grid.request.js';
import * as grids from './grid.service.js';
import { ResidentRemoval } from './grid.types.js';
import { removeResident } from './resident.removal.js';

@Resolver(() => Grid)
export class GridResolver {
  @Query(() => [Grid], { nullable: true, description: '本社区的网格（本社区成员） (The community’s grids; its members only)' })
  async grids(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<Grid[]> {
    assertServes(ctx, communityId);
    requireMember(await gridScope(ctx));
    return grids.listGrids(ctx.em);
  }

  @Query(() => Grid, { nullable: true, description: '按 ID 查看网格（本社区成员） (A grid by id; members only)' })
  async grid(@Args() { communityId, id }: GridArgs, @Ctx() ctx: CommunityContext): Promise<Grid | null> {
    assertServes(ctx, communityId);
    requireMember(await gridScope(ctx));
    return grids.findGrid(ctx.em, id);
  }

  @Mutation(() => Grid, { nullable: true, description: '新建网格（本社区工作人员） (Create a grid; staff only)' })
  async createGrid(@Args() { communityId, input }: CreateGridArgs, @Ctx() ctx: CommunityContext): Promise<Grid> {
    assertServes(ctx, communityId);
    requireStaff(await gridScope(ctx));
    return grids.createGrid(ctx.em, input, ctx.clock.now());
  }

  @Mutation(() => GridWorker, { nullable: true, description: '指派网格员，可设为网格长（本社区工作人员） (Assign a grid worker, optionally as leader; staff only)' })
  async assignGridWorker(@Args() { communityId, input }: AssignGridWorkerArgs, @Ctx() ctx: CommunityContext): Promise<GridWorker> {
    assertServes(ctx, communityId);
    requireStaff(await gridScope(ctx));
    return grids.assignWorker(ctx.em, { gridId: input.gridId, userId: input.userId, leader: input.leader ?? false }, ctx.clock.now());
  }

  @Mutation(() => Boolean, { nullable: true, description: '撤销网格员，返回其原先是否在岗（本社区工作人员） (Unassign a worker; whether they were assigned)' })
  async unassignGridWorker(@Args() { communityId, gridId, userId }: UnassignGridWorkerArgs, @Ctx() ctx: CommunityContext): Promise<boolean> {
    assertServes(ctx, communityId);
    requireStaff(await gridScope(ctx));
    return grids.unassignWorker(ctx.em, gridId, userId);
  }

  @FieldResolver(() => [GridWorker], { description: '网格员，网格长在前 (Workers, the leader first)' })
  async workers(@Root() grid: Grid, @Ctx() ctx: CommunityContext): Promise<GridWorker[]> {
    return grids.workersOf(ctx.em, grid.id);
  }
}

@Resolver(() => GridWorker)
export class GridWorkerResolver {
  @FieldResolver(() => ID)
  gridId(@Root() worker: GridWorker): string {
    return worker.grid.id;
  }
}

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => [Household], { nullable: true, description: '网格内的住户（本网格网格员、工作人员） (Households of a grid; its workers and staff)' })
  async households(@Args() { communityId, gridId }: GridScopedArgs, @Ctx() ctx: CommunityContext): Promise<Household[]> {
    assertServes(ctx, communityId);
    requireGrid(await gridScope(ctx), gridId);
    return grids.listHouseholds(ctx.em, gridId);
  }

  @Mutation(() => Household, { nullable: true, description: '新增住户（本网格网格员、工作人员） (Add a household; the grid’s workers and staff)' })
  async addHousehold(@Args() { communityId, input }: AddHouseholdArgs, @Ctx() ctx: CommunityContext): Promise<Household> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    grids.checkGridId(input.gridId);
    requireGrid(scope, input.gridId);
    return grids.addHousehold(ctx.em, input, ctx.clock.now());
  }

  @FieldResolver(() => ID)
  gridId(@Root() household: Household): string {
    return household.grid.id;
  }

  @FieldResolver(() => String, { nullable: true, description: '地址（个人信息；逐字段授权，读取留痕） (Address; personal, authorised per field, every read audited)' })
  async address(@Root() household: Household, @Ctx() ctx: CommunityContext): Promise<string> {
    return readPersonal(ctx, 'Household', household.id, { gridId: household.grid.id, helperId: null }, 'address', () => household.address);
  }

  @FieldResolver(() => [Resident], { description: '住户中的居民 (The residents of the household)' })
  async residents(@Root() household: Household, @Ctx() ctx: CommunityContext): Promise<Resident[]> {
    requireGrid(await gridScope(ctx), household.grid.id);
    return grids.residentsOf(ctx.em, household.id);
  }
}

@Resolver(() => Resident)
export class ResidentResolver {
  @Mutation(() => Resident, { nullable: true, description: '新增居民（本网格网格员、工作人员） (Add a resident; the grid’s workers and staff)' })
  async addResident(@Args() { communityId, input }: AddResidentArgs, @Ctx() ctx: CommunityContext): Promise<Resident> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const household = await grids.getHousehold(ctx.em, input.householdId);
    requireGrid(scope, household.grid.id);
    return grids.addResident(ctx.em, input, ctx.clock.now());
  }

  @Mutation(() => ResidentRemoval, {
    nullable: true,
    description: '居民迁出：删除个人信息，历史记录改用化名（社区管理员） (A resident leaves: personal data deleted, history pseudonymised; community admin)',
  })
  async removeResident(@Args() { communityId, residentId }: RemoveResidentArgs, @Ctx() ctx: CommunityContext): Promise<ResidentRemoval> {
    assertServes(ctx, communityId);
    requireAdmin(await gridScope(ctx));
    return removeResident(ctx.em, residentId);
  }

  @FieldResolver(() => ID)
  householdId(@Root() resident: Resident): string {
    return resident.household.id;
  }

  @FieldResolver(() => String, { nullable: true, description: '姓名（个人信息；逐字段授权，读取留痕） (Name; personal, authorised per field, every read audited)' })
  async name(@Root() resident: Resident, @Ctx() ctx: CommunityContext): Promise<string> {
    return readPersonal(ctx, 'Resident', resident.id, await residentSubject(ctx, resident), 'name', () => resident.name);
  }

  @FieldResolver(() => String, { nullable: true, description: '电话（个人信息；逐字段授权，读取留痕） (Phone; personal, authorised per field, every read audited)' })
  async phone(@Root() resident: Resident, @Ctx() ctx: CommunityContext): Promise<string | null> {
    return readPersonal(ctx, 'Resident', resident.id, await residentSubject(ctx, resident), 'phone', () => resident.phone);
  }

  @FieldResolver(() => CareRecord, { nullable: true, description: '关爱记录（如有且可见） (Their care record, if any and visible to you)' })
  async careRecipient(@Root() resident: Resident, @Ctx() ctx: CommunityContext): Promise<CareRecord | null> {
    const record = await ctx.em.findOne(CareRecord, { resident: resident.id }, { populate: ['resident', 'resident.household'] });
    if (!record) return null;
    return seesCare(await gridScope(ctx), careSubject(record)) ? record : null;
  }
}

async function residentSubject(ctx: CommunityContext, resident: Resident): Promise<{ gridId: string; helperId: null }> {
  await ctx.em.populate(resident, ['household']);
  return { gridId: resident.household.grid.id, helperId: null };
}

