export { createExchangeSubgraph, type ExchangeSubgraph } from './server.js';
export { readConfig, type ExchangeConfig } from './config.js';
export { buildExchangeSchema, entities } from './schema.js';
export { migrations } from './migrations/index.js';
export * as directoryService from './modules/directory/directory.service.js';
export * as listingService from './modules/listings/listing.service.js';
export { Community, CommunityStatus } from './modules/directory/community.entity.js';
export { Listing, ListingAudience, ListingStatus } from './modules/listings/listing.entity.js';
