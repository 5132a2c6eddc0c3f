import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@linli/subgraph-kit';
import { createDirectoryLoaders, type DirectoryLoaders } from './modules/directory/directory.loaders.js';
import { createListingLoaders, type ListingLoaders } from './modules/listings/listing.loaders.js';
import { createBookingLoaders, type BookingLoaders } from './modules/bookings/booking.loaders.js';
import type { BookingSaga } from './modules/bookings/booking.saga.js';

/** What every resolver gets: its own EntityManager fork, the verified viewer, and batch loaders. */
export interface ExchangeContext {
  em: EntityManager;
  viewer: Viewer;
  loaders: DirectoryLoaders & ListingLoaders & BookingLoaders;
  /** Null when this exchange has no gateway to reach communities through (bookings off). */
  saga: BookingSaga | null;
}

export function createContext(root: EntityManager, viewer: Viewer, saga: BookingSaga | null = null): ExchangeContext {
  const em = root.fork();
  return { em, viewer, saga, loaders: { ...createDirectoryLoaders(em), ...createListingLoaders(em), ...createBookingLoaders(em) } };
}
