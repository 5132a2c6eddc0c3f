import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_LIVE_LIMITS } from './live/limits.js';
import type { LiveConfig } from './live/server.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  EXCHANGE_URL: z.string().url(),
  JWT_SECRET: z.string().min(32, 'at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('linli-dev'),
  GATEWAY_SIGNING_KEY: z.string().optional(),
  GATEWAY_SIGNING_KEY_FILE: z.string().optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  DIRECTORY_REFRESH_MS: z.coerce.number().int().min(100).default(5000),
  /** Optional fixed directory, `id=url,id=url`; without it the exchange's directory is used. */
  COMMUNITY_ENDPOINTS: z.string().optional(),
  EXPLORER_PRESETS_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  /** PEM of the gateway's Ed25519 private key; subgraphs hold the public half. */
  signingKey: string;
  /** How long a subgraph may take before its community counts as unavailable. Default 5000. */
  subgraphTimeoutMs: number;
  /**
   * How long the exchange may take. Longer than a community's: a booking waits on the
   * owning community (and, for a replay, on the first attempt) inside it. Default 30000.
   */
  exchangeTimeoutMs: number;
  /** How often the community directory is re-read from the exchange. Default 5000. */
  directoryRefreshMs: number;
  /** A fixed directory (community id → URL); when set, the exchange's directory is not read. */
  communityEndpoints?: Record<string, string>;
  /** JSON file of `{ label, token }[]` offered as header presets in the explorer. */
  explorerPresetsFile?: string;
  logLevel: string;
  /**
   * Live subscriptions: Redis (REDIS_URL, default redis://127.0.0.1:6379), the channel
   * prefix (EVENT_CHANNEL_PREFIX, default `linli`) and the limits (LIVE_*, see `LiveLimits`).
   */
  live: LiveConfig;
}

export const JWT_AUDIENCE = 'linli';

/** Reads and validates the environment once, at start-up. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = Env.parse(env);
  const signingKey = e.GATEWAY_SIGNING_KEY ?? (e.GATEWAY_SIGNING_KEY_FILE ? readFileSync(e.GATEWAY_SIGNING_KEY_FILE, 'utf8') : undefined);
  if (!signingKey) throw new Error('GATEWAY_SIGNING_KEY or GATEWAY_SIGNING_KEY_FILE is required');
  return {
    port: e.PORT,
    host: e.HOST,
    exchangeUrl: e.EXCHANGE_URL,
    jwtSecret: e.JWT_SECRET,
    jwtIssuer: e.JWT_ISSUER,
    signingKey,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    exchangeTimeoutMs: e.EXCHANGE_TIMEOUT_MS,
    directoryRefreshMs: e.DIRECTORY_REFRESH_MS,
    communityEndpoints: e.COMMUNITY_ENDPOINTS ? parseEndpoints(e.COMMUNITY_ENDPOINTS) : undefined,
    explorerPresetsFile: e.EXPLORER_PRESETS_FILE,
    logLevel: e.LOG_LEVEL,
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
