import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock, EventPublisher, Viewer } from '@linli/subgraph-kit';
import { createResourceLoaders, type ResourceLoaders } from './modules/resources/resource.loaders.js';
import type { ExchangeClient } from './modules/exchange/exchange.client.js';

/** What the community process holds once, for every request and scheduled job. */
export interface CommunityServices {
  communityId: string;
  timezone: string;
  clock: Clock;
  /** Announces domain events (Redis pub/sub) for live subscriptions. */
  events: EventPublisher;
  /** Key of access-event pseudonyms (config `pseudonymSecret`); never leaves the process. */
  pseudonymSecret: string;
  /** The shared ledger, through the gateway; null when none is configured (calls wait). */
  exchange: ExchangeClient | null;
}

/** What every resolver gets: its own EntityManager fork, the verified viewer, and who we are. */
export interface CommunityContext extends CommunityServices {
  em: EntityManager;
  viewer: Viewer;
  loaders: ResourceLoaders;
}

export function createContext(base: { em: EntityManager } & CommunityServices, viewer: Viewer): CommunityContext {
  const em = base.em.fork();
  const { em: _root, ...services } = base;
  return { ...services, em, viewer, loaders: createResourceLoaders(em) };
}
