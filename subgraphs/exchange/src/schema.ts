import { buildFederatedSchema, PageInfo } from '@linli/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { Community } from './modules/directory/community.entity.js';
import { communityReference } from './modules/directory/directory.reference.js';
import { DirectoryResolver } from './modules/directory/directory.resolver.js';
import { Listing } from './modules/listings/listing.entity.js';
import { listingReference } from './modules/listings/listing.reference.js';
import { ListingResolver } from './modules/listings/listing.resolver.js';
import { SharedResourceStub } from './modules/listings/shared-resource.stub.js';

export const entities = [Community, Listing];

/** The exchange subgraph's schema: the directory and the catalogue of listings. */
export function buildExchangeSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [DirectoryResolver, ListingResolver],
      // The stub is only reachable through `Listing.resource`; federation needs it declared.
      orphanedTypes: [SharedResourceStub, PageInfo],
      validate: { forbidUnknownValues: false },
    },
    { Community: communityReference, Listing: listingReference },
  );
}
