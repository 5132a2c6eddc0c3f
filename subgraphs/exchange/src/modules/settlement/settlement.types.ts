import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LedgerUnit } from '../ledger/account.entity.js';
import { SettlementRun } from './settlement.entity.js';

@ObjectType({ description: '社区间债务 (What one community owes another for the period)' })
export class CommunityObligation {
  @Field(() => ID, { description: '欠款社区：其居民消费了对方的资源 (Its residents used the other\'s resources)' })
  debtorCommunityId: string;

  @Field(() => ID)
  creditorCommunityId: string;

  @Field(() => Int, { description: '总额 (Gross, from posted bookings minus refunds)' })
  amount: number;

  @Field(() => Int, { description: '经环路抵消 (Cancelled by clearing cycles)' })
  cleared: number;

  @Field(() => Int, { description: '清算后仍需结算 (Still to settle after clearing)' })
  remaining: number;
}

@ObjectType({ description: '社区净头寸 (A community\'s net position: positive is owed to it)' })
export class NetPosition {
  @Field(() => ID)
  communityId: string;

  @Field(() => Int)
  net: number;
}

@ObjectType({ description: '结算对账单 (Settlement statement for a period)' })
export class SettlementStatement {
  @Field(() => DateTimeISOResolver)
  from: Date;

  @Field(() => DateTimeISOResolver)
  to: Date;

  @Field(() => LedgerUnit)
  unit: LedgerUnit;

  @Field(() => [CommunityObligation])
  obligations: CommunityObligation[];

  @Field(() => [NetPosition])
  netPositions: NetPosition[];

  @Field(() => SettlementRun, { nullable: true, description: '若本期已清算 (The clearing run, if this period was cleared)' })
  run: SettlementRun | null;
}
