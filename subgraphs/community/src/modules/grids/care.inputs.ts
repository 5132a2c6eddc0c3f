import { ArrayMaxSize, IsIn, IsOptional, Length, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { CareCategory, RiskTier, VisitMode } from './care.entity.js';

const COMMUNITY_ID = { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' };

@InputType({ description: '纳入关爱 (Take a resident into care)' })
export class EnrolCareRecipientInput {
  @Field(() => ID)
  residentId: string;

  @Field(() => CareCategory) @IsIn(Object.values(CareCategory))
  category: CareCategory;

  @Field(() => RiskTier) @IsIn(Object.values(RiskTier))
  riskTier: RiskTier;

  @Field(() => ID, { nullable: true, description: '结对帮扶人的用户 ID (User id of the one-to-one helper)' }) @IsOptional() @Length(1, 200)
  helperId?: string | null;

  @Field(() => String, { nullable: true, description: '关爱备注（个人信息） (Care notes; personal data)' }) @IsOptional() @Length(0, 4000)
  notes?: string | null;
}

@ArgsType()
export class EnrolCareRecipientArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => EnrolCareRecipientInput) @ValidateNested()
  input: EnrolCareRecipientInput;
}

@InputType({ description: '调整关爱对象；未给出的不变 (Change a resident in care; what is not given stays)' })
export class UpdateCareRecipientInput {
  @Field(() => ID)
  id: string;

  @Field(() => CareCategory, { nullable: true }) @IsOptional() @IsIn(Object.values(CareCategory))
  category?: CareCategory | null;

  @Field(() => RiskTier, { nullable: true }) @IsOptional() @IsIn(Object.values(RiskTier))
  riskTier?: RiskTier | null;

  @Field(() => ID, { nullable: true, description: '新的帮扶人；空字符串表示取消 (New helper; empty string removes the helper)' })
  @IsOptional()
  @Length(0, 200)
  helperId?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 4000)
  notes?: string | null;
}

@ArgsType()
export class UpdateCareRecipientArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => UpdateCareRecipientInput) @ValidateNested()
  input: UpdateCareRecipientInput;
}

@ArgsType()
export class CareRecipientArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class CareRecipientsArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => ID, { nullable: true, description: '只看某网格；不填为可见的全部 (One grid; all you may see when omitted)' })
  gridId?: string | null;
}

@InputType({ description: '走访记录 (A visit to a resident in care)' })
export class RecordVisitInput {
  @Field(() => ID)
  careRecipientId: string;

  @Field(() => DateTimeISOResolver, { description: '走访时间，最多补录 31 天 (When; at most 31 days ago)' })
  visitedAt: Date;

  @Field(() => VisitMode) @IsIn(Object.values(VisitMode))
  mode: VisitMode;

  @Field(() => String, { nullable: true, description: '走访情况（个人信息） (What was found; personal data)' }) @IsOptional() @Length(0, 4000)
  notes?: string | null;

  @Field(() => [String], { nullable: true, description: '发现的需求，如“助餐”“就医陪护” (Needs found, e.g. meals, escort to hospital)' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 200, { each: true })
  needs?: string[] | null;

  @Field(() => String, { description: '幂等键：同一走访重试时返回首次结果 (Idempotency key: a retry returns the first result)' }) @Length(1, 200)
  idempotencyKey: string;
}

@ArgsType()
export class RecordVisitArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => RecordVisitInput) @ValidateNested()
  input: RecordVisitInput;
}

@ArgsType()
export class VisitsArgs {
  @Field(() => Int, { nullable: true, description: '最近几次，1–100，默认 20 (How many of the latest, 1–100; default 20)' })
  first?: number | null;
}
