import { toConnection as relayConnection } from '@linli/subgraph-kit';
import { ErrorCode, ForbiddenError, hasRole, isFederationService, isStaffOf, LinliError, Role } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireSignedIn } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Community } from '../directory/community.entity.js';
import { Listing } from '../listings/listing.entity.js';
import { SharedResourceStub } from '../listings/shared-resource.stub.js';
import { Booking, BookingFailure, BookingStatus } from './booking.entity.js';
import { BookingsPageArgs, BookSharedResourceInput, CancelBookingArgs, CommunityBookingsArgs, RejectBookingArgs } from './booking.inputs.js';
import type { BookingSaga } from './booking.saga.js';
import * as bookings from './booking.service.js';
import { BookingConnection } from './booking.types.js';

function toConnection(page: bookings.BookingPage): BookingConnection {
  return relayConnection(page.bookings, page.hasNextPage, bookings.cursorOf);
}

function sagaOf(ctx: ExchangeContext): BookingSaga {
  if (!ctx.saga) throw new LinliError(ErrorCode.INTERNAL_SERVER_ERROR, '预约服务未配置', 'Bookings are not configured on this exchange');
  return ctx.saga;
}

@Resolver(() => Booking)
export class BookingResolver {
  @Mutation(() => Booking, { description: '预约共享资源（居民） (Book a listed resource; residents)' })
  bookSharedResource(@Arg('input', () => BookSharedResourceInput) input: BookSharedResourceInput, @Ctx() ctx: ExchangeContext): Promise<Booking> {
    return bookings.bookSharedResource(ctx.em, sagaOf(ctx), ctx.viewer, input);
  }

  @Mutation(() => Booking, { description: '批准预约（资源所属社区工作人员） (Approve; staff of the owning community)' })
  approveBooking(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Booking> {
    return bookings.approveBooking(ctx.em, sagaOf(ctx), ctx.viewer, id);
  }

  @Mutation(() => Booking, { description: '拒绝预约（资源所属社区工作人员） (Reject; staff of the owning community)' })
  rejectBooking(@Args() { id, reason }: RejectBookingArgs, @Ctx() ctx: ExchangeContext): Promise<Booking> {
    return bookings.rejectBooking(ctx.em, sagaOf(ctx), ctx.viewer, id, reason);
  }

  @Mutation(() => Booking, { description: '取消自己的预约，按发布规则退款 (Cancel your booking; refunded by the listing\'s rule)' })
  cancelBooking(@Args() { id, idempotencyKey }: CancelBookingArgs, @Ctx() ctx: ExchangeContext): Promise<Booking> {
    return bookings.cancelBooking(ctx.em, sagaOf(ctx), ctx.viewer, id, idempotencyKey);
  }

  @Query(() => BookingConnection, { description: '我的预约（最新在前） (My bookings, newest first)' })
  async myBookings(@Args() { status, ...page }: BookingsPageArgs, @Ctx() ctx: ExchangeContext): Promise<BookingConnection> {
    const residentId = requireSignedIn(ctx.viewer);
    return toConnection(await bookings.listBookings(ctx.em, { residentId, status }, page));
  }

  @Query(() => Booking, { nullable: true, description: '按 ID 查看预约 (A booking by id)' })
  async booking(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Booking | null> {
    requireSignedIn(ctx.viewer);
    const booking = await bookings.getBooking(ctx.em, id);
    if (!bookings.canSee(ctx.viewer, booking)) throw new ForbiddenError('无权查看此预约', 'You may not see this booking', { bookingId: id });
    return booking;
  }

  @Query(() => BookingConnection, { description: '本社区资源的预约（工作人员） (Bookings of a community\'s resources; its staff)' })
  async communityBookings(@Args() { communityId, status, ...page }: CommunityBookingsArgs, @Ctx() ctx: ExchangeContext): Promise<BookingConnection> {
    requireSignedIn(ctx.viewer);
    if (!isStaffOf(ctx.viewer, communityId) && !hasRole(ctx.viewer, Role.FEDERATION_ADMIN)) {
      throw new ForbiddenError('只有本社区工作人员可以查看', 'Only staff of this community may see its bookings', { communityId });
    }
    return toConnection(await bookings.listBookings(ctx.em, { communityId, status }, page));
  }

  @FieldResolver(() => ID, { nullable: true, description: '预约人（仅本人与相关工作人员可见） (Who booked; for them and the staff concerned)' })
  residentId(@Root() b: Booking, @Ctx() ctx: ExchangeContext): string | null {
    const v = ctx.viewer;
    return v.userId === b.residentId || isStaffOf(v, b.communityId) || isStaffOf(v, b.residentCommunityId) || hasRole(v, Role.FEDERATION_ADMIN) || isFederationService(v)
      ? b.residentId
      : null;
  }

  @FieldResolver(() => Listing)
  async listing(@Root() b: Booking, @Ctx() ctx: ExchangeContext): Promise<Listing> {
    return (await ctx.loaders.listing.load(b.listing.id))!;
  }

  @FieldResolver(() => Community, { nullable: true, description: '资源所属社区 (Owning community)' })
  community(@Root() b: Booking, @Ctx() ctx: ExchangeContext): Promise<Community | null> {
    return ctx.loaders.community.load(b.communityId);
  }

  @FieldResolver(() => SharedResourceStub, { nullable: true, description: '资源，由所属社区提供 (The resource, served by its community)' })
  resource(@Root() b: Booking): SharedResourceStub {
    return { communityId: b.communityId, id: b.resourceId };
  }

  @FieldResolver(() => BookingFailure, { nullable: true, description: '失败原因（FAILED 时） (Why it failed, when FAILED)' })
  failure(@Root() b: Booking): BookingFailure | null {
    return b.status === BookingStatus.FAILED && b.failureCode ? { code: b.failureCode, message: b.failureMessage ?? '' } : null;
  }
}

/** Batched (one SQL query per fetch); a booking the viewer may not see resolves to null. */
export const bookingReference = {
  async __resolveReference(ref: { id: string }, ctx: ExchangeContext): Promise<Booking | null> {
    const booking = await ctx.loaders.booking.load(ref.id);
    return booking && bookings.canSee(ctx.viewer, booking) ? booking : null;
  },
};
