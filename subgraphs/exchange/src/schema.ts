import { buildFederatedSchema, gatewayServedPubSub, PageInfo } from '@linli/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { Community } from './modules/directory/community.entity.js';
import { communityReference } from './modules/directory/directory.reference.js';
import { DirectoryResolver } from './modules/directory/directory.resolver.js';
import { Account } from './modules/ledger/account.entity.js';
import { ledgerAccountReference } from './modules/ledger/ledger.reference.js';
import { LedgerAccountResolver, TransferResolver } from './modules/ledger/ledger.resolver.js';
import { CommunityLedgerResolver } from './modules/ledger/ledger.community.resolver.js';
import { Transfer } from './modules/ledger/transfer.entity.js';
import { Listing } from './modules/listings/listing.entity.js';
import { listingReference } from './modules/listings/listing.reference.js';
import { ListingResolver } from './modules/listings/listing.resolver.js';
import { SharedResourceDirectoryResolver, sharedResourceReference, SharedResourceStub } from './modules/listings/shared-resource.stub.js';
import { Booking } from './modules/bookings/booking.entity.js';
import { BookingResolver, bookingReference } from './modules/bookings/booking.resolver.js';
import { SettlementRun } from './modules/settlement/settlement.entity.js';
import { SettlementResolver } from './modules/settlement/settlement.resolver.js';
import { LiveResolver } from './modules/live/live.resolver.js';

export const entities = [Community, Listing, Account, Transfer, Booking, SettlementRun];

/**
 * The exchange subgraph's schema: the directory, the catalogue of listings, the shared
 * credit ledger, bookings and settlement, and their live fields (served by the gateway).
 */
export function buildExchangeSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [DirectoryResolver, ListingResolver, LedgerAccountResolver, TransferResolver, BookingResolver, SettlementResolver, LiveResolver, CommunityLedgerResolver, SharedResourceDirectoryResolver],
      pubSub: gatewayServedPubSub,
      // The stub is reachable through `Listing.resource` and `Booking.resource`; federation needs it declared.
      orphanedTypes: [SharedResourceStub, PageInfo],
      validate: { forbidUnknownValues: false },
    },
    {
      Community: communityReference,
      Listing: listingReference,
      LedgerAccount: ledgerAccountReference,
      Booking: bookingReference,
      SharedResource: sharedResourceReference,
    },
  );
}
