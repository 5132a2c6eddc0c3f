import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { isUuid } from '../listings/listing.errors.js';
import { Booking } from './booking.entity.js';

export interface BookingLoaders {
  /** Bookings by id, one SQL query per tick. */
  booking: DataLoader<string, Booking | null>;
}

export function createBookingLoaders(em: EntityManager): BookingLoaders {
  return {
    booking: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await em.find(Booking, { id: { $in: valid } }) : [];
      const byId = new Map(rows.map((b) => [b.id, b]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
