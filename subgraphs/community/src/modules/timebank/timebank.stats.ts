import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { monthRange, parseMonth } from '../../calendar.js';
import type { CommunityContext } from '../../context.js';
import { Community } from '../community/community.type.js';

@ObjectType({ description: '某月时间银行统计（仅汇总） (The time bank in a month; aggregates only)' })
export class VolunteerStats {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: '登记的志愿者 (Registered volunteers)' })
  volunteers: number;

  @Field(() => Int, { description: '本月有确认服务的志愿者 (Volunteers with a confirmed service this month)' })
  activeVolunteers: number;

  @Field(() => Int, { description: '确认的服务次数 (Services confirmed)' })
  servicesConfirmed: number;

  @Field(() => Int, { description: '服务时长（小时） (Hours served)' })
  hoursServed: number;

  @Field(() => Int, { description: '存入志愿者账户的小时 (Hours banked by volunteers)' })
  hoursBanked: number;

  @Field(() => Int, { description: '超出上限存入社区基金的小时 (Hours banked to the community fund over the cap)' })
  hoursToFund: number;
}

/** A month's time bank in aggregate, by the services' start on the community's calendar. */
export async function volunteerStats(em: EntityManager, month: string, timezone: string): Promise<VolunteerStats> {
  const { from, to } = monthRange(month, timezone);
  const [row] = await em.execute<Array<Record<string, string>>>(
    `select
       (select count(*) from timebank_volunteer where active) as volunteers,
       count(distinct volunteer_id) as active_volunteers,
       count(*) as services_confirmed,
       coalesce(sum(hours), 0) as hours_served,
       coalesce(sum(hours) filter (where banked_to = 'VOLUNTEER'), 0) as hours_banked,
       coalesce(sum(hours) filter (where banked_to = 'COMMUNITY_FUND'), 0) as hours_to_fund
     from service_record
     where status in ('CONFIRMED', 'CREDITED') and starts_at >= ? and starts_at < ?`,
    [from, to],
  );
  return {
    month,
    volunteers: Number(row!.volunteers),
    activeVolunteers: Number(row!.active_volunteers),
    servicesConfirmed: Number(row!.services_confirmed),
    hoursServed: Number(row!.hours_served),
    hoursBanked: Number(row!.hours_banked),
    hoursToFund: Number(row!.hours_to_fund),
  };
}

@Resolver(() => Community)
export class VolunteerStatsResolver {
  @FieldResolver(() => VolunteerStats, { nullable: true, description: '某月时间银行统计，仅汇总，任何人可见 (A month of the time bank in aggregate; public)' })
  async volunteerStats(@Root() community: Community, @Arg('month', () => String, { description: 'YYYY-MM' }) month: string, @Ctx() ctx: CommunityContext): Promise<VolunteerStats | null> {
    if (community.id !== ctx.communityId) return null;
    return volunteerStats(ctx.em, parseMonth(month), ctx.timezone);
  }
}
