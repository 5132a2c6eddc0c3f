import { ResourceKind, servedByGateway } from '@linli/subgraph-kit';
import { Arg, ID, Resolver, Subscription } from 'type-graphql';
import { Booking } from '../bookings/booking.entity.js';
import { Account, LedgerUnit } from '../ledger/account.entity.js';
import { Listing } from '../listings/listing.entity.js';

/**
 * The exchange's live fields. Declared here, where the events come from, so that they
 * compose into the supergraph; served by the gateway (graphql-ws and SSE), which matches
 * the exchange's events to subscribers and reads each announced entity back through the
 * graph — `booking(id)`, `listing(id)`, `account(id)` — as the subscriber, so every field
 * is authorised as in a query. Nothing here ever runs.
 */
@Resolver()
export class LiveResolver {
  @Subscription(() => Booking, {
    nullable: true,
    subscribe: servedByGateway,
    description: '预约状态变化（预约人与资源所属社区工作人员） (A booking\'s status changed; for the resident and staff of the owning community)',
  })
  bookingUpdated(@Arg('id', () => ID) _id: string): Booking {
    return servedByGateway();
  }

  @Subscription(() => Booking, {
    nullable: true,
    subscribe: servedByGateway,
    description: '我的预约有新状态（含新建） (One of your bookings was made or changed status)',
  })
  myBookingsUpdated(): Booking {
    return servedByGateway();
  }

  @Subscription(() => Booking, {
    nullable: true,
    subscribe: servedByGateway,
    description: '本社区资源的预约有新状态（该社区工作人员） (A booking of the community\'s resources was made or changed; its staff)',
  })
  communityBookingsUpdated(@Arg('communityId', () => ID) _communityId: string): Booking {
    return servedByGateway();
  }

  @Subscription(() => Listing, {
    nullable: true,
    subscribe: servedByGateway,
    description: '新发布的共享资源，可按类型筛选 (A listing was published; optionally of one kind)',
  })
  listingPublished(@Arg('kind', () => ResourceKind, { nullable: true }) _kind?: ResourceKind | null): Listing {
    return servedByGateway();
  }

  @Subscription(() => Account, {
    nullable: true,
    subscribe: servedByGateway,
    description: '我的居民账户余额变化，可按单位筛选 (The balance of one of your own resident accounts changed; optionally of one unit)',
  })
  accountBalanceChanged(@Arg('unit', () => LedgerUnit, { nullable: true }) _unit?: LedgerUnit | null): Account {
    return servedByGateway();
  }
}
