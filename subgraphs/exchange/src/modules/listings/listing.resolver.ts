import { toConnection as relayConnection } from '@linli/subgraph-kit';
import { isStaffOf } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireSignedIn } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Community } from '../directory/community.entity.js';
import { CommunityNotFoundError } from '../directory/directory.errors.js';
import { Listing } from './listing.entity.js';
import { ListingNotFoundError, NotStaffOfCommunityError } from './listing.errors.js';
import { ListingsArgs, PublishListingInput } from './listing.inputs.js';
import * as listings from './listing.service.js';
import { ListingConnection } from './listing.types.js';
import { SharedResourceStub } from './shared-resource.stub.js';

function toConnection(page: listings.ListingPage): ListingConnection {
  return relayConnection(page.listings, page.hasNextPage, listings.cursorOf);
}

@Resolver(() => Listing)
export class ListingResolver {
  @Query(() => ListingConnection, { description: '可预约的共享资源（最新在前） (Published listings of active communities, newest first)' })
  async listings(@Args() args: ListingsArgs, @Ctx() ctx: ExchangeContext): Promise<ListingConnection> {
    return toConnection(await listings.listListings(ctx.em, args));
  }

  @Query(() => Listing, { nullable: true, description: '按 ID 查看发布 (A listing by id)' })
  listing(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Listing | null> {
    return listings.getListing(ctx.em, id);
  }

  @FieldResolver(() => ID, { description: '发布的社区 ID (Owning community id)' })
  communityId(@Root() listing: Listing): string {
    return listing.community.id;
  }

  @FieldResolver(() => Community, { description: '发布的社区 (Owning community)' })
  async community(@Root() listing: Listing, @Ctx() ctx: ExchangeContext): Promise<Community> {
    const community = await ctx.loaders.community.load(listing.community.id);
    if (!community) throw new CommunityNotFoundError(listing.community.id);
    return community;
  }

  @FieldResolver(() => SharedResourceStub, {
    nullable: true,
    description: '资源详情，由所属社区提供；社区不可用时为空 (The resource, served by its community; null when unavailable)',
  })
  resource(@Root() listing: Listing): SharedResourceStub {
    return { communityId: listing.community.id, id: listing.resourceId };
  }

  @Mutation(() => Listing, { description: '发布共享资源（本社区工作人员） (Publish a listing; staff of that community)' })
  publishListing(@Arg('input', () => PublishListingInput) input: PublishListingInput, @Ctx() ctx: ExchangeContext): Promise<Listing> {
    const publisher = requireSignedIn(ctx.viewer);
    if (!isStaffOf(ctx.viewer, input.communityId)) throw new NotStaffOfCommunityError(input.communityId);
    return listings.publishListing(ctx.em, input, publisher);
  }

  @Mutation(() => Listing, { description: '撤回发布（本社区工作人员） (Withdraw a listing; staff of the owning community)' })
  async withdrawListing(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Listing> {
    requireSignedIn(ctx.viewer);
    const listing = await listings.getListing(ctx.em, id);
    if (!listing) throw new ListingNotFoundError(id);
    if (!isStaffOf(ctx.viewer, listing.community.id)) throw new NotStaffOfCommunityError(listing.community.id);
    return listings.withdrawListing(ctx.em, listing);
  }
}
