import { Check, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/** Limits on what the community admin may configure. */
export const MAX_VISIT_INTERVAL_DAYS = 366;
export const MAX_RESOLVE_MINUTES = 30 * 24 * 60;

/**
 * The community's own rhythm for grid work: how often residents in care of each risk tier
 * are visited, and how long cases of each urgency may take to resolve. One row (id 1);
 * until the admin changes something the defaults below apply without a row.
 */
@ObjectType({ description: '网格工作设置 (Visit intervals and case deadlines of this community)' })
@Entity({ tableName: 'grid_settings' })
@Check({ name: 'grid_settings_singleton_check', expression: 'id = 1' })
@Check({
  name: 'grid_settings_visit_days_check',
  expression: `high_risk_visit_days >= 1 and high_risk_visit_days <= ${MAX_VISIT_INTERVAL_DAYS} and key_risk_visit_days >= 1 and key_risk_visit_days <= ${MAX_VISIT_INTERVAL_DAYS} and general_risk_visit_days >= 1 and general_risk_visit_days <= ${MAX_VISIT_INTERVAL_DAYS}`,
})
@Check({
  name: 'grid_settings_resolve_minutes_check',
  expression: `red_resolve_minutes >= 1 and red_resolve_minutes <= ${MAX_RESOLVE_MINUTES} and yellow_resolve_minutes >= 1 and yellow_resolve_minutes <= ${MAX_RESOLVE_MINUTES} and blue_resolve_minutes >= 1 and blue_resolve_minutes <= ${MAX_RESOLVE_MINUTES}`,
})
export class GridSettings {
  [OptionalProps]?: 'id' | 'highRiskVisitDays' | 'keyRiskVisitDays' | 'generalRiskVisitDays' | 'redResolveMinutes' | 'yellowResolveMinutes' | 'blueResolveMinutes' | 'updatedAt' | 'updatedBy';

  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = 1;

  @Field(() => Int, { description: '高风险对象走访间隔（天），默认 7 (Days between visits, HIGH tier; default 7)' })
  @Property({ type: 'smallint' })
  highRiskVisitDays: number = 7;

  @Field(() => Int, { description: '重点对象走访间隔（天），默认 30 (Days between visits, KEY tier; default 30)' })
  @Property({ type: 'smallint' })
  keyRiskVisitDays: number = 30;

  @Field(() => Int, { description: '一般对象走访间隔（天），默认 90 (Days between visits, GENERAL tier; default 90)' })
  @Property({ type: 'smallint' })
  generalRiskVisitDays: number = 90;

  @Field(() => Int, { description: '红色事件办结时限（分钟），默认 120 (Minutes to resolve a RED case; default 120)' })
  @Property({ type: 'integer' })
  redResolveMinutes: number = 120;

  @Field(() => Int, { description: '黄色事件办结时限（分钟），默认 1440 (Minutes to resolve a YELLOW case; default 1440)' })
  @Property({ type: 'integer' })
  yellowResolveMinutes: number = 1440;

  @Field(() => Int, { description: '蓝色事件办结时限（分钟），默认 4320 (Minutes to resolve a BLUE case; default 4320)' })
  @Property({ type: 'integer' })
  blueResolveMinutes: number = 4320;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最后修改时间，从未修改为空 (Last change; null while on defaults)' })
  @Property({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null = null;

  @Field(() => ID, { nullable: true, description: '最后修改人 (Who changed it last)' })
  @Property({ type: 'text', nullable: true })
  updatedBy: string | null = null;
}
