import { ResourceKind } from '@linli/subgraph-kit';
import { ArrayType, Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Community } from '../directory/community.entity.js';

export enum ListingStatus {
  /** In the catalogue (while its community is ACTIVE). */
  PUBLISHED = 'PUBLISHED',
  /** Taken back by its community; kept so that bookings made from it still resolve. */
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ListingStatus, { name: 'ListingStatus', description: '发布状态 (Listing status)' });

export enum ListingAudience {
  /** Residents of every member community may book. */
  ALL_COMMUNITIES = 'ALL_COMMUNITIES',
  /** Only residents of `allowedCommunityIds` (and of the owning community). */
  SELECTED_COMMUNITIES = 'SELECTED_COMMUNITIES',
}
registerEnumType(ListingAudience, { name: 'ListingAudience', description: '可预约范围 (Who may book)' });

/**
 * The database keeps at most one PUBLISHED listing per resource; the index name is what
 * the service recognises when two publications race.
 */
export const ONE_PUBLISHED_PER_RESOURCE = 'listing_one_published_per_resource';

/**
 * A community's published offer of one of its resources: its own text and terms. The
 * exchange never reads the resource itself; the gateway resolves `resource` in the owning
 * community.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: '共享资源发布 (A community\'s published offer of a resource)' })
@Entity({ tableName: 'listing' })
@Index({
  name: ONE_PUBLISHED_PER_RESOURCE,
  expression: `create unique index "${ONE_PUBLISHED_PER_RESOURCE}" on "listing" ("community_id", "resource_id") where "status" = 'PUBLISHED'`,
})
@Index({
  name: 'listing_published_order_index',
  expression: `create index "listing_published_order_index" on "listing" ("published_at" desc, "id" desc) where "status" = 'PUBLISHED'`,
})
@Check({ name: 'listing_price_credits_per_slot_check', expression: 'price_credits_per_slot >= 0' })
@Check({ name: 'listing_refund_rule_check', expression: 'full_refund_hours_before >= 0 and late_cancellation_refund_percent >= 0 and late_cancellation_refund_percent <= 100' })
@Check({ name: 'listing_period_check', expression: 'available_to is null or available_from < available_to' })
@Check({ name: 'listing_withdrawn_at_check', expression: `(status = 'WITHDRAWN') = (withdrawn_at is not null)` })
export class Listing {
  [OptionalProps]?:
    | 'status'
    | 'publishedAt'
    | 'withdrawnAt'
    | 'summary'
    | 'summaryEn'
    | 'bookableBy'
    | 'allowedCommunityIds'
    | 'availableTo'
    | 'fullRefundHoursBefore'
    | 'lateCancellationRefundPercent';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Owning community; in GraphQL as `communityId` and `community`. */
  @ManyToOne({ entity: () => Community })
  community: Rel<Community>;

  @Field(() => ID, { description: '资源在其社区中的 ID (The resource\'s id in its community)' })
  @Property({ type: 'text' })
  resourceId: string;

  @Field(() => ResourceKind)
  @Enum({ items: () => ResourceKind, nativeEnumName: 'resource_kind' })
  kind: ResourceKind;

  @Field(() => String, { description: '标题 (Title, zh-CN)' })
  @Property({ type: 'text' })
  title: string;

  @Field(() => String, { description: 'Title in English' })
  @Property({ type: 'text' })
  titleEn: string;

  @Field(() => String, { description: '简介 (Summary, zh-CN)' })
  @Property({ type: 'text' })
  summary: string = '';

  @Field(() => String, { description: 'Summary in English' })
  @Property({ type: 'text' })
  summaryEn: string = '';

  @Field(() => Int, { description: '每份每时段价格（积分） (Price of one unit for one slot, in credits)' })
  @Property({ type: 'integer' })
  priceCreditsPerSlot: number;

  @Field(() => ListingAudience)
  @Enum({ items: () => ListingAudience, nativeEnumName: 'listing_audience' })
  bookableBy: ListingAudience = ListingAudience.ALL_COMMUNITIES;

  @Field(() => [ID], { description: '可预约的其他社区（SELECTED_COMMUNITIES 时） (Communities whose residents may book, when SELECTED_COMMUNITIES)' })
  @Property({ type: ArrayType })
  allowedCommunityIds: string[] = [];

  @Field(() => DateTimeISOResolver, { description: '发布期开始 (The offer runs from)' })
  @Property({ type: 'timestamptz' })
  availableFrom: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '发布期结束，为空表示长期 (The offer runs until; null = open-ended)' })
  @Property({ type: 'timestamptz', nullable: true })
  availableTo: Date | null = null;

  @Field(() => Int, { description: '开始前至少多少小时取消可全额退款 (Cancel at least this many hours before the start for a full refund)' })
  @Property({ type: 'integer' })
  fullRefundHoursBefore: number = 24;

  @Field(() => Int, { description: '较晚取消（开始前）退款百分比 (Refund, in percent, for a later cancellation before the start)' })
  @Property({ type: 'integer' })
  lateCancellationRefundPercent: number = 50;

  @Field(() => ListingStatus)
  @Enum({ items: () => ListingStatus, nativeEnumName: 'listing_status' })
  status: ListingStatus = ListingStatus.PUBLISHED;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  publishedAt: Date = new Date();

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null = null;

  /** The staff member who published it; kept for audit, never exposed in the graph. */
  @Property({ type: 'text' })
  publishedBy: string;

  /** The publisher's key: a retried publication finds the first one by it. */
  @Property({ type: 'text', unique: 'listing_idempotency_key_unique' })
  idempotencyKey: string;
}
