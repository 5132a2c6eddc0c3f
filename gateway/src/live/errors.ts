import { ErrorCode, LinliError } from '@linli/subgraph-kit/errors';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from './graphql.js';

export type LimitName = 'subscriptionsPerConnection' | 'subscriptionsPerUser' | 'queuedEvents';

export class LimitExceededError extends LinliError {
  constructor(limit: LimitName, max: number) {
    super(ErrorCode.LIMIT_EXCEEDED, `超出实时订阅上限 (${limit} = ${max})`, `Live subscription limit reached: ${limit} = ${max}`, { limit, max });
  }
}

export type InvalidationReason = 'SCHEMA_CHANGED' | 'COMMUNITY_LEFT' | 'SHUTTING_DOWN';

const REASONS: Record<InvalidationReason, { zh: string; en: string }> = {
  SCHEMA_CHANGED: { zh: '联邦模式已变更，无法继续此订阅', en: 'The federation changed and can no longer serve this subscription' },
  COMMUNITY_LEFT: { zh: '该社区已不在联邦中', en: 'The community this subscription is about is no longer in the federation' },
  SHUTTING_DOWN: { zh: '网关正在关闭，请重新连接', en: 'The gateway is shutting down; reconnect' },
};

/** Ends an open subscription the gateway can no longer serve; `detail` says what changed. */
export class SubscriptionInvalidatedError extends LinliError {
  constructor(reason: InvalidationReason, detail?: string) {
    const text = REASONS[reason];
    super(ErrorCode.SUBSCRIPTION_INVALIDATED, text.zh, detail ? `${text.en}: ${detail}` : text.en, { reason });
  }
}

/** What a client is sent for an error: typed errors as they are, anything else masked (no internals). */
export function formatLiveError(error: unknown): GraphQLFormattedError {
  if (error instanceof LinliError) {
    const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    return { message: error.message, extensions };
  }
  if (error instanceof GraphQLError && !error.originalError) return error.toJSON();
  return { message: '服务器内部错误 (Internal server error)', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** graphql-ws sends errors with `toJSON()`: the formatted error, as a GraphQLError. */
export function asGraphQLError(formatted: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
}

/** An answer as the gateway's pipeline formats it (formatError applied). */
export interface FormattedResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * A formatted answer as graphql-ws and graphql-sse send it (they call `toJSON()` on each
 * error). Locations are dropped on purpose: they point into the resolution query the
 * gateway wrote, not into the client's document; paths match the client's.
 */
export function toExecutionResult(result: FormattedResult): ExecutionResult {
  return {
    data: result.data ?? null,
    ...(result.errors?.length ? { errors: result.errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}),
  };
}
