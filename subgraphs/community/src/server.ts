import 'reflect-metadata';
import {
  createLogger,
  createSubgraphHttp,
  databaseCheck,
  eventsChecks,
  IdentityVerifier,
  openDatabase,
  RedisEventPublisher,
  systemClock,
  type Clock,
  type EventPublisher,
  type Orm,
  type RunningServer,
} from '@linli/subgraph-kit';
import type { CommunityConfig } from './config.js';
import { createContext, type CommunityServices } from './context.js';
import { scheduledJobs } from './jobs.js';
import { Scheduler } from './scheduler.js';
import { migrations } from './migrations/index.js';
import { GatewayExchangeClient, type ExchangeClient } from './modules/exchange/exchange.client.js';
import { withExchangeFaults } from './modules/exchange/exchange.faults.js';
import { buildCommunitySchema, entities } from './schema.js';
import { developmentPseudonymSecret } from './modules/security/pseudonym.js';

export interface CommunitySubgraphOptions {
  /**
   * Called with the SQL of every statement the subgraph sends to its database once it has
   * migrated (tests count queries with it). Default: none.
   */
  onQuery?: (sql: string) => void;
  /** Default: the system clock. Tests pass a ManualClock to move time. */
  clock?: Clock;
  /** Default: Redis at `config.redisUrl`. Tests may pass a MemoryEventPublisher. */
  events?: EventPublisher;
  /** Default: the gateway at `config.gateway`, or none. Tests may pass a fake ledger. */
  exchange?: ExchangeClient | null;
}

export interface CommunitySubgraph {
  orm: Orm;
  server: RunningServer;
  services: CommunityServices;
  /** The periodic checks; `scheduler.tick()` runs them at once. */
  scheduler: Scheduler;
  close(): Promise<void>;
}

/** Opens the community's own database (migrating it), builds the schema and listens. */
export async function createCommunitySubgraph(config: CommunityConfig, options: CommunitySubgraphOptions = {}): Promise<CommunitySubgraph> {
  const logger = createLogger(`community:${config.communityId}`, config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, entities, migrations });
  const { onQuery } = options;
  // MikroORM 6 runs every statement, transactions included, through knex, which reports each one.
  if (onQuery) orm.em.getConnection().getKnex().on('query', (query: { sql: string }) => onQuery(query.sql));
  const events = options.events ?? new RedisEventPublisher(config.redisUrl, (err, event) => logger.warn({ err, type: event.type }, 'event not published'), {
      channelPrefix: config.eventChannelPrefix,
    });
  const services: CommunityServices = {
    communityId: config.communityId,
    timezone: config.timezone,
    clock: options.clock ?? systemClock,
    events,
    pseudonymSecret: config.pseudonymSecret ?? developmentPseudonymSecret(config.communityId),
    exchange:
      options.exchange !== undefined
        ? options.exchange
        : config.gateway
          ? withExchangeFaults(new GatewayExchangeClient(config.gateway.url, config.gateway.serviceToken), config.exchangeCallFault ?? null, logger)
          : null,
  };
  const scheduler = new Scheduler(orm.em, services, services.clock, scheduledJobs, logger);
  try {
    const http = await createSubgraphHttp({
      name: 'community',
      schema: await buildCommunitySchema(),
      verifier: new IdentityVerifier(config.gatewayPublicKey),
      logger,
      context: (viewer) => createContext({ em: orm.em, ...services }, viewer),
      health: () => ({ communityId: config.communityId }),
      readiness: [databaseCheck(orm), ...eventsChecks(events)],
      metricLabels: { community: config.communityId },
    });
    const server = await http.listen(config.port, config.host);
    scheduler.start(config.schedulerIntervalMs);
    return {
      orm,
      server,
      services,
      scheduler,
      close: async () => {
        await scheduler.stop();
        await server.close();
        await events.close();
        await orm.close();
      },
    };
  } catch (error) {
    await events.close();
    await orm.close();
    throw error;
  }
}
