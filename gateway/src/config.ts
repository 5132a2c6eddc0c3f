import { readFileSync } from 'node:fs';
import type { TracingConfig } from '@linli/subgraph-kit/observability/tracing';
import { z } from 'zod';
import { DEFAULT_ADMISSION, type AdmissionSettings } from './admission/admission.js';
import { DEFAULT_LIVE_LIMITS } from './live/limits.js';
import type { LiveConfig } from './live/server.js';
import {
  DEFAULT_APQ_TTL_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_OPERATION_LIMITS,
  DEFAULT_RATE_LIMITS,
  type LimitsConfig,
} from './limits/options.js';
import { DEFAULT_CIRCUIT } from './routing/circuit-breakers.js';
import { DEFAULT_READ_RETRY } from './routing/read-retry.js';
import type { ResilienceOptions } from './routing/resilience.js';

/** Every environment variable the service reads (the deployment manifests are checked against it). */
export const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  EXCHANGE_URL: z.string().url(),
  JWT_SECRET: z.string().min(32, 'at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('linli-dev'),
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  GATEWAY_SIGNING_KEY: z.string().optional(),
  GATEWAY_SIGNING_KEY_FILE: z.string().optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Per-community timeouts, `id=ms,id=ms`, overriding SUBGRAPH_TIMEOUT_MS. */
  COMMUNITY_TIMEOUTS_MS: z.string().optional(),
  READ_RETRIES: z.coerce.number().int().min(0).max(5).default(DEFAULT_READ_RETRY.retries),
  READ_RETRY_BACKOFF_MS: z.coerce.number().int().min(1).default(DEFAULT_READ_RETRY.backoffMs),
  CIRCUIT_CONSECUTIVE_FAILURES: z.coerce.number().int().min(0).default(DEFAULT_CIRCUIT.consecutiveFailures),
  CIRCUIT_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(DEFAULT_CIRCUIT.errorPercent),
  CIRCUIT_MIN_REQUESTS: z.coerce.number().int().min(1).default(DEFAULT_CIRCUIT.minRequests),
  CIRCUIT_WINDOW_MS: z.coerce.number().int().min(1000).default(DEFAULT_CIRCUIT.windowMs),
  CIRCUIT_RESET_MS: z.coerce.number().int().min(100).default(DEFAULT_CIRCUIT.resetMs),
  COMMUNITY_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(DEFAULT_CIRCUIT.maxInFlight),
  /** `off` sends every subgraph query even when an identical one for the same viewer is in flight. */
  SUBGRAPH_DEDUPLICATION: z.enum(['on', 'off']).default('on'),
  DIRECTORY_REFRESH_MS: z.coerce.number().int().min(100).default(5000),
  ADMISSION_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_ADMISSION.timeoutMs),
  ADMISSION_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(DEFAULT_ADMISSION.attempts),
  ADMISSION_RETRY_MS: z.coerce.number().int().min(10).default(DEFAULT_ADMISSION.retryMs),
  /** Optional fixed directory, `id=url,id=url`; without it the exchange's directory is used. */
  COMMUNITY_ENDPOINTS: z.string().optional(),
  EXPLORER_PRESETS_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Express's `trust proxy`: `false`, a hop count, or addresses/CIDRs (`loopback,10.0.0.0/8`). */
  TRUST_PROXY: z.string().default('false'),
  /** OTLP/HTTP collector; unset: tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('linli-gateway'),
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  EVENT_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _').default('linli'),
  LIVE_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(DEFAULT_LIVE_LIMITS.maxConnectionsPerIp),
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(DEFAULT_LIVE_LIMITS.maxSubscriptionsPerConnection),
  LIVE_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).default(DEFAULT_LIVE_LIMITS.maxSubscriptionsPerUser),
  LIVE_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIVE_LIMITS.maxBufferedBytes),
  LIVE_MAX_QUEUED_EVENTS: z.coerce.number().int().min(1).default(DEFAULT_LIVE_LIMITS.maxQueuedEvents),
  LIVE_KEEPALIVE_MS: z.coerce.number().int().min(1000).default(DEFAULT_LIVE_LIMITS.keepAliveMs),
  LIVE_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_LIVE_LIMITS.connectionInitTimeoutMs),
  LIVE_RESOLUTION_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(DEFAULT_LIVE_LIMITS.resolutionConcurrency),
  LIMIT_MAX_DEPTH: z.coerce.number().int().min(1).default(DEFAULT_OPERATION_LIMITS.maxDepth),
  LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).default(DEFAULT_OPERATION_LIMITS.maxAliases),
  LIMIT_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(DEFAULT_OPERATION_LIMITS.maxRootFields),
  LIMIT_MAX_TOKENS: z.coerce.number().int().min(100).default(DEFAULT_OPERATION_LIMITS.maxTokens),
  LIMIT_MAX_COST: z.coerce.number().int().min(1).default(DEFAULT_OPERATION_LIMITS.maxCost),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(DEFAULT_OPERATION_LIMITS.maxDirectives),
  LIMIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_BODY_BYTES),
  /** 0 switches a rate limit off. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.windowSeconds),
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.perUser),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.perIp),
  /** Default `<EVENT_CHANNEL_PREFIX>:gateway`. */
  LIMITS_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/, 'letters, digits, :, - and _').optional(),
  PERSISTED_OPERATIONS: z.enum(['apq', 'only', 'off']).default('apq'),
  PERSISTED_OPERATIONS_MANIFEST: z.string().optional(),
  APQ_TTL_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_APQ_TTL_SECONDS),
});

