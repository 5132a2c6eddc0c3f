import 'reflect-metadata';
import {
  createLogger,
  createSubgraphHttp,
  databaseCheck,
  eventsChecks,
  IdentityVerifier,
  MemoryEventPublisher,
  openDatabase,
  RedisEventPublisher,
  type EventPublisher,
  type Orm,
  type RunningServer,
} from '@linli/subgraph-kit';
import type { ExchangeConfig } from './config.js';
import { createContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildExchangeSchema, entities } from './schema.js';
import { sagaFaults } from './modules/bookings/booking.faults.js';
import { BookingRecovery } from './modules/bookings/booking.recovery.js';
import { BookingSaga, DEFAULT_SAGA_SETTINGS } from './modules/bookings/booking.saga.js';
import { GatewayOwningCommunity } from './modules/bookings/owning-community.js';
import { LiveEvents } from './modules/live/live.events.js';

export interface ExchangeSubgraphOptions {
  /**
   * Where live events go. Default: Redis as `config.events` says, or nowhere when it is
   * absent. Tests may pass a MemoryEventPublisher.
   */
  events?: EventPublisher;
}

export interface ExchangeSubgraph {
  orm: Orm;
  server: RunningServer;
  /** Null when bookings are off (no gateway configured). */
  saga: BookingSaga | null;
  recovery: BookingRecovery | null;
  events: EventPublisher;
  close(): Promise<void>;
}

/** Opens the exchange's database (migrating it), builds the schema and listens. */
export async function createExchangeSubgraph(config: ExchangeConfig, options: ExchangeSubgraphOptions = {}): Promise<ExchangeSubgraph> {
  const logger = createLogger('exchange', config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, entities, migrations });
  const events = options.events ?? defaultPublisher(config, logger);
  orm.em.getEventManager().registerSubscriber(new LiveEvents(events));
  const saga = config.gateway
    ? new BookingSaga(
        orm.em,
        new GatewayOwningCommunity(config.gateway.url, config.gateway.serviceToken),
        { ...DEFAULT_SAGA_SETTINGS, holdSeconds: config.bookings.holdSeconds, approvalWindowSeconds: config.bookings.approvalWindowSeconds },
        sagaFaults(config.sagaFault, logger),
      )
    : null;
  const recovery = saga ? new BookingRecovery(orm.em, saga, logger, config.bookings.recoveryIntervalMs) : null;
  try {
    const http = await createSubgraphHttp({
      name: 'exchange',
      schema: await buildExchangeSchema(),
      verifier: new IdentityVerifier(config.gatewayPublicKey),
      logger,
      context: (viewer) => createContext(orm.em, viewer, saga),
      readiness: [databaseCheck(orm), ...eventsChecks(events)],
    });
    const server = await http.listen(config.port, config.host);
    // Settles what a previous run left unfinished, then keeps watching.
    recovery?.start();
    return {
      orm,
      server,
      saga,
      recovery,
      events,
      close: async () => {
        await recovery?.stop();
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

function defaultPublisher(config: ExchangeConfig, logger: ReturnType<typeof createLogger>): EventPublisher {
  if (!config.events) return new MemoryEventPublisher();
  return new RedisEventPublisher(config.events.redisUrl, (err, event) => logger.warn({ err, type: event.type }, 'event not published'), {
    channelPrefix: config.events.channelPrefix,
  });
}
