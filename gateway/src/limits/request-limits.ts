import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@linli/subgraph-kit/logger';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { GraphQLFormattedError, ParseOptions, ValidationRule } from 'graphql';
import { Redis } from 'ioredis';
import type { OperationChecks } from '../live/operation.js';
import type { GatewayContext } from '../security/context.js';
import { boundedJsonBody } from './body.js';
import type { LimitsConfig } from './options.js';
import { persistedOperations, type PersistedOperations } from './persisted.js';
import { RequestRateLimiter } from './rate-limit.js';
import { asLimitError, operationLimitRules, tokenLimitError } from './validation.js';

type ContextFunction = (args: { req: Request }) => Promise<GatewayContext>;

export interface RequestLimits {
  /** What goes into the ApolloServer options. */
  apollo: {
    validationRules: ValidationRule[];
    parseOptions: ParseOptions;
    persistedQueries: PersistedOperations['persistedQueries'];
    plugins: ApolloServerPlugin<GatewayContext>[];
    /** "Did you mean …" reveals the schema: hidden where only known operations are served. */
    hideSchemaDetailsFromClientErrors: boolean;
  };
  /** Wraps formatError so it sees the typed limit error inside Apollo's validation and parse errors (LIMIT_EXCEEDED, not GRAPHQL_*). */
  formatError(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The same operation limits for live subscriptions (graphql-ws, SSE). */
  checks: OperationChecks;
  /** The bounded JSON body parser of `POST /graphql` (413 past the limit). */
  body: Array<RequestHandler | ErrorRequestHandler>;
  /**
   * The request's context, rate-limited: the address is charged before the token is read (so
   * guessing tokens costs allowance too), the verified user after.
   */
  context(base: ContextFunction): ContextFunction;
  close(): Promise<void>;
}

/**
 * Everything that bounds what one caller may ask of the gateway: operation limits
 * (graphql-armor), body size, rate limits and persisted operations (both in Redis).
 */
export function createRequestLimits(config: LimitsConfig, deps: { redisUrl: string; logger: Logger }): RequestLimits {
  const { logger } = deps;
  // Commands fail at once while Redis is away instead of queueing: a request must not wait for Redis.
  const redis = new Redis(deps.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let redisDown = false;
  redis.on('error', (error: Error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: error.message }, 'limits: Redis unreachable; rate limits count per instance and APQ hashes read as unknown until it returns');
  });
  redis.on('ready', () => {
    if (!redisDown) return;
    redisDown = false;
    logger.info('limits: Redis reachable again');
  });

  try {
    const rules = operationLimitRules(config.operation);
    const persisted = persistedOperations(config.persisted, { redis, redisKeyPrefix: config.redisKeyPrefix, logger });
    const rate = new RequestRateLimiter(redis, config.redisKeyPrefix, config.rate);
    const { maxTokens } = config.operation;
    return {
      apollo: {
        validationRules: rules.validationRules,
        parseOptions: rules.parseOptions,
        persistedQueries: persisted.persistedQueries,
        plugins: persisted.plugins,
        hideSchemaDetailsFromClientErrors: config.persisted.mode === 'only',
      },
      formatError: (format) => (formatted, error) => format(formatted, asLimitError(error, maxTokens)),
      checks: {
        parseOptions: rules.parseOptions,
        validationRules: rules.validationRules,
        limitError: (error) => tokenLimitError(error, maxTokens),
      },
      body: boundedJsonBody(config.maxBodyBytes),
      context: (base) => async (args) => {
        await rate.take('perIp', args.req.ip ?? args.req.socket.remoteAddress ?? null);
        const context = await base(args);
        await rate.take('perUser', context.viewer.userId);
        return context;
      },
      close: async () => {
        redis.disconnect();
      },
    };
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
