import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SharedResource } from './resource.entity.js';

/**
 * HELD → CONFIRMED → RELEASED, HELD → RELEASED, HELD → EXPIRED. A HELD hold whose
 * `expiresAt` has passed counts as free capacity at once, whether or not it has been
 * marked EXPIRED yet (see hold.service.ts).
 */
export enum HoldStatus {
  /** Reserved until `expiresAt`, waiting for the booking to be confirmed. */
  HELD = 'HELD',
  /** The reservation itself; has no expiry. */
  CONFIRMED = 'CONFIRMED',
  /** Given back (a saga's compensation, or a cancelled reservation). */
  RELEASED = 'RELEASED',
  /** Lapsed before it was confirmed. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(HoldStatus, { name: 'HoldStatus', description: '预留状态 (State of a hold on a resource)' });

/**
 * `quantity` units of a resource over [startsAt, endsAt), placed by the exchange for one
 * booking. Confirmed holds are the community's reservations.
 */
@ObjectType({ description: '资源预留 (Units of a resource held for one booking)' })
@Entity({ tableName: 'resource_hold' })
@Index({
  name: 'resource_hold_live_range_index',
  expression: `create index "resource_hold_live_range_index" on "resource_hold" ("resource_id", "ends_at", "starts_at") where "status" in ('HELD', 'CONFIRMED')`,
})
@Index({
  name: 'resource_hold_held_expires_at_index',
  expression: `create index "resource_hold_held_expires_at_index" on "resource_hold" ("expires_at") where "status" = 'HELD'`,
})
@Check({ name: 'resource_hold_booking_ref_check', expression: 'length(booking_ref) >= 1 and length(booking_ref) <= 200' })
@Check({ name: 'resource_hold_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'resource_hold_range_check', expression: 'ends_at > starts_at' })
// HELD has an expiry, CONFIRMED has none. Not written as `case`: MikroORM cannot read that back
// from PostgreSQL (see Migration20261126000050_resources_align).
@Check({
  name: 'resource_hold_expires_at_check',
  expression: `(status <> 'HELD' or expires_at is not null) and (status <> 'CONFIRMED' or expires_at is null)`,
})
export class ResourceHold {
  [OptionalProps]?: 'status' | 'expiresAt' | 'createdAt' | 'updatedAt' | 'communityId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ID, { description: '预约编号，由交换中心指定，唯一 (The booking this hold is for; unique)' })
  @Property({ type: 'text', unique: 'resource_hold_booking_ref_unique' })
  bookingRef: string;

  /** GraphQL only, resolved from the context: every row of this database is one community's. */
  @Field(() => ID)
  communityId?: string;

  @Field(() => SharedResource)
  @ManyToOne({ entity: () => SharedResource })
  resource: Rel<SharedResource>;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  startsAt: Date;

  @Field(() => DateTimeISOResolver, { description: '结束（不含） (End, exclusive)' })
  @Property({ type: 'timestamptz' })
  endsAt: Date;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity: number;

  @Field(() => HoldStatus)
  @Enum({ items: () => HoldStatus, nativeEnumName: 'hold_status' })
  status: HoldStatus = HoldStatus.HELD;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '未确认则于此时失效；已确认为空 (When an unconfirmed hold lapses; null once confirmed)' })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
