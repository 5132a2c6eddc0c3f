import { toConnection as relayConnection } from '@linli/subgraph-kit';
import { ForbiddenError, isStaffOf } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { AvailabilityException, OpeningHours } from './availability.entity.js';
import { WrongCommunityError } from './resource.errors.js';
import { AvailabilityExceptionInput, CreateResourceInput } from './resource.inputs.js';
import { SharedResource } from './resource.entity.js';
import * as resources from './resource.service.js';
import { AvailabilityArgs, CommunityResourcesArgs, ResourceArgs, SharedResourceConnection, TimeSlot } from './resource.types.js';

/**
 * Root fields carry `communityId` so the gateway can route them to the right instance. They
 * are nullable: when a community is unavailable the gateway nulls just its fields.
 */
export function assertServes(ctx: CommunityContext, communityId: string): void {
  if (communityId !== ctx.communityId) throw new WrongCommunityError(communityId, ctx.communityId);
}

export function assertStaff(ctx: CommunityContext): void {
  if (!isStaffOf(ctx.viewer, ctx.communityId)) {
    throw new ForbiddenError('只有本社区工作人员可以管理资源', 'Only staff of this community may manage its resources', {
      communityId: ctx.communityId,
    });
  }
}

export function toConnection(page: resources.ResourcePage): SharedResourceConnection {
  return relayConnection(page.resources, page.hasNextPage, resources.cursorOf);
}

@Resolver(() => SharedResource)
export class SharedResourceResolver {
  @Query(() => SharedResource, { nullable: true, description: '按 ID 查看资源 (A resource by id)' })
  async resource(@Args() { communityId, id }: ResourceArgs, @Ctx() ctx: CommunityContext): Promise<SharedResource | null> {
    assertServes(ctx, communityId);
    return resources.getResource(ctx.em, id);
  }

  @Query(() => SharedResourceConnection, { nullable: true, description: '社区的共享资源 (Resources a community shares)' })
  async resources(@Args() { communityId, ...args }: CommunityResourcesArgs, @Ctx() ctx: CommunityContext): Promise<SharedResourceConnection | null> {
    assertServes(ctx, communityId);
    return toConnection(await resources.listResources(ctx.em, args));
  }

  @FieldResolver(() => ID)
  communityId(@Ctx() ctx: CommunityContext): string {
    return ctx.communityId;
  }

  @FieldResolver(() => [OpeningHours], { description: '每周开放时间 (Weekly opening hours)' })
  async weeklyHours(@Root() resource: SharedResource): Promise<OpeningHours[]> {
    const hours = await resource.openingHours.load();
    return hours.getItems().sort((a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt));
  }

  @FieldResolver(() => [AvailabilityException], { description: '即将到来的特殊安排 (Upcoming dated exceptions)' })
  async exceptions(@Root() resource: SharedResource, @Ctx() ctx: CommunityContext): Promise<AvailabilityException[]> {
    return resources.upcomingExceptions(resource, ctx.timezone);
  }

  @FieldResolver(() => [TimeSlot], { description: '可预约时段 (Bookable slots in [from, to), at most 31 days)' })
  async availability(@Root() resource: SharedResource, @Args() { from, to }: AvailabilityArgs, @Ctx() ctx: CommunityContext): Promise<TimeSlot[]> {
    return resources.availability(ctx.em, resource, { from, to }, ctx.timezone);
  }

  @Mutation(() => SharedResource, { description: '新建共享资源（本社区工作人员） (Create a resource; staff only)' })
  async createResource(
    @Arg('communityId', () => ID) communityId: string,
    @Arg('input', () => CreateResourceInput) input: CreateResourceInput,
    @Ctx() ctx: CommunityContext,
  ): Promise<SharedResource> {
    assertServes(ctx, communityId);
    assertStaff(ctx);
    return resources.createResource(ctx.em, input);
  }

  @Mutation(() => AvailabilityException, { description: '添加闭馆或额外开放（本社区工作人员） (Add a closure or extra opening)' })
  async addAvailabilityException(
    @Args() { communityId, id }: ResourceArgs,
    @Arg('input', () => AvailabilityExceptionInput) input: AvailabilityExceptionInput,
    @Ctx() ctx: CommunityContext,
  ): Promise<AvailabilityException> {
    assertServes(ctx, communityId);
    assertStaff(ctx);
    return resources.addAvailabilityException(ctx.em, id, input);
  }
}
