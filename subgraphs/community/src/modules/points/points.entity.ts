import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { orderedUuid } from '@linli/subgraph-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum PointsActivity {
  VOLUNTEERING = 'VOLUNTEERING',
  GARBAGE_SORTING = 'GARBAGE_SORTING',
  NEIGHBOUR_HELP = 'NEIGHBOUR_HELP',
  ADOPTED_SUGGESTION = 'ADOPTED_SUGGESTION',
  MEETING_ATTENDANCE = 'MEETING_ATTENDANCE',
  OTHER = 'OTHER',
}
registerEnumType(PointsActivity, {
  name: 'PointsActivity',
  description: '积分活动类型 (What points are earned for)',
  valuesConfig: {
    VOLUNTEERING: { description: '志愿服务 (Volunteering)' },
    GARBAGE_SORTING: { description: '垃圾分类 (Garbage sorting)' },
    NEIGHBOUR_HELP: { description: '邻里互助 (Helping a neighbour)' },
    ADOPTED_SUGGESTION: { description: '建议被采纳 (An adopted suggestion)' },
    MEETING_ATTENDANCE: { description: '参加议事会 (Attending a council meeting)' },
    OTHER: { description: '其他 (Other)' },
  },
});

/**
 * How many points one activity earns, and the most one resident may earn by it in a day
 * and in a month (on the community's calendar). Direct awards need `autoAward` unless staff
 * give them; anything else is earned by a claim staff approve.
 */
@ObjectType({ description: '积分规则 (An earning rule)' })
@Entity({ tableName: 'points_rule' })
@Check({ name: 'points_rule_points_check', expression: 'points > 0' })
@Check({ name: 'points_rule_caps_check', expression: '(daily_cap is null or daily_cap > 0) and (monthly_cap is null or monthly_cap > 0)' })
export class PointsRule {
  [OptionalProps]?: 'dailyCap' | 'monthlyCap' | 'autoAward' | 'active' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => PointsActivity)
  @Enum({ items: () => PointsActivity, nativeEnumName: 'points_activity' })
  activity: PointsActivity;

  @Field(() => String)
  @Property({ type: 'text' })
  name: string;

  @Field(() => String)
  @Property({ type: 'text' })
  nameEn: string;

  @Field(() => Int, { description: '每次获得积分 (Points per activity)' })
  @Property({ type: 'integer' })
  points: number;

  @Field(() => Int, { nullable: true, description: '每人每日上限，为空不限 (Most a resident earns by this rule in a day; null = no cap)' })
  @Property({ type: 'integer', nullable: true })
  dailyCap: number | null = null;

  @Field(() => Int, { nullable: true, description: '每人每月上限，为空不限 (Most a resident earns by this rule in a month; null = no cap)' })
  @Property({ type: 'integer', nullable: true })
  monthlyCap: number | null = null;

  @Field(() => Boolean, { description: '可由可信来源（网格员、设备）直接发放 (Trusted sources — grid workers, devices — may award it directly)' })
  @Property({ type: 'boolean' })
  autoAward: boolean = false;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * A resident's points balance: the sum of their entries, kept with them. Every write to a
 * resident's points locks this row first (`FOR UPDATE`), which orders cap checks, redemptions
 * and conversions of one resident one after another; the check keeps the balance ≥ 0.
 */
@Entity({ tableName: 'points_account' })
@Check({ name: 'points_account_balance_check', expression: 'balance >= 0' })
export class PointsAccount {
  [PrimaryKeyProp]?: 'residentId';
  [OptionalProps]?: 'balance' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  residentId: string;

