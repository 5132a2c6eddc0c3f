import { IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { LedgerUnit } from './account.entity.js';
import { MAX_HOURS } from './ledger.community.js';
import { MAX_ISSUE_AMOUNT } from './ledger.service.js';

@InputType({ description: '社区服务从本社区发行账户发放（仅该社区自身服务） (Issue from the community\'s issuance account; its own service only)' })
export class IssueFromCommunityInput {
  @Field(() => ID)
  @Length(1, 63)
  communityId: string;

  @Field(() => ID, { nullable: true, description: '本社区居民的用户 ID；为空则发入社区基金 (A resident of the community; null: into its fund)' })
  @IsOptional()
  @Length(1, 200)
  residentId?: string | null;

  @Field(() => Int, { description: `数量，1–${MAX_ISSUE_AMOUNT} (Amount)` })
  @IsInt()
  @Min(1)
  @Max(MAX_ISSUE_AMOUNT)
  amount: number;

  @Field(() => LedgerUnit)
  @IsIn(Object.values(LedgerUnit))
  unit: LedgerUnit;

  @Field(() => String, { nullable: true, description: '业务引用，如积分兑换或服务记录 ID (What it is for)' })
  @IsOptional()
  @Length(1, 200)
  reference?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 500)
  memo?: string | null;

  @Field(() => Int, { nullable: true, description: '发放后余额上限，超过则拒绝 (CONFLICT BALANCE_CAP if the balance would exceed it)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxBalance?: number | null;

  @Field(() => ID, { description: '幂等键（UUID），即转账 ID (Idempotency key, a UUID: the transfer id)' })
  @IsUUID()
  idempotencyKey: string;
}

@InputType({ description: '从社区基金支付本社区居民（仅该社区自身服务） (Pay a resident from the community fund; its own service only)' })
export class PayFromCommunityFundInput {
  @Field(() => ID)
  @Length(1, 63)
  communityId: string;

  @Field(() => ID)
  @Length(1, 200)
  residentId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  amount: number;

  @Field(() => LedgerUnit, { nullable: true, defaultValue: LedgerUnit.HOUR })
  @IsOptional()
  @IsIn(Object.values(LedgerUnit))
  unit?: LedgerUnit | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  reference?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 500)
  memo?: string | null;

  @Field(() => ID)
  @IsUUID()
  idempotencyKey: string;
}

@InputType({ description: '以时间预留支付服务志愿者（仅服务所在社区自身服务） (Pay the serving volunteer from an hours hold)' })
export class SettleHoursHoldInput {
  @Field(() => ID)
  @Length(1, 63)
  communityId: string;

  @Field(() => ID, { description: '付款人 holdHours 返回的转账 ID (The hold, as holdHours returned it)' })
  @IsUUID()
  holdId: string;

  @Field(() => ID, { description: '提供服务的志愿者（本社区居民） (The serving volunteer, a resident of the community)' })
  @Length(1, 200)
  residentId: string;

  @Field(() => ID)
  @IsUUID()
  idempotencyKey: string;
}

@InputType({ description: '预留自己的时间，用于支付任一社区的服务 (Set aside your own hours to pay for a service in any community)' })
export class HoldHoursInput {
  @Field(() => ID, { description: '服务所在社区 (Where the service happens)' })
  @Length(1, 63)
  communityId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  hours: number;

  @Field(() => String, { description: '服务申请的引用，由客户端选择并在申请时提交 (The service request this pays for)' })
  @Length(1, 200)
  reference: string;

  @Field(() => ID)
  @IsUUID()
  idempotencyKey: string;
}

@InputType({ description: '把自己的时间捐给本社区基金 (Give your own hours to your community\'s fund)' })
export class DonateHoursInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  hours: number;

  @Field(() => ID)
  @IsUUID()
  idempotencyKey: string;
}

@ArgsType()
export class HoursHoldArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class CommunityFundArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => LedgerUnit, { nullable: true, defaultValue: LedgerUnit.HOUR })
  unit?: LedgerUnit | null;
}
