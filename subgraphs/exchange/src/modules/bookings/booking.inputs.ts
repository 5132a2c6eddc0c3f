import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { COMMUNITY_ID } from '../directory/community.entity.js';
import { BookingStatus } from './booking.entity.js';

@InputType({ description: '预约共享资源 (Book a listed resource)' })
export class BookSharedResourceInput {
  @Field(() => ID) @Length(1, 100)
  listingId: string;

  @Field(() => DateTimeISOResolver, { description: '开始时间 (Starts at)' }) @IsDate()
  startsAt: Date;

  @Field(() => DateTimeISOResolver, { description: '结束时间 (Ends at)' }) @IsDate()
  endsAt: Date;

  @Field(() => Int, { defaultValue: 1, description: '份数 (Units, e.g. seats or courts)' }) @IsInt() @Min(1) @Max(10_000)
  quantity: number;

  @Field(() => String, { description: '幂等键：重试时使用同一值 (Idempotency key: reuse it when retrying)' }) @Length(8, 100)
  idempotencyKey: string;
}

@ArgsType()
export class BookingsPageArgs {
  @Field(() => BookingStatus, { nullable: true }) @IsOptional() @IsIn(Object.values(BookingStatus))
  status?: BookingStatus | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' }) @IsOptional()
  first?: number | null;

  @Field(() => String, { nullable: true }) @IsOptional()
  after?: string | null;
}

@ArgsType()
export class CommunityBookingsArgs extends BookingsPageArgs {
  @Field(() => ID) @Matches(COMMUNITY_ID)
  communityId: string;
}

@ArgsType()
export class CancelBookingArgs {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => String, { description: '幂等键 (Idempotency key)' }) @Length(8, 100)
  idempotencyKey: string;
}

@ArgsType()
export class RejectBookingArgs {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => String, { description: '拒绝理由，会告知预约人 (Reason, shown to the resident)' }) @Length(1, 500)
  reason: string;
}
