import { IsIn, IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { CaseCategory, CaseStatus, CaseUrgency } from './case.entity.js';

const COMMUNITY_ID = { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' };

@InputType({ description: '上报事件 (Report a case)' })
export class ReportCaseInput {
  @Field(() => CaseCategory) @IsIn(Object.values(CaseCategory))
  category: CaseCategory;

  @Field(() => CaseUrgency, { description: '紧急程度，受理时可调整 (Urgency; may be re-graded at registration)' }) @IsIn(Object.values(CaseUrgency))
  urgency: CaseUrgency;

  @Field(() => String) @Length(1, 200)
  title: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 4000)
  description?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 500)
  location?: string | null;

  @Field(() => ID, { nullable: true, description: '所在网格（如知道） (The grid, if known)' })
  gridId?: string | null;

  @Field(() => ID, { nullable: true, description: '所服务的关爱对象（仅网格员与工作人员） (The resident in care it serves; workers and staff only)' })
  careRecipientId?: string | null;

  @Field(() => String, { description: '幂等键：同一上报重试时返回首次结果 (Idempotency key: a retry returns the first result)' }) @Length(1, 200)
  idempotencyKey: string;
}

@ArgsType()
export class ReportCaseArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => ReportCaseInput) @ValidateNested()
  input: ReportCaseInput;
}

@InputType({ description: '事件流转一步 (Move a case one step)' })
export class TransitionCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => CaseStatus) @IsIn(Object.values(CaseStatus))
  to: CaseStatus;

  @Field(() => String, { nullable: true, description: '说明；办结时必填 (Note; required when resolving)' }) @IsOptional() @Length(0, 2000)
  note?: string | null;

  @Field(() => ID, { nullable: true, description: '派遣时：承办网格员 (When dispatching: the grid worker)' }) @IsOptional() @Length(1, 200)
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true, description: '受理时：调整网格 (When registering: move to this grid)' })
  gridId?: string | null;

  @Field(() => CaseUrgency, { nullable: true, description: '受理时：调整紧急程度并重算时限 (When registering: re-grade, resetting the deadline)' })
  @IsOptional()
  @IsIn(Object.values(CaseUrgency))
  urgency?: CaseUrgency | null;

  @Field(() => CaseCategory, { nullable: true, description: '受理时：调整类别 (When registering: change the category)' })
  @IsOptional()
  @IsIn(Object.values(CaseCategory))
  category?: CaseCategory | null;
}

@ArgsType()
export class TransitionCaseArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => TransitionCaseInput) @ValidateNested()
  input: TransitionCaseInput;
}

@InputType({ description: '上报人评价 (The reporter’s evaluation)' })
export class EvaluateCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int, { description: '1–5' }) @IsInt() @Min(1) @Max(5)
  score: number;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 2000)
  comment?: string | null;
}

@ArgsType()
export class EvaluateCaseArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => EvaluateCaseInput) @ValidateNested()
  input: EvaluateCaseInput;
}

@ArgsType()
export class CaseArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class CasesArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => ID, { nullable: true, description: '只看某网格 (One grid only)' })
  gridId?: string | null;

  @Field(() => CaseStatus, { nullable: true })
  status?: CaseStatus | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class MyCasesArgs {
  @Field(() => ID, COMMUNITY_ID)
  communityId: string;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class CaseStatsArgs {
  @Field(() => String, { description: '月份 YYYY-MM（社区当地时间） (Month, YYYY-MM, community local time)' })
  month: string;
}
