/**
 * What one request may ask of the gateway. Read from the environment in `config.ts`; the
 * defaults let the web client and GraphiQL (introspection included) through untouched.
 */
export interface OperationLimits {
  /** Nesting of selections (introspection's `__schema` is not counted). Default 12 (LIMIT_MAX_DEPTH). */
  maxDepth: number;
  /** Aliased fields in one operation. Default 30 (LIMIT_MAX_ALIASES). */
  maxAliases: number;
  /** Fields at the root of one operation, `__typename` aside. Default 20 (LIMIT_MAX_ROOT_FIELDS). */
  maxRootFields: number;
  /** Lexical tokens in the document; parsing stops past it. Default 2000 (LIMIT_MAX_TOKENS). */
  maxTokens: number;
  /**
   * Estimated cost (graphql-armor's model: 1 per scalar, 2 per object, ×1.5 per level, × `first`
   * / `last` of a list). Default 20000 (LIMIT_MAX_COST).
   */
  maxCost: number;
  /** Directives in one operation. Default 50 (LIMIT_MAX_DIRECTIVES). */
  maxDirectives: number;
}

/** Requests allowed per window; 0 switches that limit off. Counted in Redis, so shared by every gateway. */
export interface RateLimits {
  /** Default 60 (RATE_LIMIT_WINDOW_SECONDS). */
  windowSeconds: number;
  /** Per signed-in user, across addresses. Default 1200 (RATE_LIMIT_PER_USER). */
  perUser: number;
  /** Per client address, signed in or not. Default 6000 (RATE_LIMIT_PER_IP). */
  perIp: number;
}

/**
 * - `apq`: automatic persisted queries (a client may send a hash instead of a query it has sent before).
 * - `only`: only the operations of the manifest are served, by hash or by their exact text.
 * - `off`: neither; every request carries its query.
 */
export type PersistedOperationsMode = 'apq' | 'only' | 'off';

export interface PersistedOperationsOptions {
  /** Default `apq` (PERSISTED_OPERATIONS). */
  mode: PersistedOperationsMode;
  /**
   * JSON of trusted operations (PERSISTED_OPERATIONS_MANIFEST): Apollo's persisted query
   * manifest (`{ format, version, operations: [{ id, body }] }`) or graphql-codegen's
   * `persisted-documents.json` (`{ "<sha256>": "<document>" }`). Required for `only`.
   */
  manifestFile?: string;
  /** How long an APQ registration lives in Redis. Default 86400 (APQ_TTL_SECONDS). */
  apqTtlSeconds: number;
}

export interface LimitsConfig {
  operation: OperationLimits;
  /** Largest JSON body of `POST /graphql`; past it HTTP 413. Default 1 MiB (LIMIT_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  rate: RateLimits;
  persisted: PersistedOperationsOptions;
  /**
   * Prefix of the gateway's Redis keys (rate counters, APQ). Default `<EVENT_CHANNEL_PREFIX>:gateway`
   * (LIMITS_REDIS_PREFIX), so deployments sharing a Redis keep apart.
   */
  redisKeyPrefix: string;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 2000,
  maxCost: 20_000,
  maxDirectives: 50,
};

export const DEFAULT_RATE_LIMITS: RateLimits = { windowSeconds: 60, perUser: 1200, perIp: 6000 };

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const DEFAULT_APQ_TTL_SECONDS = 86_400;

export function defaultLimits(redisKeyPrefix: string): LimitsConfig {
  return {
    operation: DEFAULT_OPERATION_LIMITS,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    rate: DEFAULT_RATE_LIMITS,
    persisted: { mode: 'apq', apqTtlSeconds: DEFAULT_APQ_TTL_SECONDS },
    redisKeyPrefix,
  };
}
