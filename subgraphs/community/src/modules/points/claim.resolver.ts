import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { parseDate } from '../../calendar.js';
import { assertServes } from '../resources/resource.resolver.js';
import { PointsClaim } from './claim.entity.js';
import * as claims from './claim.service.js';
import { requireHomeResident, requireStaff } from './points.access.js';
import { PointsEvent, pointsEvent } from './points.events.js';
import { ClaimPointsInput, ClaimsArgs, CommunityArgs, CommunityIdArgs, RejectClaimArgs } from './points.inputs.js';

@Resolver(() => PointsClaim)
export class PointsClaimResolver {
  @Query(() => [PointsClaim], { nullable: true, description: '积分申请，最早在前（本社区工作人员） (Claims, oldest first; staff of this community)' })
  async pointsClaims(@Args() { communityId, status }: ClaimsArgs, @Ctx() ctx: CommunityContext): Promise<PointsClaim[]> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return claims.listClaims(ctx.em, { status });
  }

  @Query(() => [PointsClaim], { nullable: true, description: '我的积分申请 (Your own claims)' })
  async myPointsClaims(@Args() { communityId, status }: ClaimsArgs, @Ctx() ctx: CommunityContext): Promise<PointsClaim[]> {
    assertServes(ctx, communityId);
    const residentId = requireHomeResident(ctx);
    return claims.listClaims(ctx.em, { status, residentId });
  }

  @Mutation(() => PointsClaim, { nullable: true, description: '申请积分，待工作人员审批 (Claim points for an activity, for staff to approve)' })
  async claimPoints(@Args() { communityId }: CommunityArgs, @Arg('input', () => ClaimPointsInput) input: ClaimPointsInput, @Ctx() ctx: CommunityContext): Promise<PointsClaim> {
    assertServes(ctx, communityId);
    const residentId = requireHomeResident(ctx);
    return claims.claimPoints(
      ctx.em,
      { residentId, ruleId: input.ruleId, occurredOn: parseDate(input.occurredOn, 'occurredOn'), note: input.note ?? '', idempotencyKey: input.idempotencyKey },
      ctx.clock.now(),
      ctx.timezone,
    );
  }

  @Mutation(() => PointsClaim, { nullable: true, description: '批准积分申请，积分计入活动当日（工作人员；不能批准自己的） (Approve a claim: the points count on the activity\'s day; staff, never your own)' })
  async approvePointsClaim(@Args() { communityId, id }: CommunityIdArgs, @Ctx() ctx: CommunityContext): Promise<PointsClaim> {
    assertServes(ctx, communityId);
    const staffId = requireStaff(ctx);
    const { value: claim, created } = await claims.approveClaim(ctx.em, id, staffId, ctx.clock.now());
    if (created && claim.entryId) await ctx.events.publish(pointsEvent(ctx, PointsEvent.AWARDED, claim.entryId, { residentId: claim.residentId, ruleId: claim.rule.id }));
    return claim;
  }

  @Mutation(() => PointsClaim, { nullable: true, description: '驳回积分申请（工作人员） (Reject a claim; staff)' })
  async rejectPointsClaim(@Args() { communityId, id, reason }: RejectClaimArgs, @Ctx() ctx: CommunityContext): Promise<PointsClaim> {
    assertServes(ctx, communityId);
    const staffId = requireStaff(ctx);
    return claims.rejectClaim(ctx.em, id, staffId, reason, ctx.clock.now());
  }
}