export interface GatewayConfig {
  /** 0 = any free port. */
  port: number;
  host: string;
  /** The exchange subgraph's GraphQL URL; also the source of the community directory. */
  exchangeUrl: string;
  /** HS256 secret of the token issuer (≥ 32 characters). */
  jwtSecret: string;
  /** Expected `iss` of user tokens. Default `linli-dev`. */
  jwtIssuer: string;
  /** How long fetching a community identity provider's JWKS (its `jwksUri`) may take. Default 3000. */
  jwksTimeoutMs: number;
  /** PEM of the gateway's Ed25519 private key; subgraphs hold the public half. */
  signingKey: string;
  /** How long a subgraph may take before its community counts as unavailable. Default 5000. */
  subgraphTimeoutMs: number;
  /**
   * How long the exchange may take. Longer than a community's: a booking waits on the
   * owning community (and, for a replay, on the first attempt) inside it. Default 30000.
   */
  exchangeTimeoutMs: number;
  /**
   * Per-community timeouts (COMMUNITY_TIMEOUTS_MS), retries of reads (READ_RETRIES = 2,
   * READ_RETRY_BACKOFF_MS = 50) and each community's circuit breaker (CIRCUIT_* and
   * COMMUNITY_MAX_IN_FLIGHT; defaults in `DEFAULT_CIRCUIT`).
   */
  resilience: ResilienceOptions;
  /** How often the community directory is re-read from the exchange. Default 5000. */
  directoryRefreshMs: number;
  /**
   * The admission check of newly registered communities (ADMISSION_TIMEOUT_MS = 5000,
   * ADMISSION_ATTEMPTS = 3, ADMISSION_RETRY_MS = 1000; see `AdmissionSettings`).
   */
  admission: AdmissionSettings;
  /** A fixed directory (community id → URL); when set, the exchange's directory is not read. */
  communityEndpoints?: Record<string, string>;
  /** JSON file of `{ label, token }[]` offered as header presets in the explorer. */
  explorerPresetsFile?: string;
  logLevel: string;
  /**
   * Processes serving the port (node:cluster), each a whole gateway. Default 1; on a
   * machine with cores to spare, one per core (see bench/RESULTS.md).
   */
  workers?: number;
  /**
   * Which proxies' X-Forwarded-For to believe, so per-address rate limits count clients and
   * not the load balancer (TRUST_PROXY). Default `false`: the peer address is the client.
   */
  trustProxy: boolean | number | string;
  /**
   * Whether identical subgraph queries in flight for the same viewer share one fetch
   * (SUBGRAPH_DEDUPLICATION, `on` by default; see routing/inflight-dedup.ts).
   */
  deduplicateInflight: boolean;
  /**
   * Traces (OTEL_EXPORTER_OTLP_ENDPOINT: an OTLP/HTTP collector, spans to `<url>/v1/traces`;
   * OTEL_SERVICE_NAME, default `linli-gateway`; TRACE_SAMPLE_RATIO of new traces kept, default 1).
   * Absent or without an endpoint: tracing off.
   */
  tracing?: TracingConfig;
  /**
   * Live subscriptions: Redis (REDIS_URL, default redis://127.0.0.1:6379), the channel
   * prefix (EVENT_CHANNEL_PREFIX, default `linli`) and the limits (LIVE_*, see `LiveLimits`).
   */
  live: LiveConfig;
  /**
   * What one caller may ask (LIMIT_*, RATE_LIMIT_*, PERSISTED_OPERATIONS*, APQ_TTL_SECONDS,
   * LIMITS_REDIS_PREFIX; defaults in `limits/options.ts`), counted in the live config's Redis.
   */
  limits: LimitsConfig;
}

export const JWT_AUDIENCE = 'linli';

