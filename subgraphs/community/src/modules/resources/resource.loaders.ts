import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { SharedResource } from './resource.entity.js';
import { isUuid } from './resource.errors.js';

export interface ResourceLoaders {
  /** Resources by id, one SQL query per tick however many representations ask. */
  resource: DataLoader<string, SharedResource | null>;
}

export function createResourceLoaders(em: EntityManager): ResourceLoaders {
  return {
    resource: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await em.find(SharedResource, { id: { $in: valid } }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
