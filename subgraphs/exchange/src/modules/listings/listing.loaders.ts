import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Listing } from './listing.entity.js';
import { isUuid } from './listing.errors.js';

export interface ListingLoaders {
  /** Listings by id, one SQL query per tick however many representations ask. */
  listing: DataLoader<string, Listing | null>;
}

export function createListingLoaders(em: EntityManager): ListingLoaders {
  return {
    listing: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await em.find(Listing, { id: { $in: valid } }) : [];
      const byId = new Map(rows.map((l) => [l.id, l]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
