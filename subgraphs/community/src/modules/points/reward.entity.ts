import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum RewardKind {
  GOODS = 'GOODS',
  PROPERTY_FEE_VOUCHER = 'PROPERTY_FEE_VOUCHER',
  EVENT_PRIORITY = 'EVENT_PRIORITY',
}
registerEnumType(RewardKind, {
  name: 'RewardKind',
  description: '礼品类型 (Kind of reward)',
  valuesConfig: {
    GOODS: { description: '实物 (Goods)' },
    PROPERTY_FEE_VOUCHER: { description: '物业费抵用券 (Property-fee voucher)' },
    EVENT_PRIORITY: { description: '活动优先券 (Event priority pass)' },
  },
});

/** An item of the points shop (积分超市): its price in points, stock and per-resident limit. */
@ObjectType({ description: '积分超市礼品 (A reward in the points shop)' })
@Entity({ tableName: 'reward' })
@Check({ name: 'reward_cost_points_check', expression: 'cost_points > 0' })
@Check({ name: 'reward_stock_check', expression: 'stock >= 0' })
@Check({ name: 'reward_per_resident_limit_check', expression: 'per_resident_limit is null or per_resident_limit > 0' })
export class Reward {
  [OptionalProps]?: 'description' | 'descriptionEn' | 'perResidentLimit' | 'active' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => RewardKind)
  @Enum({ items: () => RewardKind, nativeEnumName: 'reward_kind' })
  kind: RewardKind;

  @Field(() => String)
  @Property({ type: 'text' })
  name: string;

  @Field(() => String)
  @Property({ type: 'text' })
  nameEn: string;

  @Field(() => String)
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => String)
  @Property({ type: 'text' })
  descriptionEn: string = '';

  @Field(() => Int, { description: '所需积分 (Price in points)' })
  @Property({ type: 'integer' })
  costPoints: number;

  @Field(() => Int, { description: '库存 (Units left)' })
  @Property({ type: 'integer' })
  stock: number;

  @Field(() => Int, { nullable: true, description: '每人限兑次数，为空不限 (Most one resident may redeem; null = no limit)' })
  @Property({ type: 'integer', nullable: true })
  perResidentLimit: number | null = null;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** ISSUED → USED, once, by staff who checked the voucher code. */
export enum VoucherStatus {
  ISSUED = 'ISSUED',
  USED = 'USED',
}
registerEnumType(VoucherStatus, { name: 'VoucherStatus', description: '兑换券状态 (State of a voucher)' });

/** One redemption: the points it cost and the voucher code the resident shows staff. */
@ObjectType({ description: '礼品兑换 (A reward redeemed, with its voucher)' })
@Entity({ tableName: 'reward_redemption' })
@Unique({ name: 'reward_redemption_voucher_code_unique', properties: ['voucherCode'] })
@Unique({ name: 'reward_redemption_resident_id_idempotency_key_unique', properties: ['residentId', 'idempotencyKey'] })
@Index({ name: 'reward_redemption_reward_id_resident_id_index', properties: ['reward', 'residentId'] })
@Check({ name: 'reward_redemption_points_check', expression: 'points > 0' })
@Check({ name: 'reward_redemption_used_check', expression: `(status = 'USED') = (used_at is not null)` })
export class RewardRedemption {
  [OptionalProps]?: 'status' | 'usedAt' | 'usedBy' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Reward)
  @ManyToOne({ entity: () => Reward, deleteRule: 'restrict' })
  reward: Rel<Reward>;

  @Field(() => ID)
  @Property({ type: 'text' })
  residentId: string;

  @Field(() => Int, { description: '花费积分 (Points it cost)' })
  @Property({ type: 'integer' })
  points: number;

  @Field(() => String, { description: '兑换码，出示给工作人员 (The code to show staff)' })
  @Property({ type: 'text' })
  voucherCode: string;

  @Field(() => VoucherStatus)
  @Enum({ items: () => VoucherStatus, nativeEnumName: 'voucher_status' })
  status: VoucherStatus = VoucherStatus.ISSUED;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  usedBy: string | null = null;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
