import { ForbiddenError, hasRole, isFederationService, isStaffOf, Role, type Viewer } from '@linli/subgraph-kit';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { requireFederationAdmin, requireSignedIn } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { LedgerUnit } from '../ledger/account.entity.js';
import * as settlement from './settlement.service.js';
import { SettlementStatement } from './settlement.types.js';

@ArgsType()
class StatementArgs {
  @Field(() => DateTimeISOResolver) @IsDate()
  from: Date;

  @Field(() => DateTimeISOResolver) @IsDate()
  to: Date;

  @Field(() => LedgerUnit, { defaultValue: LedgerUnit.CREDIT }) @IsOptional() @IsIn(Object.values(LedgerUnit))
  unit: LedgerUnit;
}

@InputType({ description: '清算一个已结束的期间 (Clear an ended period)' })
class RunSettlementInput {
  @Field(() => DateTimeISOResolver) @IsDate()
  from: Date;

  @Field(() => DateTimeISOResolver) @IsDate()
  to: Date;

  @Field(() => LedgerUnit, { defaultValue: LedgerUnit.CREDIT }) @IsOptional() @IsIn(Object.values(LedgerUnit))
  unit: LedgerUnit;

  @Field(() => ID, { description: '幂等键（UUID），即清算记录 ID (Idempotency key, a UUID: the run\'s id)' }) @IsUUID()
  idempotencyKey: string;
}

function requireStatementReader(viewer: Viewer): void {
  requireSignedIn(viewer);
  const staff = viewer.homeCommunityId !== null && isStaffOf(viewer, viewer.homeCommunityId);
  if (!staff && !(hasRole(viewer, Role.FEDERATION_ADMIN) || isFederationService(viewer))) {
    throw new ForbiddenError('只有社区工作人员或联邦管理员可以查看结算', 'Only community staff or federation admins may see settlements');
  }
}

@Resolver()
export class SettlementResolver {
  @Query(() => SettlementStatement, {
    description: '期间内社区间的净头寸（联邦管理员看全部；社区工作人员看本社区） (Net positions between communities; staff see their own community\'s)',
  })
  settlementStatement(@Args() { from, to, unit }: StatementArgs, @Ctx() ctx: ExchangeContext): Promise<SettlementStatement> {
    requireStatementReader(ctx.viewer);
    return settlement.statement(ctx.em, ctx.viewer, from, to, unit);
  }

  @Mutation(() => SettlementStatement, { description: '清算：抵消环路债务并记入账本（联邦管理员） (Clear cycles and record them; federation admin)' })
  runSettlement(@Arg('input', () => RunSettlementInput) input: RunSettlementInput, @Ctx() ctx: ExchangeContext): Promise<SettlementStatement> {
    requireFederationAdmin(ctx.viewer);
    return settlement.runSettlement(ctx.em, ctx.viewer, input);
  }
}
