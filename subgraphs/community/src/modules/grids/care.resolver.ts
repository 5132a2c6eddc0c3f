import { pageSize } from '@linli/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { CareRecord, CareVisit } from './care.entity.js';
import {
  CareRecipientArgs,
  CareRecipientsArgs,
  EnrolCareRecipientArgs,
  RecordVisitArgs,
  UpdateCareRecipientArgs,
  VisitsArgs,
} from './care.inputs.js';
import * as care from './care.service.js';
import { requireCare, requireGrid, requireMember, type GridScope } from './grid.access.js';
import { GridForbiddenError } from './grid.errors.js';
import { getResident } from './grid.service.js';
import { gridScope, gridSettings, readPersonal } from './grid.request.js';

/**
 * The grids whose care records a listing covers: the one asked for (if the viewer may see
 * it), else all for staff, else the worker's own. Null means every grid.
 */
function listedGrids(scope: GridScope, gridId: string | null | undefined): readonly string[] | null {
  if (gridId) {
    requireGrid(scope, gridId);
    return [gridId];
  }
  return scope.staff ? null : [...scope.workerGridIds];
}

@Resolver(() => CareRecord)
export class CareRecipientResolver {
  @Query(() => [CareRecord], {
    nullable: true,
    description: '关爱对象：工作人员看全部，网格员看本网格，帮扶人看所帮扶的 (Residents in care: staff all, workers their grids, helpers whom they help)',
  })
  async careRecipients(@Args() { communityId, gridId }: CareRecipientsArgs, @Ctx() ctx: CommunityContext): Promise<CareRecord[]> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    if (!gridId && !scope.staff && !scope.worker) return care.listHelped(ctx.em, scope.userId!);
    return care.listCare(ctx.em, listedGrids(scope, gridId));
  }

  @Query(() => CareRecord, { nullable: true, description: '按 ID 查看关爱对象 (A resident in care by id)' })
  async careRecipient(@Args() { communityId, id }: CareRecipientArgs, @Ctx() ctx: CommunityContext): Promise<CareRecord | null> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const record = await care.findCare(ctx.em, id);
    if (!record) return null;
    requireCare(scope, care.careSubject(record), record.id);
    return record;
  }

  @Query(() => [CareRecord], {
    nullable: true,
    description: '走访逾期的关爱对象，逾期最久在前（本网格网格员、工作人员） (Residents in care overdue a visit, longest first; workers and staff)',
  })
  async overdueVisits(@Args() { communityId, gridId }: CareRecipientsArgs, @Ctx() ctx: CommunityContext): Promise<CareRecord[]> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    if (!gridId && !scope.staff && !scope.worker) {
      throw new GridForbiddenError('只有网格员和工作人员可以查看逾期走访', 'Only grid workers and staff may see overdue visits');
    }
    const due = await care.overdueVisits(ctx.em, listedGrids(scope, gridId), ctx.timezone, ctx.clock.now());
    return due.map((d) => d.record);
  }

  @Mutation(() => CareRecord, { nullable: true, description: '纳入关爱（本网格网格员、工作人员） (Take a resident into care; the grid’s workers and staff)' })
  async enrolCareRecipient(@Args() { communityId, input }: EnrolCareRecipientArgs, @Ctx() ctx: CommunityContext): Promise<CareRecord> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const resident = await getResident(ctx.em, input.residentId);
    requireGrid(scope, resident.household.grid.id);
    return care.enrol(ctx.em, input, ctx.clock.now());
  }

  @Mutation(() => CareRecord, { nullable: true, description: '调整风险等级、帮扶人或备注（本网格网格员、工作人员） (Change tier, helper or notes; the grid’s workers and staff)' })
  async updateCareRecipient(@Args() { communityId, input }: UpdateCareRecipientArgs, @Ctx() ctx: CommunityContext): Promise<CareRecord> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const record = await care.getCare(ctx.em, input.id);
    requireGrid(scope, care.careSubject(record).gridId);
    return care.updateCare(ctx.em, record, input);
  }

  @Mutation(() => CareVisit, {
    nullable: true,
    description: '记录走访；同一幂等键重试返回首次结果（本网格网格员、工作人员） (Record a visit; idempotent by key; the grid’s workers and staff)',
  })
  async recordVisit(@Args() { communityId, input }: RecordVisitArgs, @Ctx() ctx: CommunityContext): Promise<CareVisit> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const workerId = scope.userId!;
    // A retry is answered before anything else is looked at: the resident may have left since.
    const prior = await care.findVisitByKey(ctx.em, workerId, input.idempotencyKey);
    if (prior) return care.sameVisitOrConflict(prior, { careRecordId: input.careRecipientId, idempotencyKey: input.idempotencyKey });
    const record = await care.getCare(ctx.em, input.careRecipientId);
    requireGrid(scope, care.careSubject(record).gridId);
    return care.recordVisit(
      ctx.em,
      {
        careRecordId: record.id,
        workerId,
        visitedAt: input.visitedAt,
        mode: input.mode,
        notes: input.notes ?? null,
        needs: input.needs ?? [],
        idempotencyKey: input.idempotencyKey,
      },
      ctx.clock.now(),
    );
  }

  @FieldResolver(() => ID)
  residentId(@Root() record: CareRecord): string {
    return record.resident.id;
  }

  @FieldResolver(() => ID)
  gridId(@Root() record: CareRecord): string {
    return care.careSubject(record).gridId;
  }

  @FieldResolver(() => String, { nullable: true, description: '姓名（个人信息；逐字段授权，读取留痕） (Name; personal, authorised per field, every read audited)' })
  async name(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<string> {
    return readPersonal(ctx, 'CareRecipient', record.id, care.careSubject(record), 'name', () => record.resident.name);
  }

  @FieldResolver(() => String, { nullable: true, description: '电话（个人信息；逐字段授权，读取留痕） (Phone; personal, authorised per field, every read audited)' })
  async phone(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<string | null> {
    return readPersonal(ctx, 'CareRecipient', record.id, care.careSubject(record), 'phone', () => record.resident.phone);
  }

  @FieldResolver(() => String, { nullable: true, description: '地址（个人信息；逐字段授权，读取留痕） (Address; personal, authorised per field, every read audited)' })
  async address(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<string> {
    return readPersonal(ctx, 'CareRecipient', record.id, care.careSubject(record), 'address', () => record.resident.household.address);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: '关爱备注（个人信息；仅网格员与工作人员，读取留痕） (Care notes; personal, workers and staff only, every read audited)',
  })
  async notes(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<string> {
    return readPersonal(ctx, 'CareRecipient', record.id, care.careSubject(record), 'notes', () => record.notes);
  }

  @FieldResolver(() => LocalDateResolver, { description: '下次应走访日期（社区当地日期） (Next visit due, local date)' })
  async nextVisitDue(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<string> {
    return care.dueVisit(record, await gridSettings(ctx), ctx.timezone, ctx.clock.now()).dueOn;
  }

  @FieldResolver(() => Int, { description: '逾期天数，未逾期为 0 (Days overdue; 0 when not)' })
  async daysOverdue(@Root() record: CareRecord, @Ctx() ctx: CommunityContext): Promise<number> {
    return care.dueVisit(record, await gridSettings(ctx), ctx.timezone, ctx.clock.now()).daysOverdue;
  }

  @FieldResolver(() => [CareVisit], { description: '最近的走访，新的在前 (Latest visits, newest first)' })
  async visits(@Root() record: CareRecord, @Args() { first }: VisitsArgs, @Ctx() ctx: CommunityContext): Promise<CareVisit[]> {
    requireCare(await gridScope(ctx), care.careSubject(record), record.id);
    return care.visitsOf(ctx.em, record.id, pageSize(first));
  }
}

@Resolver(() => CareVisit)
export class CareVisitResolver {
  @FieldResolver(() => ID, { nullable: true, description: '关爱对象；其迁出后为空 (The resident in care; null once they left)' })
  careRecipientId(@Root() visit: CareVisit): string | null {
    return visit.careRecord?.id ?? null;
  }

  @FieldResolver(() => ID, { description: '走访对象：关爱对象 ID，迁出后为化名 (Who was visited: the care record id, or a pseudonym once they left)' })
  subjectId(@Root() visit: CareVisit): string {
    return visit.careRecord?.id ?? visit.subjectPseudonym!;
  }

  @FieldResolver(() => ID)
  gridId(@Root() visit: CareVisit): string {
    return visit.grid.id;
  }

  @FieldResolver(() => String, { nullable: true, description: '走访情况（个人信息；仅网格员与工作人员，读取留痕） (Notes; personal, workers and staff only, audited)' })
  async notes(@Root() visit: CareVisit, @Ctx() ctx: CommunityContext): Promise<string | null> {
    return readPersonal(ctx, 'CareVisit', visit.id, { gridId: visit.grid.id, helperId: null }, 'notes', () => visit.notes);
  }

  @FieldResolver(() => [String], { nullable: true, description: '发现的需求（个人信息；仅网格员与工作人员，读取留痕） (Needs found; personal, workers and staff only, audited)' })
  async needs(@Root() visit: CareVisit, @Ctx() ctx: CommunityContext): Promise<string[]> {
    return readPersonal(ctx, 'CareVisit', visit.id, { gridId: visit.grid.id, helperId: null }, 'needs', () => visit.needs);
  }
}
