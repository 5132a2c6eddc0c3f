import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { requireHomeResident, requireStaff } from './points.access.js';
import { PointsEvent, pointsEvent } from './points.events.js';
import { CommunityArgs, IncludeInactiveArgs, RedeemArgs, RestockArgs, RewardInput, SetActiveArgs, VoucherArgs } from './points.inputs.js';
import { Reward, RewardRedemption } from './reward.entity.js';
import * as rewards from './reward.service.js';

@Resolver(() => Reward)
export class RewardResolver {
  @Query(() => [Reward], { nullable: true, description: '积分超市，按所需积分排序 (The points shop, cheapest first)' })
  async rewards(@Args() { communityId, includeInactive }: IncludeInactiveArgs, @Ctx() ctx: CommunityContext): Promise<Reward[]> {
    assertServes(ctx, communityId);
    if (includeInactive) requireStaff(ctx);
    return rewards.listRewards(ctx.em, Boolean(includeInactive));
  }

  @Query(() => [RewardRedemption], { nullable: true, description: '我的兑换与兑换码 (Your redemptions and their voucher codes)' })
  async myRedemptions(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<RewardRedemption[]> {
    assertServes(ctx, communityId);
    return rewards.residentRedemptions(ctx.em, requireHomeResident(ctx));
  }

  @Query(() => RewardRedemption, { nullable: true, description: '核验兑换码（工作人员） (Check a voucher code; staff)' })
  async voucher(@Args() { communityId, code }: VoucherArgs, @Ctx() ctx: CommunityContext): Promise<RewardRedemption> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return rewards.findVoucher(ctx.em, code);
  }

  @Mutation(() => Reward, { nullable: true, description: '上架礼品（工作人员） (Add a reward; staff)' })
  async createReward(@Args() { communityId }: CommunityArgs, @Arg('input', () => RewardInput) input: RewardInput, @Ctx() ctx: CommunityContext): Promise<Reward> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return rewards.createReward(ctx.em, input);
  }

  @Mutation(() => Reward, { nullable: true, description: '补充库存（工作人员） (Add stock; staff)' })
  async restockReward(@Args() { communityId, id, quantity }: RestockArgs, @Ctx() ctx: CommunityContext): Promise<Reward> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return rewards.restockReward(ctx.em, id, quantity);
  }

  @Mutation(() => Reward, { nullable: true, description: '上架或下架礼品（工作人员） (Offer or withdraw a reward; staff)' })
  async setRewardActive(@Args() { communityId, id, active }: SetActiveArgs, @Ctx() ctx: CommunityContext): Promise<Reward> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return rewards.setRewardActive(ctx.em, id, active);
  }

  @Mutation(() => RewardRedemption, {
    nullable: true,
    description: '兑换礼品：扣积分、减库存在同一事务中；最后一件只有一人兑到（本社区居民） (Redeem a reward: points and stock move together; of racers for the last unit exactly one wins)',
  })
  async redeemReward(@Args() { communityId, rewardId, idempotencyKey }: RedeemArgs, @Ctx() ctx: CommunityContext): Promise<RewardRedemption> {
    assertServes(ctx, communityId);
    const residentId = requireHomeResident(ctx);
    const { value: redemption, created } = await rewards.redeemReward(ctx.em, { residentId, rewardId, idempotencyKey }, ctx.clock.now());
    if (created) await ctx.events.publish(pointsEvent(ctx, PointsEvent.REWARD_REDEEMED, redemption.id, { residentId, rewardId: redemption.reward.id }));
    return redemption;
  }

  @Mutation(() => RewardRedemption, { nullable: true, description: '核销兑换码，仅一次（工作人员） (Mark a voucher used, once; staff)' })
  async useVoucher(@Args() { communityId, code }: VoucherArgs, @Ctx() ctx: CommunityContext): Promise<RewardRedemption> {
    assertServes(ctx, communityId);
    const staffId = requireStaff(ctx);
    return rewards.useVoucher(ctx.em, code, staffId, ctx.clock.now());
  }
}
