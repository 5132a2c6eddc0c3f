import { readFileSync } from 'node:fs';
import type { TracingConfig } from '@linli/subgraph-kit/observability/tracing';
import { z } from 'zod';
import { EXCHANGE_CALL_FAULT } from './modules/exchange/exchange.faults.js';

export const COMMUNITY_ID = /^[a-z][a-z0-9-]{1,62}$/;

/** Every environment variable the service reads (the deployment manifests are checked against it). */
export const Env = z.object({
  COMMUNITY_ID: z.string().regex(COMMUNITY_ID, 'a slug such as qibao-a'),
  DATABASE_URL: z.string().url(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  HOST: z.string().default('127.0.0.1'),
  TIMEZONE: z.string().default('Asia/Shanghai'),
  GATEWAY_PUBLIC_KEY: z.string().optional(),
  GATEWAY_PUBLIC_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** OTLP/HTTP collector; unset: tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('linli-community'),
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  EVENT_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _').default('linli'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  PSEUDONYM_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  NODE_ENV: z.string().optional(),
  GATEWAY_URL: z.string().url().optional(),
  GATEWAY_SERVICE_TOKEN: z.string().optional(),
  GATEWAY_SERVICE_TOKEN_FILE: z.string().optional(),
  EXCHANGE_CALL_FAULT: z.string().regex(EXCHANGE_CALL_FAULT, 'crash-after:ISSUE | PAY_FROM_FUND | SETTLE_HOURS_HOLD').optional(),
});

export interface CommunityConfig {
  communityId: string;
  databaseUrl: string;
  port: number;
  host: string;
  timezone: string;
  /** PEM of the gateway's Ed25519 public key: requests not signed with its pair get 401. */
  gatewayPublicKey: string;
  logLevel: string;
  /**
   * Traces (OTEL_EXPORTER_OTLP_ENDPOINT: an OTLP/HTTP collector, spans to `<url>/v1/traces`;
   * OTEL_SERVICE_NAME, default `linli-community`; TRACE_SAMPLE_RATIO of new traces kept, default 1).
   * Absent or without an endpoint: tracing off.
   */
  tracing?: TracingConfig;
  /** Where domain events are published (pub/sub). Default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** Prefix of the Redis channels events go to (one per deployment). Default `linli`. */
  eventChannelPrefix?: string;
  /** How often SLA deadlines, visits and device heartbeats are checked. Default 30000. */
  schedulerIntervalMs: number;
  /**
   * This community's key for pseudonyms of access-event subjects (HMAC; see
   * modules/security/pseudonym.ts). Keep it secret and never change it: changing it breaks
   * the link between a person's old and new events. Required (PSEUDONYM_SECRET, 32+
   * characters) when NODE_ENV=production; default elsewhere: a development key derived from
   * the community id, which is NOT secret.
   */
  pseudonymSecret?: string | null;
  /**
   * How the community reaches the shared ledger (points → credit, time-bank hours): the
   * gateway's URL and a token with the SERVICE role and this community as its `community`.
   * Default none: conversions and crediting wait (PENDING) until one is configured.
   */
  gateway?: { url: string; serviceToken: string } | null;
  /** Test-only: crash after the exchange answers a call, e.g. `crash-after:ISSUE`. Default none. */
  exchangeCallFault?: string | null;
}

/** Reads and validates the environment once, at start-up. No defaults for isolation keys. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): CommunityConfig {
  const e = Env.parse(env);
  const gatewayPublicKey = e.GATEWAY_PUBLIC_KEY ?? (e.GATEWAY_PUBLIC_KEY_FILE ? readFileSync(e.GATEWAY_PUBLIC_KEY_FILE, 'utf8') : undefined);
  if (!gatewayPublicKey) throw new Error('GATEWAY_PUBLIC_KEY or GATEWAY_PUBLIC_KEY_FILE is required');
  if (e.NODE_ENV === 'production' && !e.PSEUDONYM_SECRET) throw new Error('PSEUDONYM_SECRET is required in production');
  const serviceToken = e.GATEWAY_SERVICE_TOKEN ?? (e.GATEWAY_SERVICE_TOKEN_FILE ? readFileSync(e.GATEWAY_SERVICE_TOKEN_FILE, 'utf8').trim() : undefined);
  if (Boolean(e.GATEWAY_URL) !== Boolean(serviceToken)) throw new Error('GATEWAY_URL and GATEWAY_SERVICE_TOKEN(_FILE) go together');
  return {
    communityId: e.COMMUNITY_ID,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    timezone: e.TIMEZONE,
    gatewayPublicKey,
    logLevel: e.LOG_LEVEL,
    tracing: { serviceName: e.OTEL_SERVICE_NAME, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, sampleRatio: e.TRACE_SAMPLE_RATIO },
    redisUrl: e.REDIS_URL,
    eventChannelPrefix: e.EVENT_CHANNEL_PREFIX,
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    pseudonymSecret: e.PSEUDONYM_SECRET ?? null,
    gateway: e.GATEWAY_URL && serviceToken ? { url: e.GATEWAY_URL, serviceToken } : null,
    exchangeCallFault: e.EXCHANGE_CALL_FAULT ?? null,
  };
}
