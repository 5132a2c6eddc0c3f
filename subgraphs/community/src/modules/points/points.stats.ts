import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { monthDays, monthRange, parseMonth } from '../../calendar.js';
import type { CommunityContext } from '../../context.js';
import { Community } from '../community/community.type.js';
import { PointsStats } from './points.types.js';

/** A month's points in aggregate: what the federation may see of them (no resident appears). */
export async function pointsStats(em: EntityManager, month: string, timezone: string): Promise<PointsStats> {
  const { first, next } = monthDays(month);
  const { from, to } = monthRange(month, timezone);
  const [row] = await em.execute<Array<Record<string, string>>>(
    `select
       (select coalesce(sum(points), 0) from points_entry where kind = 'EARN' and earned_on >= ? and earned_on < ?) as points_earned,
       (select count(distinct resident_id) from points_entry where kind = 'EARN' and earned_on >= ? and earned_on < ?) as residents_earning,
       (select coalesce(sum(points), 0) from reward_redemption where created_at >= ? and created_at < ?) as points_redeemed,
       (select count(*) from reward_redemption where created_at >= ? and created_at < ?) as rewards_redeemed,
       (select coalesce(sum(points), 0) from point_conversion where status = 'DONE' and created_at >= ? and created_at < ?) as points_converted,
       (select coalesce(sum(credits), 0) from point_conversion where status = 'DONE' and created_at >= ? and created_at < ?) as credits_issued`,
    [first, next, first, next, from, to, from, to, from, to, from, to],
  );
  return {
    month,
    pointsEarned: Number(row!.points_earned),
    residentsEarning: Number(row!.residents_earning),
    pointsRedeemed: Number(row!.points_redeemed),
    rewardsRedeemed: Number(row!.rewards_redeemed),
    pointsConverted: Number(row!.points_converted),
    creditsIssued: Number(row!.credits_issued),
  };
}

@Resolver(() => Community)
export class PointsStatsResolver {
  @FieldResolver(() => PointsStats, { nullable: true, description: '某月积分统计，仅汇总，任何人可见 (A month\'s points in aggregate; public)' })
  async pointsStats(@Root() community: Community, @Arg('month', () => String, { description: 'YYYY-MM' }) month: string, @Ctx() ctx: CommunityContext): Promise<PointsStats | null> {
    if (community.id !== ctx.communityId) return null;
    return pointsStats(ctx.em, parseMonth(month), ctx.timezone);
  }
}
