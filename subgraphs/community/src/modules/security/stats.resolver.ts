import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { Community } from '../community/community.type.js';
import { AlarmType } from './alarm.entity.js';
import { safetyStats } from './stats.service.js';

@ObjectType({ description: '某类告警的数量 (How many alarms of one type)' })
export class AlarmTypeCount {
  @Field(() => AlarmType)
  type: AlarmType;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: '社区安全统计（仅汇总数据） (A community’s safety figures for a month; aggregates only)' })
export class SafetyStats {
  @Field(() => String, { description: '月份 YYYY-MM（社区时区） (Month, YYYY-MM, in the community’s time zone)' })
  month: string;

  @Field(() => Int, { description: '当月触发的告警数（合并的重复告警计一次） (Alarms raised in the month; folded repeats count once)' })
  totalAlarms: number;

  @Field(() => [AlarmTypeCount], { description: '按类型统计，数量多的在前 (By type, most first)' })
  alarmsByType: AlarmTypeCount[];

  @Field(() => Float, { nullable: true, description: '从触发到确认的中位分钟数；无已确认告警为空 (Median minutes from raise to acknowledgement; null if none acknowledged)' })
  medianResponseMinutes: number | null;
}

/**
 * Adds `safetyStats` to the community: aggregates only, so anyone in the federation may read
 * them, including visitors and other communities. Lives here, beside the alarms it counts.
 */
@Resolver(() => Community)
export class CommunitySafetyResolver {
  @FieldResolver(() => SafetyStats, { nullable: true, description: '当月安全统计（汇总，任何人可见） (Safety figures for a month; aggregates, visible to anyone)' })
  async safetyStats(@Root() community: Community, @Arg('month', () => String) month: string, @Ctx() ctx: CommunityContext): Promise<SafetyStats | null> {
    if (community.id !== ctx.communityId) return null;
    return safetyStats(ctx.em, month, ctx.timezone);
  }
}
