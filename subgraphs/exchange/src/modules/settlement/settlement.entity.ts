import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LedgerUnit } from '../ledger/account.entity.js';
import type { Cleared } from './clearing.js';

/**
 * One clearing of a period's obligations. Its id is the client's idempotency key; the
 * offsetting SETTLEMENT transfers carry ids derived from it, so a retried run (or one
 * resumed after a crash) records each of them once.
 */
@ObjectType({ description: '清算记录 (A clearing run over a period)' })
@Entity({ tableName: 'settlement_run' })
export class SettlementRun {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Field(() => LedgerUnit)
  @Enum({ items: () => LedgerUnit, nativeEnumName: 'ledger_unit' })
  unit: LedgerUnit;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  periodFrom: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  periodTo: Date;

  /** The obligations as cleared: gross, cleared and remaining per ordered pair. */
  @Property({ type: 'jsonb' })
  obligations: Cleared[];

  @Field(() => Int, { description: '环路数 (Cycles cleared)' })
  @Property({ type: 'integer' })
  cycles: number;

  @Property({ type: 'text' })
  createdBy: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
