import { Check, Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** PENDING (points debited, credit being issued) → DONE, or → REFUNDED (refused; points back). */
export enum ConversionStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  REFUNDED = 'REFUNDED',
}
registerEnumType(ConversionStatus, {
  name: 'PointsConversionStatus',
  description: '积分转换状态 (State of a points-to-credit conversion)',
  valuesConfig: {
    PENDING: { description: '积分已扣，共享积分发放中 (Points debited; credit being issued)' },
    DONE: { description: '共享积分已到账 (Credit issued)' },
    REFUNDED: { description: '交换中心拒绝，积分已退回 (Refused by the exchange; points given back)' },
  },
});

/**
 * Points turned into shared credit: a saga whose local half (debit the points, record this
 * PENDING, record the exchange call) commits in one transaction before the exchange is
 * asked; its id is the exchange transfer id, so the credit is issued at most once.
 */
@ObjectType({ description: '积分转共享积分 (Points converted into shared credit)' })
@Entity({ tableName: 'point_conversion' })
@Unique({ name: 'point_conversion_resident_id_idempotency_key_unique', properties: ['residentId', 'idempotencyKey'] })
@Index({ name: 'point_conversion_resident_id_created_at_index', properties: ['residentId', 'createdAt'] })
@Check({ name: 'point_conversion_amounts_check', expression: 'points > 0 and credits > 0' })
export class PointConversion {
  [OptionalProps]?: 'status' | 'refusal' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: '亦即交换中心的转账 ID (Also the exchange transfer id)' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ID)
  @Property({ type: 'text' })
  residentId: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  points: number;

  @Field(() => Int, { description: '共享积分 (Shared credit)' })
  @Property({ type: 'integer' })
  credits: number;

  @Field(() => ConversionStatus)
  @Enum({ items: () => ConversionStatus, nativeEnumName: 'point_conversion_status' })
  status: ConversionStatus = ConversionStatus.PENDING;

  @Field(() => String, { nullable: true, description: '交换中心拒绝的原因 (Why the exchange refused)' })
  @Property({ type: 'text', nullable: true })
  refusal: string | null = null;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
