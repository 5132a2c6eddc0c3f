import { IsIn, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ClaimStatus } from './claim.entity.js';
import { PointsActivity } from './points.entity.js';
import { RewardKind } from './reward.entity.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_POINTS = 100_000;

/** Root fields: `communityId` first, for the gateway's routing. */
@ArgsType()
export class CommunityArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;
}

@ArgsType()
export class CommunityIdArgs extends CommunityArgs {
  @Field(() => ID)
  id: string;
}

@ArgsType()
export class IncludeInactiveArgs extends CommunityArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: '含已停用（工作人员） (Include inactive ones; staff)' })
  includeInactive?: boolean | null;
}

@ArgsType()
export class SetActiveArgs extends CommunityIdArgs {
  @Field(() => Boolean)
  active: boolean;
}

@ArgsType()
export class ResidentPointsArgs extends CommunityArgs {
  @Field(() => ID)
  residentId: string;
}

@ArgsType()
export class ClaimsArgs extends CommunityArgs {
  @Field(() => ClaimStatus, { nullable: true })
  status?: ClaimStatus | null;
}

@ArgsType()
export class HistoryArgs {
  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class VoucherArgs extends CommunityArgs {
  @Field(() => String, { description: '兑换码 (Voucher code)' })
  @Length(1, 40)
  code: string;
}

@ArgsType()
export class RejectClaimArgs extends CommunityIdArgs {
  @Field(() => String, { description: '原因 (Why)' })
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class RestockArgs extends CommunityIdArgs {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;
}

@ArgsType()
export class RedeemArgs extends CommunityArgs {
  @Field(() => ID)
  rewardId: string;

  @Field(() => String, { description: '幂等键；重试时使用同一值 (Idempotency key; reuse it when retrying)' })
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '新积分规则 (A new earning rule)' })
export class PointsRuleInput {
  @Field(() => PointsActivity)
  @IsIn(Object.values(PointsActivity))
  activity: PointsActivity;

  @Field(() => String)
  @Length(1, 100)
  name: string;

  @Field(() => String)
  @Length(1, 200)
  nameEn: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  points: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  dailyCap?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS * 31)
  monthlyCap?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  autoAward?: boolean | null;
}

@InputType({ description: '修改积分设置（社区管理员） (Change the points policy; community admin)' })
export class PointsSettingsInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  pointsPerCredit?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  monthlyConversionCapCredits?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  dailyEarningCap?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS * 31)
  monthlyEarningCap?: number | null;

  @Field(() => Boolean, { nullable: true, description: '取消两项获得上限 (Remove both earning caps)' })
  @IsOptional()
  clearEarningCaps?: boolean | null;
}

@InputType({ description: '发放积分（工作人员；网格员或设备仅限可直接发放的规则） (Award points; staff, or grid workers and devices for auto-award rules)' })
export class AwardPointsInput {
  @Field(() => ID)
  @Length(1, 200)
  residentId: string;

  @Field(() => ID)
  ruleId: string;

  @Field(() => String, { nullable: true, description: '活动日期 YYYY-MM-DD，默认今天 (Date of the activity; default today)' })
  @IsOptional()
  @Matches(DATE)
  occurredOn?: string | null;

  @Field(() => String, { nullable: true, description: '来源引用，如活动 ID (What it is for)' })
  @IsOptional()
  @Length(1, 200)
  reference?: string | null;

  @Field(() => String, { description: '幂等键（发放人范围内唯一） (Idempotency key, unique per awarder)' })
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '申请积分 (Claim points for an activity)' })
export class ClaimPointsInput {
  @Field(() => ID)
  ruleId: string;

  @Field(() => String, { description: '活动日期 YYYY-MM-DD (When it was done)' })
  @Matches(DATE)
  occurredOn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 1000)
  note?: string | null;

  @Field(() => String)
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '新礼品 (A new reward)' })
export class RewardInput {
  @Field(() => RewardKind)
  @IsIn(Object.values(RewardKind))
  kind: RewardKind;

  @Field(() => String)
  @Length(1, 100)
  name: string;

  @Field(() => String)
  @Length(1, 200)
  nameEn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 4000)
  descriptionEn?: string | null;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  costPoints: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(100_000)
  stock: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  perResidentLimit?: number | null;
}

@InputType({ description: '积分转共享积分 (Convert points into shared credit)' })
export class ConvertPointsInput {
  @Field(() => Int, { description: '积分，须为兑换比例的整数倍 (Points; a whole multiple of the rate)' })
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  points: number;

  @Field(() => String, { description: '幂等键；重试时使用同一值 (Idempotency key; reuse it when retrying)' })
  @Length(1, 200)
  idempotencyKey: string;
}
