import type { Logger } from '@linli/subgraph-kit/logger';
import type { LinliEvent } from '@linli/subgraph-kit/events';
import type { GraphQLSchema } from './graphql.js';
import type { Server } from 'node:http';
import type { CommunityDirectory } from '../routing/directory.js';
import type { TokenVerifier } from '../security/tokens.js';
import { SubscriptionInvalidatedError } from './errors.js';
import { RedisEventSource, type EventSource } from './fanout.js';
import { liveFieldTable, LIVE_FIELDS, type LiveField } from './fields.js';
import { ConnectionCounter, type LiveLimits } from './limits.js';
import type { OperationChecks } from './operation.js';
import { LiveRegistry, type Execute } from './registry.js';
import { Dispatcher, type LiveCounters } from './resolution.js';
import { LiveSessions } from './session.js';
import { createSseTransport, type SseTransport } from './sse.js';
import { attachWebSocket, type WebSocketTransport } from './ws.js';

export interface LiveConfig {
  /** Redis with the subgraphs' events (REDIS_URL). */
  redisUrl: string;
  /** Channel prefix of this deployment (EVENT_CHANNEL_PREFIX); the gateway listens on `<prefix>:*`. */
  channelPrefix: string;
  limits: LiveLimits;
}

export interface LiveServerOptions {
  config: LiveConfig;
  httpServer: Server;
  /** The gateway's own pipeline (query plan, formatError) as a viewer. */
  execute: Execute;
  tokens: TokenVerifier;
  directory?: CommunityDirectory;
  logger: Logger;
  /** Default: every field in `fields.ts`. */
  fields?: readonly LiveField[];
  /** The gateway's request limits (depth, aliases, cost, …), checked when a client subscribes. */
  checks?: OperationChecks;
  /** Also hears every event from Redis (the gateway re-reads its directory on `directory.changed`). */
  onEvent?: (event: LinliEvent) => void;
}

export interface LiveMetrics extends LiveCounters {
  connections: { ws: number; sse: number };
  subscriptions: number;
  memory: { rssBytes: number; heapUsedBytes: number };
}

export interface LiveServer {
  registry: LiveRegistry;
  /** The SSE endpoint's handler; mount it at `/graphql/stream`. */
  sse: SseTransport['handle'];
  /** A new supergraph (ApolloGateway's onSchemaLoadOrUpdate). */
  setSchema(schema: GraphQLSchema): void;
  /** The community list changed. */
  communitiesChanged(): void;
  /** Hands an event to this gateway's subscribers (what the Redis source does for each message). */
  dispatch(event: LinliEvent): number;
  /** True once the gateway listens for events; false if that took longer than `timeoutMs`. */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Whether Redis is connected now (readiness probe). */
  eventsConnected(): boolean;
  metrics(): LiveMetrics;
  close(): Promise<void>;
}

/**
 * Live subscriptions, served by the gateway itself: graphql-ws on the HTTP server's
 * `/graphql`, GraphQL over SSE through `sse`, events from Redis, each resolved once per
 * distinct selection and viewer scope through the gateway's own query plan.
 */
export function createLiveServer(options: LiveServerOptions): LiveServer {
  const { config, logger } = options;
  const registry = new LiveRegistry({
    fields: liveFieldTable(options.fields ?? LIVE_FIELDS),
    limits: config.limits,
    execute: options.execute,
    directory: options.directory,
    checks: options.checks,
  });
  const dispatcher = new Dispatcher(registry, options.execute, logger, config.limits.resolutionConcurrency);
  const sessions = new LiveSessions(registry, options.execute, options.tokens);
  const connections = new ConnectionCounter(config.limits.maxConnectionsPerIp);
  const ws: WebSocketTransport = attachWebSocket({
    httpServer: options.httpServer,
    path: '/graphql',
    limits: config.limits,
    connections,
    sessions,
    registry,
    logger,
    schema: () => registry.currentSchema,
  });
  const sse = createSseTransport({ limits: config.limits, connections, sessions, logger });
  let closing: Promise<void> | null = null;
  const source: EventSource = new RedisEventSource(
    config.redisUrl,
    config.channelPrefix,
    (event) => {
      dispatcher.dispatch(event);
      options.onEvent?.(event);
    },
    logger,
  );

  return {
    registry,
    sse: (req, res) => sse.handle(req, res),
    setSchema: (schema) => registry.setSchema(schema),
    communitiesChanged: () => registry.communitiesChanged(),
    dispatch: (event) => dispatcher.dispatch(event),
    eventsConnected: () => source.connected(),
    ready: async (timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([source.ready().then(() => true), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    metrics: () => {
      const memory = process.memoryUsage();
      return {
        ...dispatcher.counters,
        connections: { ws: ws.open, sse: sse.open },
        subscriptions: registry.size,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      };
    },
    close: () => {
      closing ??= (async () => {
        await source.close();
        registry.endAll(new SubscriptionInvalidatedError('SHUTTING_DOWN'));
        sse.close();
        await ws.close();
      })();
      return closing;
    },
  };
}
