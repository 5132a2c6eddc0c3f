import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@linli/subgraph-kit';
import { createDirectoryLoaders, type DirectoryLoaders } from './modules/directory/directory.loaders.js';
import { createListingLoaders, type ListingLoaders } from './modules/listings/listing.loaders.js';

/** What every resolver gets: its own EntityManager fork, the verified viewer, and batch loaders. */
export interface ExchangeContext {
  em: EntityManager;
  viewer: Viewer;
  loaders: DirectoryLoaders & ListingLoaders;
}

export function createContext(root: EntityManager, viewer: Viewer): ExchangeContext {
  const em = root.fork();
  return { em, viewer, loaders: { ...createDirectoryLoaders(em), ...createListingLoaders(em) } };
}
