import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

/**
 * Shapes only. The rules (quantity, durations, lead time, opening hours, expiry) belong to
 * the resource's policy and are checked in hold.service.ts, each with its own `rule`.
 */
@InputType({ description: '预留资源 (Hold units of a resource for a booking)' })
export class PlaceHoldInput {
  @Field(() => ID)
  resourceId: string;

  @Field(() => DateTimeISOResolver)
  startsAt: Date;

  @Field(() => DateTimeISOResolver, { description: '结束（不含） (End, exclusive)' })
  endsAt: Date;

  @Field(() => Int)
  quantity: number;

  @Field(() => ID, { description: '预约编号；重复提交相同参数返回同一预留 (Idempotency key: the booking id)' })
  bookingRef: string;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '失效时间，默认 10 分钟后，最多 14 天 (Default now + 10 min; at most 14 days ahead)' })
  expiresAt?: Date | null;
}

/** `communityId` first, for the gateway's routing; an ArgsType keeps the printed order. */
@ArgsType()
export class PlaceHoldArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => PlaceHoldInput)
  input: PlaceHoldInput;
}

@ArgsType()
export class HoldArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  bookingRef: string;
}
