import { toConnection } from '@linli/subgraph-kit';
import { SelfAwardError } from './points.errors.js';
import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Arg } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { localDate } from '../../calendar.js';
import { recordRead } from '../audit/audit.service.js';
import { assertServes } from '../resources/resource.resolver.js';
import { requireAdmin, requireAwarder, requireHomeResident, requireStaff } from './points.access.js';
import { PointsEvent, pointsEvent } from './points.events.js';
import { AwardPointsInput, CommunityArgs, HistoryArgs, IncludeInactiveArgs, PointsRuleInput, PointsSettingsInput, ResidentPointsArgs, SetActiveArgs } from './points.inputs.js';
import { PointsEntry, PointsRule, PointsSettings } from './points.entity.js';
import * as points from './points.service.js';
import { PointsEntryConnection, ResidentPoints } from './points.types.js';

@Resolver(() => ResidentPoints)
export class PointsResolver {
  @Query(() => [PointsRule], { nullable: true, description: '积分规则 (Earning rules)' })
  async pointsRules(@Args() { communityId, includeInactive }: IncludeInactiveArgs, @Ctx() ctx: CommunityContext): Promise<PointsRule[]> {
    assertServes(ctx, communityId);
    if (includeInactive) requireStaff(ctx);
    return points.listRules(ctx.em, Boolean(includeInactive));
  }

  @Query(() => PointsSettings, { nullable: true, description: '积分设置：兑换比例与上限 (Points policy: conversion rate and caps)' })
  async pointsSettings(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<PointsSettings> {
    assertServes(ctx, communityId);
    return points.getSettings(ctx.em);
  }

  @Query(() => ResidentPoints, { nullable: true, description: '我的积分（本社区居民） (Your points; residents of this community)' })
  async myPoints(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<ResidentPoints> {
    assertServes(ctx, communityId);
    const residentId = requireHomeResident(ctx);
    return { residentId, balance: await points.balanceOf(ctx.em, residentId) };
  }

  @Query(() => ResidentPoints, { nullable: true, description: '居民积分（本社区工作人员，记入访问日志） (A resident\'s points; staff of this community, audited)' })
  async residentPoints(@Args() { communityId, residentId }: ResidentPointsArgs, @Ctx() ctx: CommunityContext): Promise<ResidentPoints> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    await recordRead(ctx.em, ctx.viewer, { subjectType: 'ResidentPoints', subjectIds: [residentId], fields: ['balance', 'history'] }, ctx.clock.now());
    return { residentId, balance: await points.balanceOf(ctx.em, residentId) };
  }

  @FieldResolver(() => PointsEntryConnection, { description: '积分明细，最新在前 (Entries, newest first)' })
  async history(@Root() account: ResidentPoints, @Args() args: HistoryArgs, @Ctx() ctx: CommunityContext): Promise<PointsEntryConnection> {
    const page = await points.history(ctx.em, account.residentId, args);
    return toConnection(page.entries, page.hasNextPage, points.entryCursor);
  }

  @Mutation(() => PointsRule, { nullable: true, description: '新建积分规则（社区管理员） (Create an earning rule; community admin)' })
  async createPointsRule(@Args() { communityId }: CommunityArgs, @Arg('input', () => PointsRuleInput) input: PointsRuleInput, @Ctx() ctx: CommunityContext): Promise<PointsRule> {
    assertServes(ctx, communityId);
    requireAdmin(ctx);
    return points.createRule(ctx.em, input);
  }

  @Mutation(() => PointsRule, { nullable: true, description: '启用或停用积分规则（社区管理员） (Switch an earning rule on or off; community admin)' })
  async setPointsRuleActive(@Args() { communityId, id, active }: SetActiveArgs, @Ctx() ctx: CommunityContext): Promise<PointsRule> {
    assertServes(ctx, communityId);
    requireAdmin(ctx);
    return points.setRuleActive(ctx.em, id, active);
  }

  @Mutation(() => PointsSettings, { nullable: true, description: '修改积分设置（社区管理员） (Change the points policy; community admin)' })
  async updatePointsSettings(@Args() { communityId }: CommunityArgs, @Arg('input', () => PointsSettingsInput) input: PointsSettingsInput, @Ctx() ctx: CommunityContext): Promise<PointsSettings> {
    assertServes(ctx, communityId);
    requireAdmin(ctx);
    return points.updateSettings(ctx.em, input);
  }

  @Mutation(() => PointsEntry, {
    nullable: true,
    description: '发放积分，受每日/每月上限约束，超出部分不发（工作人员；网格员与本社区设备限可直接发放的规则；不能发给自己） (Award points, cut to the daily and monthly caps; never to yourself)',
  })
  async awardPoints(@Args() { communityId }: CommunityArgs, @Arg('input', () => AwardPointsInput) input: AwardPointsInput, @Ctx() ctx: CommunityContext): Promise<PointsEntry> {
    assertServes(ctx, communityId);
    const rule = await points.getRule(ctx.em, input.ruleId);
    const actorId = requireAwarder(ctx, rule);
    if (actorId === input.residentId) throw new SelfAwardError();
    const now = ctx.clock.now();
    const { value: entry, created } = await points.awardPoints(
      ctx.em,
      { residentId: input.residentId, ruleId: rule.id, earnedOn: input.occurredOn ?? localDate(now, ctx.timezone), reference: input.reference ?? null, idempotencyKey: input.idempotencyKey, actorId },
      now,
    );
    if (created) await ctx.events.publish(pointsEvent(ctx, PointsEvent.AWARDED, entry.id, { residentId: entry.residentId, ruleId: rule.id }));
    return entry;
  }
}

@Resolver(() => PointsEntry)
export class PointsEntryResolver {
  @FieldResolver(() => PointsRule, { nullable: true, description: '积分规则（获得时） (The rule, for earnings)' })
  async rule(@Root() entry: PointsEntry, @Ctx() ctx: CommunityContext): Promise<PointsRule | null> {
    return entry.rule ? ctx.em.findOne(PointsRule, { id: entry.rule.id }) : null;
  }
}