/** Reads and validates the environment once, at start-up. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = Env.parse(env);
  const signingKey = e.GATEWAY_SIGNING_KEY ?? (e.GATEWAY_SIGNING_KEY_FILE ? readFileSync(e.GATEWAY_SIGNING_KEY_FILE, 'utf8') : undefined);
  if (!signingKey) throw new Error('GATEWAY_SIGNING_KEY or GATEWAY_SIGNING_KEY_FILE is required');
  if (e.PERSISTED_OPERATIONS === 'only' && !e.PERSISTED_OPERATIONS_MANIFEST) {
    throw new Error('PERSISTED_OPERATIONS=only needs PERSISTED_OPERATIONS_MANIFEST (the trusted operations)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    exchangeUrl: e.EXCHANGE_URL,
    jwtSecret: e.JWT_SECRET,
    jwtIssuer: e.JWT_ISSUER,
    jwksTimeoutMs: e.JWKS_TIMEOUT_MS,
    signingKey,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    exchangeTimeoutMs: e.EXCHANGE_TIMEOUT_MS,
    resilience: {
      communityTimeoutsMs: e.COMMUNITY_TIMEOUTS_MS ? parseTimeouts(e.COMMUNITY_TIMEOUTS_MS) : {},
      readRetry: { retries: e.READ_RETRIES, backoffMs: e.READ_RETRY_BACKOFF_MS },
      circuit: {
        consecutiveFailures: e.CIRCUIT_CONSECUTIVE_FAILURES,
        errorPercent: e.CIRCUIT_ERROR_PERCENT,
        minRequests: e.CIRCUIT_MIN_REQUESTS,
        windowMs: e.CIRCUIT_WINDOW_MS,
        resetMs: e.CIRCUIT_RESET_MS,
        maxInFlight: e.COMMUNITY_MAX_IN_FLIGHT,
      },
    },
    directoryRefreshMs: e.DIRECTORY_REFRESH_MS,
    admission: { timeoutMs: e.ADMISSION_TIMEOUT_MS, attempts: e.ADMISSION_ATTEMPTS, retryMs: e.ADMISSION_RETRY_MS },
    communityEndpoints: e.COMMUNITY_ENDPOINTS ? parseEndpoints(e.COMMUNITY_ENDPOINTS) : undefined,
    explorerPresetsFile: e.EXPLORER_PRESETS_FILE,
    logLevel: e.LOG_LEVEL,
    workers: e.GATEWAY_WORKERS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    deduplicateInflight: e.SUBGRAPH_DEDUPLICATION === 'on',
    tracing: { serviceName: e.OTEL_SERVICE_NAME, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, sampleRatio: e.TRACE_SAMPLE_RATIO },
    live: {
      redisUrl: e.REDIS_URL,
      channelPrefix: e.EVENT_CHANNEL_PREFIX,
      limits: {
        maxConnectionsPerIp: e.LIVE_MAX_CONNECTIONS_PER_IP,
        maxSubscriptionsPerConnection: e.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
        maxSubscriptionsPerUser: e.LIVE_MAX_SUBSCRIPTIONS_PER_USER,
        maxBufferedBytes: e.LIVE_MAX_BUFFERED_BYTES,
        maxQueuedEvents: e.LIVE_MAX_QUEUED_EVENTS,
        keepAliveMs: e.LIVE_KEEPALIVE_MS,
        connectionInitTimeoutMs: e.LIVE_CONNECTION_INIT_TIMEOUT_MS,
        resolutionConcurrency: e.LIVE_RESOLUTION_CONCURRENCY,
      },
    },
    limits: {
      operation: {
        maxDepth: e.LIMIT_MAX_DEPTH,
        maxAliases: e.LIMIT_MAX_ALIASES,
        maxRootFields: e.LIMIT_MAX_ROOT_FIELDS,
        maxTokens: e.LIMIT_MAX_TOKENS,
        maxCost: e.LIMIT_MAX_COST,
        maxDirectives: e.LIMIT_MAX_DIRECTIVES,
      },
      maxBodyBytes: e.LIMIT_MAX_BODY_BYTES,
      rate: { windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS, perUser: e.RATE_LIMIT_PER_USER, perIp: e.RATE_LIMIT_PER_IP },
      persisted: { mode: e.PERSISTED_OPERATIONS, manifestFile: e.PERSISTED_OPERATIONS_MANIFEST, apqTtlSeconds: e.APQ_TTL_SECONDS },
      redisKeyPrefix: e.LIMITS_REDIS_PREFIX ?? `${e.EVENT_CHANNEL_PREFIX}:gateway`,
    },
  };
}

function parseEndpoints(list: string): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (at < 1 || !z.string().url().safeParse(url).success) {
      throw new Error(`COMMUNITY_ENDPOINTS: expected id=url, got "${entry}"`);
    }
    endpoints[id] = url;
  }
  return endpoints;
}

function parseTimeouts(list: string): Record<string, number> {
  const timeouts: Record<string, number> = {};
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at).trim();
    const ms = Number(entry.slice(at + 1).trim());
    if (at < 1 || !Number.isInteger(ms) || ms < 100) {
      throw new Error(`COMMUNITY_TIMEOUTS_MS: expected id=milliseconds (≥ 100), got "${entry}"`);
    }
    timeouts[id] = ms;
  }
  return timeouts;
}

function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === 'false' || v === '') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
