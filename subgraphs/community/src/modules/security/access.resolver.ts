import { toConnection } from '@linli/subgraph-kit';
import { PageInfo } from '@linli/subgraph-kit';
import { IsOptional, Length } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { recordRead } from '../audit/audit.service.js';
import { assertServes } from '../resources/resource.resolver.js';
import { AccessEvent, AccessResult } from './access.entity.js';
import { accessEventCursor, listAccessEvents } from './access.service.js';
import { SecurityDevice } from './device.entity.js';
import { assertCanOperate } from './security.access.js';

/** What the audit log says was read with each access event. */
export const AUDITED_ACCESS_FIELDS = ['device', 'occurredAt', 'result', 'method', 'subjectPseudonym'] as const;

@ArgsType()
export class AccessEventsArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => ID, { nullable: true, description: '门禁设备 (One door)' })
  deviceId?: string | null;

  @Field(() => AccessResult, { nullable: true })
  result?: AccessResult | null;

  @Field(() => String, { nullable: true, description: '某一假名的记录 (One pseudonymous subject’s events)' })
  @IsOptional() @Length(64, 64)
  subjectPseudonym?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  from?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '截止（不含） (Until, exclusive)' })
  to?: Date | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ObjectType()
export class AccessEventEdge {
  @Field(() => AccessEvent)
  node: AccessEvent;

  @Field(() => String)
  cursor: string;
}

@ObjectType()
export class AccessEventConnection {
  @Field(() => [AccessEventEdge])
  edges: AccessEventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@Resolver(() => AccessEvent)
export class AccessEventResolver {
  @Query(() => AccessEventConnection, {
    nullable: true,
    description: '门禁通行记录，最新在前（安保人员、管理员；每次读取记入访问日志） (Access events, newest first; security staff and admin; every read is audited)',
  })
  async accessEvents(@Args() { communityId, ...filter }: AccessEventsArgs, @Ctx() ctx: CommunityContext): Promise<AccessEventConnection> {
    assertServes(ctx, communityId);
    assertCanOperate(ctx.viewer, ctx.communityId);
    const page = await listAccessEvents(ctx.em, filter);
    // Recorded before anything is returned: if the log cannot be written, the read fails.
    await recordRead(ctx.em, ctx.viewer, { subjectType: 'AccessEvent', subjectIds: page.events.map((e) => e.id), fields: AUDITED_ACCESS_FIELDS }, ctx.clock.now());
    return toConnection(page.events, page.hasNextPage, accessEventCursor);
  }

  @FieldResolver(() => SecurityDevice, { description: '门禁设备 (The door)' })
  async device(@Root() event: AccessEvent, @Ctx() ctx: CommunityContext): Promise<SecurityDevice> {
    return ctx.em.findOneOrFail(SecurityDevice, { id: event.device.id });
  }
}
