import { ResourceKind } from '@linli/subgraph-kit';
import { ArrayMaxSize, ArrayUnique, IsDate, IsIn, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { COMMUNITY_ID } from '../directory/community.entity.js';
import { ListingAudience } from './listing.entity.js';

@InputType({ description: '发布共享资源 (Publish a resource to the exchange)' })
export class PublishListingInput {
  @Field(() => ID, { description: '发布的社区 (The publishing community)' }) @Matches(COMMUNITY_ID)
  communityId: string;

  @Field(() => ID, { description: '资源在其社区中的 ID (The resource\'s id in its community)' }) @Length(1, 100)
  resourceId: string;

  @Field(() => ResourceKind) @IsIn(Object.values(ResourceKind))
  kind: ResourceKind;

  @Field(() => String) @Length(1, 100)
  title: string;

  @Field(() => String) @Length(1, 200)
  titleEn: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 2000)
  summary?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 4000)
  summaryEn?: string | null;

  @Field(() => Int, { description: '每份每时段价格（积分） (Price per unit and slot, credits)' }) @IsInt() @Min(0) @Max(1_000_000)
  priceCreditsPerSlot: number;

  @Field(() => ListingAudience, { nullable: true, description: '默认 ALL_COMMUNITIES' }) @IsOptional() @IsIn(Object.values(ListingAudience))
  bookableBy?: ListingAudience | null;

  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(100) @ArrayUnique() @Matches(COMMUNITY_ID, { each: true })
  allowedCommunityIds?: string[] | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '默认为现在 (Default: now)' }) @IsOptional() @IsDate()
  availableFrom?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '为空表示长期 (null = open-ended)' }) @IsOptional() @IsDate()
  availableTo?: Date | null;

  @Field(() => Int, { nullable: true, description: '开始前至少多少小时取消可全额退款，默认 24 (Hours before the start for a full refund; default 24)' })
  @IsOptional() @IsInt() @Min(0) @Max(24 * 90)
  fullRefundHoursBefore?: number | null;

  @Field(() => Int, { nullable: true, description: '较晚取消的退款百分比，默认 50 (Refund percent for a later cancellation; default 50)' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  lateCancellationRefundPercent?: number | null;

  @Field(() => String, { description: '幂等键：重试时使用同一值 (Idempotency key: reuse it when retrying)' }) @Length(8, 100)
  idempotencyKey: string;
}

@InputType({ description: '筛选发布 (Listing filter)' })
export class ListingFilter {
  @Field(() => ResourceKind, { nullable: true }) @IsOptional() @IsIn(Object.values(ResourceKind))
  kind?: ResourceKind | null;

  @Field(() => ID, { nullable: true }) @IsOptional() @Matches(COMMUNITY_ID)
  communityId?: string | null;

  @Field(() => String, { nullable: true, description: '匹配标题与简介（中英文，不区分大小写） (Matches titles and summaries)' })
  @IsOptional()
  @Length(0, 100)
  text?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '与发布期重叠的范围起点 (Keep offers running after this)' })
  @IsOptional()
  @IsDate()
  availableFrom?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '与发布期重叠的范围终点 (Keep offers starting before this)' })
  @IsOptional()
  @IsDate()
  availableTo?: Date | null;
}

@ArgsType()
export class ListingsArgs {
  @Field(() => ListingFilter, { nullable: true }) @IsOptional() @ValidateNested()
  filter?: ListingFilter | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
