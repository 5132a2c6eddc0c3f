import { PageInfo } from '@linli/subgraph-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { ResourceKind, SharedResource } from './resource.entity.js';

@ObjectType({ description: '可预约时段 (A bookable slot)' })
export class TimeSlot {
  @Field(() => DateTimeISOResolver)
  startsAt: Date;

  @Field(() => DateTimeISOResolver)
  endsAt: Date;

  @Field(() => Int, { description: '该时段剩余可约份数 (Units still bookable in this slot)' })
  availableQuantity: number;
}

@ObjectType()
export class SharedResourceEdge {
  @Field(() => SharedResource)
  node: SharedResource;

  @Field(() => String)
  cursor: string;
}

@ObjectType()
export class SharedResourceConnection {
  @Field(() => [SharedResourceEdge])
  edges: SharedResourceEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ArgsType()
export class ResourcesArgs {
  @Field(() => ResourceKind, { nullable: true })
  kind?: ResourceKind | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class CommunityResourcesArgs extends ResourcesArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;
}

@ArgsType()
export class ResourceArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class AvailabilityArgs {
  @Field(() => DateTimeISOResolver)
  from: Date;

  @Field(() => DateTimeISOResolver)
  to: Date;
}
