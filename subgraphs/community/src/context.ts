import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@linli/subgraph-kit';
import { createResourceLoaders, type ResourceLoaders } from './modules/resources/resource.loaders.js';

/** What every resolver gets: its own EntityManager fork, the verified viewer, and who we are. */
export interface CommunityContext {
  em: EntityManager;
  viewer: Viewer;
  communityId: string;
  timezone: string;
  loaders: ResourceLoaders;
}

export function createContext(base: { em: EntityManager; communityId: string; timezone: string }, viewer: Viewer): CommunityContext {
  const em = base.em.fork();
  return { em, viewer, communityId: base.communityId, timezone: base.timezone, loaders: createResourceLoaders(em) };
}
