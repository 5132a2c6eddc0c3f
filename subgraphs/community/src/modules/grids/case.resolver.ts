import { toConnection as relayConnection } from '@linli/subgraph-kit';
import { Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { Community } from '../community/community.type.js';
import { assertServes } from '../resources/resource.resolver.js';
import { CareRecord } from './care.entity.js';
import * as care from './care.service.js';
import { CaseTransition, GridCase } from './case.entity.js';
import { CaseArgs, CasesArgs, CaseStatsArgs, EvaluateCaseArgs, MyCasesArgs, ReportCaseArgs, TransitionCaseArgs } from './case.inputs.js';
import { OPEN_STATUSES, type CaseStep } from './case.lifecycle.js';
import * as cases from './case.service.js';
import { caseStats } from './case.stats.js';
import { CaseStats, GridCaseConnection } from './case.types.js';
import { handlesCase, requireCare, requireGrid, requireMember, seesCare, seesCase, seesGrid, type CaseSubject, type GridScope } from './grid.access.js';
import { GridForbiddenError } from './grid.errors.js';
import { checkGridId } from './grid.service.js';
import { gridScope } from './grid.request.js';

function subjectOf(c: GridCase): CaseSubject {
  return { gridId: c.grid?.id ?? null, assigneeId: c.assigneeId, reporterId: c.reporterId };
}

function toConnection(page: cases.CasePage): GridCaseConnection {
  return relayConnection(page.cases, page.hasNextPage, cases.caseCursor);
}

/** Who may take each step (case.lifecycle.ts), judged on the case as locked. */
function stepAuthoriser(scope: GridScope): cases.StepAuthoriser {
  return (current: GridCase, step: CaseStep, request) => {
    const gridId = current.grid?.id ?? null;
    const isAssignee = scope.worker && current.assigneeId !== null && current.assigneeId === scope.userId;
    const allowed =
      step.by === 'handler'
        ? seesGrid(scope, gridId)
        : step.by === 'assignee'
          ? scope.staff || isAssignee
          : seesGrid(scope, gridId) && current.assigneeId !== scope.userId;
    if (!allowed) {
      throw new GridForbiddenError('无权执行这一步', 'You may not take this step', { from: step.from, to: step.to, actor: step.by });
    }
    // Moving a case between grids: only into one the viewer works in (staff: any).
    if (request.gridId && !seesGrid(scope, request.gridId)) {
      throw new GridForbiddenError('不能把事件转到你不负责的网格', 'You may not move a case into a grid you do not work in', { gridId: request.gridId });
    }
  };
}

@Resolver(() => GridCase)
export class GridCaseResolver {
  @Mutation(() => GridCase, {
    nullable: true,
    description: '上报事件（本社区成员）；同一幂等键重试返回首次结果 (Report a case; any member of this community; idempotent by key)',
  })
  async reportCase(@Args() { communityId, input }: ReportCaseArgs, @Ctx() ctx: CommunityContext): Promise<GridCase> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const reporterId = scope.userId!;
    const prior = await cases.findCaseByKey(ctx.em, reporterId, input.idempotencyKey);
    if (prior) return cases.sameCaseOrConflict(prior, input);
    checkGridId(input.gridId);
    if (input.careRecipientId) {
      const record = await care.getCare(ctx.em, input.careRecipientId);
      requireCare(scope, care.careSubject(record), record.id);
    }
    return cases.reportCase(
      ctx.em,
      {
        category: input.category,
        urgency: input.urgency,
        title: input.title,
        description: input.description ?? null,
        location: input.location ?? null,
        gridId: input.gridId ?? null,
        careRecordId: input.careRecipientId ?? null,
        reporterId,
        idempotencyKey: input.idempotencyKey,
      },
      ctx.clock.now(),
    );
  }

  @Mutation(() => GridCase, {
    nullable: true,
    description: '事件流转一步；不允许的流转返回 BAD_USER_INPUT（rule: transition） (Move a case one step; an impossible step is BAD_USER_INPUT, rule transition)',
  })
  async transitionCase(@Args() { communityId, input }: TransitionCaseArgs, @Ctx() ctx: CommunityContext): Promise<GridCase> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const found = await cases.getCase(ctx.em, input.caseId);
    if (!handlesCase(scope, subjectOf(found))) {
      throw new GridForbiddenError('只有本网格网格员、承办人或工作人员可以处理该事件', 'Only the grid’s workers, the assignee or staff may handle this case', {
        caseId: found.id,
      });
    }
    checkGridId(input.gridId);
    const { caseId, ...request } = input;
    return cases.transitionCase(ctx.em, caseId, request, scope.userId!, stepAuthoriser(scope), ctx.clock.now());
  }

  @Mutation(() => GridCase, { nullable: true, description: '上报人评价，办结后一次（仅上报人） (The reporter rates the case once it is resolved; reporter only)' })
  async evaluateCase(@Args() { communityId, input }: EvaluateCaseArgs, @Ctx() ctx: CommunityContext): Promise<GridCase> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const found = await cases.getCase(ctx.em, input.caseId);
    if (found.reporterId !== scope.userId) throw new GridForbiddenError('只有上报人可以评价', 'Only the reporter may evaluate a case', { caseId: found.id });
    return cases.evaluateCase(ctx.em, found.id, input, ctx.clock.now());
  }

  @Query(() => GridCase, { name: 'case', nullable: true, description: '按 ID 查看事件（处理人或上报人） (A case by id; its handlers or its reporter)' })
  async caseById(@Args() { communityId, id }: CaseArgs, @Ctx() ctx: CommunityContext): Promise<GridCase | null> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    const found = await cases.findCase(ctx.em, id);
    if (!found) return null;
    if (!seesCase(scope, subjectOf(found))) throw new GridForbiddenError('无权查看该事件', 'You may not see this case', { caseId: found.id });
    return found;
  }

  @Query(() => GridCaseConnection, {
    nullable: true,
    description: '事件：工作人员看全部，网格员看本网格及派给自己的 (Cases: staff all, workers their grids’ and their own)',
  })
  async cases(@Args() { communityId, gridId, status, first, after }: CasesArgs, @Ctx() ctx: CommunityContext): Promise<GridCaseConnection> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    if (gridId) {
      requireGrid(scope, gridId);
      return toConnection(await cases.listCases(ctx.em, { gridIds: [gridId], status }, { first, after }));
    }
    if (scope.staff) return toConnection(await cases.listCases(ctx.em, { gridIds: null, status }, { first, after }));
    if (!scope.worker) throw new GridForbiddenError('只有网格员和工作人员可以查看事件列表', 'Only grid workers and staff may list cases');
    return toConnection(await cases.listCases(ctx.em, { gridIds: [...scope.workerGridIds], orAssigneeId: scope.userId, status }, { first, after }));
  }

  @Query(() => GridCaseConnection, { nullable: true, description: '我上报的事件 (The cases I reported)' })
  async myCases(@Args() { communityId, first, after }: MyCasesArgs, @Ctx() ctx: CommunityContext): Promise<GridCaseConnection> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireMember(scope);
    return toConnection(await cases.listCases(ctx.em, { gridIds: null, reporterId: scope.userId! }, { first, after }));
  }

  @FieldResolver(() => ID, { nullable: true })
  gridId(@Root() c: GridCase): string | null {
    return c.grid?.id ?? null;
  }

  @FieldResolver(() => Boolean, { description: '是否超时督办 (Whether the case missed its deadline)' })
  escalated(@Root() c: GridCase): boolean {
    return c.escalationLevel > 0;
  }

  @FieldResolver(() => ID, { nullable: true, description: '所服务的对象：关爱对象 ID，其迁出后为化名 (Whom it serves: care record id, or a pseudonym once they left)' })
  subjectId(@Root() c: GridCase): string | null {
    return c.careRecord?.id ?? c.subjectPseudonym;
  }

  @FieldResolver(() => CareRecord, { nullable: true, description: '所服务的关爱对象（对你可见时） (The resident in care it serves, when visible to you)' })
  async careRecipient(@Root() c: GridCase, @Ctx() ctx: CommunityContext): Promise<CareRecord | null> {
    if (!c.careRecord) return null;
    const record = await care.findCare(ctx.em, c.careRecord.id);
    if (!record) return null;
    return seesCare(await gridScope(ctx), care.careSubject(record)) ? record : null;
  }

  @FieldResolver(() => [CaseTransition], { description: '流转记录，从上报开始 (Every step, from the report on)' })
  async history(@Root() c: GridCase, @Ctx() ctx: CommunityContext): Promise<CaseTransition[]> {
    if (!seesCase(await gridScope(ctx), subjectOf(c))) throw new GridForbiddenError('无权查看该事件', 'You may not see this case', { caseId: c.id });
    return cases.historyOf(ctx.em, c.id);
  }

  @FieldResolver(() => Boolean, { description: '是否仍在时限内处置中 (Still open: not yet resolved)' })
  open(@Root() c: GridCase): boolean {
    return OPEN_STATUSES.includes(c.status);
  }
}

/** The only part of grid work the federation sees: monthly counts, for anyone. */
@Resolver(() => Community)
export class CommunityCaseStatsResolver {
  @FieldResolver(() => CaseStats, {
    nullable: true,
    description: '网格事件月度统计，仅汇总数，任何人可读 (Case counts for a month; aggregates only, readable by anyone)',
  })
  async caseStats(@Root() community: Community, @Args() { month }: CaseStatsArgs, @Ctx() ctx: CommunityContext): Promise<CaseStats | null> {
    if (community.id !== ctx.communityId) return null;
    return caseStats(ctx.em, month, ctx.timezone);
  }
}
