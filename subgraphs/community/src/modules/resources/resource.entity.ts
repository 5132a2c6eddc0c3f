import { Check, Collection, Embeddable, Embedded, Entity, Enum, Index, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { ResourceKind } from '@linli/subgraph-kit';
import type { AvailabilityException, OpeningHours } from './availability.entity.js';

export { ResourceKind };

export enum ResourceStatus {
  /** Open for booking. */
  ACTIVE = 'ACTIVE',
  /** Temporarily not bookable (repairs, holidays); still visible. */
  PAUSED = 'PAUSED',
  /** No longer offered. */
  RETIRED = 'RETIRED',
}
registerEnumType(ResourceStatus, { name: 'ResourceStatus', description: '资源状态 (Resource status)' });

@Embeddable()
@ObjectType({ description: '预约规则 (Booking policy)' })
export class BookingPolicy {
  @Field(() => Boolean, { description: '是否需要审批 (Bookings wait for staff approval)' })
  @Property({ type: 'boolean' })
  requiresApproval: boolean = false;

  @Field(() => Int, { description: '时段长度（分钟） (Length of one bookable slot, minutes)' })
  @Property({ type: 'integer' })
  slotMinutes: number = 60;

  @Field(() => Int, { description: '最短预约时长（分钟） (Shortest booking, minutes)' })
  @Property({ type: 'integer' })
  minDurationMinutes: number = 60;

  @Field(() => Int, { description: '最长预约时长（分钟） (Longest booking, minutes)' })
  @Property({ type: 'integer' })
  maxDurationMinutes: number = 240;

  @Field(() => Int, { description: '最少提前（分钟） (Minimum notice before start, minutes)' })
  @Property({ type: 'integer' })
  leadTimeMinutes: number = 60;

  @Field(() => Int, { description: '最多提前天数 (How many days ahead can be booked)' })
  @Property({ type: 'integer' })
  maxDaysAhead: number = 30;

  @Field(() => Int, { description: '每份每时段价格（积分） (Price of one unit for one slot, in credits)' })
  @Property({ type: 'integer' })
  priceCreditsPerSlot: number = 0;
}

@Directive('@key(fields: "communityId id")')
@ObjectType({ description: '共享资源 (A resource a community shares)' })
@Entity({ tableName: 'shared_resource' })
@Index({ name: 'shared_resource_created_at_id_index', properties: ['createdAt', 'id'] })
@Check({ name: 'shared_resource_capacity_check', expression: 'capacity > 0' })
@Check({ name: 'shared_resource_policy_slot_minutes_check', expression: 'policy_slot_minutes > 0' })
@Check({ name: 'shared_resource_policy_price_credits_per_slot_check', expression: 'policy_price_credits_per_slot >= 0' })
export class SharedResource {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt' | 'descriptionEn' | 'description' | 'locationEn';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: '名称 (Name, zh-CN)' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'Name in English' })
  @Property({ type: 'text' })
  nameEn: string;

  @Field(() => ResourceKind)
  @Enum({ items: () => ResourceKind, nativeEnumName: 'resource_kind' })
  kind: ResourceKind;

  @Field(() => String, { description: '介绍 (Description, zh-CN)' })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => String, { description: 'Description in English' })
  @Property({ type: 'text' })
  descriptionEn: string = '';

  @Field(() => String, { description: '地点 (Where it is, zh-CN)' })
  @Property({ type: 'text' })
  location: string;

  @Field(() => String, { description: 'Where it is, in English' })
  @Property({ type: 'text' })
  locationEn: string = '';

  @Field(() => Int, { description: '容量：同一时段可同时预约的份数 (Units bookable at the same time)' })
  @Property({ type: 'integer' })
  capacity: number;

  @Field(() => BookingPolicy)
  @Embedded({ entity: () => BookingPolicy, prefix: 'policy_' })
  policy: BookingPolicy = new BookingPolicy();

  @Field(() => ResourceStatus)
  @Enum({ items: () => ResourceStatus, nativeEnumName: 'resource_status' })
  status: ResourceStatus = ResourceStatus.ACTIVE;

  @OneToMany({ entity: 'OpeningHours', mappedBy: 'resource', orphanRemoval: true })
  openingHours = new Collection<OpeningHours>(this);

  @OneToMany({ entity: 'AvailabilityException', mappedBy: 'resource', orphanRemoval: true })
  exceptions = new Collection<AvailabilityException>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
