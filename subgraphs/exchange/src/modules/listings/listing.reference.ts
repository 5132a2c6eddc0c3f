import type { ExchangeContext } from '../../context.js';
import type { Listing } from './listing.entity.js';

/**
 * Batched: an `_entities` fetch with many listings becomes one SQL query. Withdrawn
 * listings still resolve, so that bookings made from them keep their context.
 */
export const listingReference = {
  __resolveReference(ref: { id: string }, ctx: ExchangeContext): Promise<Listing | null> {
    return ctx.loaders.listing.load(ref.id);
  },
};