  @Property({ type: 'integer' })
  balance: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

export enum PointsEntryKind {
  /** Earned by an activity (a direct award or an approved claim). */
  EARN = 'EARN',
  /** Spent on a reward. */
  REDEEM = 'REDEEM',
  /** Converted into shared credit. */
  CONVERT = 'CONVERT',
  /** A conversion the exchange refused, given back. */
  REFUND = 'REFUND',
}
registerEnumType(PointsEntryKind, {
  name: 'PointsEntryKind',
  description: '积分变动类型 (Kind of points entry)',
  valuesConfig: {
    EARN: { description: '获得 (Earned)' },
    REDEEM: { description: '兑换礼品 (Spent on a reward)' },
    CONVERT: { description: '转为共享积分 (Converted into shared credit)' },
    REFUND: { description: '转换失败退回 (A refused conversion, given back)' },
  },
});

/**
 * One change of a resident's points, never updated nor deleted. `idempotencyKey` (unique)
 * names the change forever — an award's key scoped by who gave it, `claim:<id>`,
 * `redeem:<id>`, `convert:<id>`, `refund:<id>` — so a retried write finds it instead of
 * writing twice. `earnedOn` is the activity's date, which daily and monthly caps count by.
 */
@ObjectType({ description: '积分明细 (A change of points)' })
@Entity({ tableName: 'points_entry' })
@Unique({ name: 'points_entry_idempotency_key_unique', properties: ['idempotencyKey'] })
@Index({
  name: 'points_entry_history_index',
  expression: `create index "points_entry_history_index" on "points_entry" ("resident_id", "created_at" desc, "id" desc)`,
})
@Index({
  name: 'points_entry_earned_index',
  expression: `create index "points_entry_earned_index" on "points_entry" ("resident_id", "earned_on") where "kind" = 'EARN'`,
})
@Check({ name: 'points_entry_points_check', expression: `points <> 0 and (kind = 'EARN' or kind = 'REFUND') = (points > 0)` })
@Check({ name: 'points_entry_balance_after_check', expression: 'balance_after >= 0' })
@Check({ name: 'points_entry_earned_on_check', expression: `(kind = 'EARN') = (earned_on is not null)` })
export class PointsEntry {
  [OptionalProps]?: 'rule' | 'earnedOn' | 'reference' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = orderedUuid();

  @Field(() => ID)
  @Property({ type: 'text' })
  residentId: string;

  @Field(() => PointsEntryKind)
  @Enum({ items: () => PointsEntryKind, nativeEnumName: 'points_entry_kind' })
  kind: PointsEntryKind;

  @Field(() => Int, { description: '变动，获得为正、支出为负 (Change: positive when earned or given back)' })
  @Property({ type: 'integer' })
  points: number;

  @Field(() => Int, { description: '变动后余额 (Balance after it)' })
  @Property({ type: 'integer' })
  balanceAfter: number;

  @ManyToOne({ entity: () => PointsRule, nullable: true, deleteRule: 'restrict' })
  rule: Rel<PointsRule> | null = null;

  @Field(() => String, { nullable: true, description: '活动日期 YYYY-MM-DD（获得时） (Date of the activity, for earnings)' })
  @Property({ type: 'date', nullable: true })
  earnedOn: string | null = null;

  @Field(() => String, { nullable: true, description: '来源：申请、兑换或转换的 ID (What it came from)' })
  @Property({ type: 'text', nullable: true })
  reference: string | null = null;

  @Property({ type: 'text' })
  idempotencyKey: string;

  /** Who caused it: the staff member or source that awarded, the resident who spent. */
  @Property({ type: 'text' })
  actorId: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * The community's points policy: one row (id 1); until the admin changes something the
 * defaults below apply without a row.
 */
@ObjectType({ description: '积分设置 (Points policy of this community)' })
@Entity({ tableName: 'points_settings' })
@Check({ name: 'points_settings_singleton_check', expression: 'id = 1' })
@Check({ name: 'points_settings_conversion_check', expression: 'points_per_credit > 0 and monthly_conversion_cap_credits >= 0' })
@Check({ name: 'points_settings_caps_check', expression: '(daily_earning_cap is null or daily_earning_cap > 0) and (monthly_earning_cap is null or monthly_earning_cap > 0)' })
export class PointsSettings {
  [OptionalProps]?: 'id' | 'pointsPerCredit' | 'monthlyConversionCapCredits' | 'dailyEarningCap' | 'monthlyEarningCap' | 'updatedAt';

  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = 1;

  @Field(() => Int, { description: '多少积分换 1 共享积分，默认 10 (Points per unit of shared credit; default 10)' })
  @Property({ type: 'integer' })
  pointsPerCredit: number = 10;

  @Field(() => Int, { description: '每人每月最多兑换的共享积分，默认 50 (Most shared credit a resident converts a month; default 50)' })
  @Property({ type: 'integer' })
  monthlyConversionCapCredits: number = 50;

  @Field(() => Int, { nullable: true, description: '每人每日获得积分上限（所有规则合计），默认不限 (Most points a resident earns a day, all rules; default none)' })
  @Property({ type: 'integer', nullable: true })
  dailyEarningCap: number | null = null;

  @Field(() => Int, { nullable: true, description: '每人每月获得积分上限（所有规则合计），默认不限 (Most points a resident earns a month, all rules; default none)' })
  @Property({ type: 'integer', nullable: true })
  monthlyEarningCap: number | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
