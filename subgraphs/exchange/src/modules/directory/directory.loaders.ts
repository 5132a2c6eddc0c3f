import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Community } from './community.entity.js';

export interface DirectoryLoaders {
  /** Communities by id, one SQL query per tick however many listings or representations ask. */
  community: DataLoader<string, Community | null>;
}

export function createDirectoryLoaders(em: EntityManager): DirectoryLoaders {
  return {
    community: new DataLoader(async (ids) => {
      const rows = await em.find(Community, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
