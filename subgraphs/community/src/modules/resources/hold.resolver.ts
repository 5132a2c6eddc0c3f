import { ForbiddenError, isFederationService } from '@linli/subgraph-kit';
import { Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { ResourceHold } from './hold.entity.js';
import { HoldArgs, PlaceHoldArgs } from './hold.inputs.js';
import * as holds from './hold.service.js';
import { ResourceNotFoundError } from './resource.errors.js';
import { SharedResource } from './resource.entity.js';
import { assertServes } from './resource.resolver.js';

/** Holds are the exchange's to manage: only a federation-wide service (never a community's own) may touch them. */
function assertService(ctx: CommunityContext): void {
  if (!isFederationService(ctx.viewer)) {
    throw new ForbiddenError('只有交换中心可以管理资源预留', 'Only the exchange may manage holds', { communityId: ctx.communityId });
  }
}

@Resolver(() => ResourceHold)
export class ResourceHoldResolver {
  @Query(() => ResourceHold, { nullable: true, description: '按预约编号查看预留，从未预留则为空（交换中心） (The hold for a booking, null if never placed; exchange only)' })
  async hold(@Args() { communityId, bookingRef }: HoldArgs, @Ctx() ctx: CommunityContext): Promise<ResourceHold | null> {
    assertServes(ctx, communityId);
    assertService(ctx);
    return holds.findHold(ctx.em, bookingRef);
  }

  @Mutation(() => ResourceHold, { nullable: true, description: '预留资源；同一预约编号重复提交返回同一预留（交换中心） (Hold capacity for a booking; idempotent by bookingRef)' })
  async placeHold(@Args() { communityId, input }: PlaceHoldArgs, @Ctx() ctx: CommunityContext): Promise<ResourceHold | null> {
    assertServes(ctx, communityId);
    assertService(ctx);
    return holds.placeHold(
      ctx.em,
      {
        resourceId: input.resourceId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        quantity: input.quantity,
        bookingRef: input.bookingRef,
        expiresAt: input.expiresAt ?? null,
      },
      ctx.timezone,
    );
  }

  @Mutation(() => ResourceHold, { nullable: true, description: '确认预留，成为正式预约（交换中心） (Confirm a hold into a reservation; idempotent)' })
  async confirmHold(@Args() { communityId, bookingRef }: HoldArgs, @Ctx() ctx: CommunityContext): Promise<ResourceHold | null> {
    assertServes(ctx, communityId);
    assertService(ctx);
    return holds.confirmHold(ctx.em, bookingRef);
  }

  @Mutation(() => ResourceHold, { nullable: true, description: '释放预留或取消预约；从未预留则返回空（交换中心） (Release a hold or cancel a reservation; null if never placed)' })
  async releaseHold(@Args() { communityId, bookingRef }: HoldArgs, @Ctx() ctx: CommunityContext): Promise<ResourceHold | null> {
    assertServes(ctx, communityId);
    assertService(ctx);
    return holds.releaseHold(ctx.em, bookingRef);
  }

  @FieldResolver(() => ID)
  communityId(@Ctx() ctx: CommunityContext): string {
    return ctx.communityId;
  }

  @FieldResolver(() => SharedResource)
  async resource(@Root() hold: ResourceHold, @Ctx() ctx: CommunityContext): Promise<SharedResource> {
    const resource = await ctx.loaders.resource.load(hold.resource.id);
    if (!resource) throw new ResourceNotFoundError(hold.resource.id);
    return resource;
  }
}
