import { IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { LedgerUnit } from './account.entity.js';
import { MAX_ISSUE_AMOUNT } from './ledger.service.js';

@InputType({ description: '向本社区居民发放积分（社区管理员） (Issue credit to a resident of your community; community admin)' })
export class IssueCreditInput {
  @Field(() => ID, { description: '居民的用户 ID (The resident\'s user id)' }) @Length(1, 200)
  residentId: string;

  @Field(() => Int, { description: `数量，1–${MAX_ISSUE_AMOUNT} (Amount)` }) @IsInt() @Min(1) @Max(MAX_ISSUE_AMOUNT)
  amount: number;

  @Field(() => LedgerUnit, { nullable: true, defaultValue: LedgerUnit.CREDIT, description: '单位，默认 CREDIT (Unit)' })
  @IsOptional()
  @IsIn(Object.values(LedgerUnit))
  unit?: LedgerUnit | null;

  @Field(() => String, { nullable: true, description: '备注 (Memo)' }) @IsOptional() @Length(0, 500)
  memo?: string | null;

  @Field(() => ID, { description: '幂等键（UUID），即转账 ID；重试时使用同一值 (Idempotency key, a UUID: becomes the transfer id; reuse it when retrying)' })
  @IsUUID()
  idempotencyKey: string;
}

@ArgsType()
export class TransfersArgs {
  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
