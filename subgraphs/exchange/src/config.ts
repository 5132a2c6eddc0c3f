import { readFileSync } from 'node:fs';
import type { TracingConfig } from '@linli/subgraph-kit/observability/tracing';
import { z } from 'zod';

/** Every environment variable the service reads (the deployment manifests are checked against it). */
export const Env = z.object({
  EXCHANGE_DATABASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PUBLIC_KEY: z.string().optional(),
  GATEWAY_PUBLIC_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** OTLP/HTTP collector; unset: tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('linli-exchange'),
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  GATEWAY_URL: z.string().url().optional(),
  GATEWAY_SERVICE_TOKEN: z.string().optional(),
  GATEWAY_SERVICE_TOKEN_FILE: z.string().optional(),
  BOOKING_HOLD_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  BOOKING_APPROVAL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(48 * 3600),
  BOOKING_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  EVENT_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _').default('linli'),
  SAGA_FAULT: z
    .string()
    .regex(/^(crash|pause)-after:(PLACE_HOLD|CONFIRM)(:\d+)?$/, 'crash-after:STEP or pause-after:STEP:ms')
    .optional(),
});

export interface ExchangeConfig {
  /** postgres://… of the exchange's own database (EXCHANGE_DATABASE_URL, else DATABASE_URL). */
  databaseUrl: string;
  /** Default 4100. */
  port: number;
  /** Default 127.0.0.1. */
  host: string;
  /** PEM of the gateway's Ed25519 public key: requests not signed with its pair get 401. */
  gatewayPublicKey: string;
  /** Default info. */
  logLevel: string;
  /**
   * Traces (OTEL_EXPORTER_OTLP_ENDPOINT: an OTLP/HTTP collector, spans to `<url>/v1/traces`;
   * OTEL_SERVICE_NAME, default `linli-exchange`; TRACE_SAMPLE_RATIO of new traces kept, default 1).
   * Absent or without an endpoint: tracing off.
   */
  tracing?: TracingConfig;
  /**
   * How the exchange reaches owning communities (holds): the gateway's URL and a token with
   * the SERVICE role. Without them, bookings are switched off.
   */
  gateway: { url: string; serviceToken: string } | null;
  bookings: { holdSeconds: number; approvalWindowSeconds: number; recoveryIntervalMs: number };
  /** Test-only: crash or pause the saga after a step, e.g. `crash-after:PLACE_HOLD`. */
  sagaFault: string | null;
  /**
   * Where live events (booking.updated, listing.published, account.balance_changed) are
   * published: Redis pub/sub, channels `<channelPrefix>:<communityId>:<type>`. From
   * `REDIS_URL` (default redis://127.0.0.1:6379) and `EVENT_CHANNEL_PREFIX` (default
   * `linli`). Absent: nothing is published (tests that build a config by hand).
   */
  events?: { redisUrl: string; channelPrefix: string };
}

/** Reads and validates the environment once, at start-up. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ExchangeConfig {
  const e = Env.parse(env);
  // EXCHANGE_DATABASE_URL wins so that one shell can hold a community's DATABASE_URL too.
  const databaseUrl = e.EXCHANGE_DATABASE_URL ?? e.DATABASE_URL;
  if (!databaseUrl) throw new Error('EXCHANGE_DATABASE_URL or DATABASE_URL is required');
  const gatewayPublicKey = e.GATEWAY_PUBLIC_KEY ?? (e.GATEWAY_PUBLIC_KEY_FILE ? readFileSync(e.GATEWAY_PUBLIC_KEY_FILE, 'utf8') : undefined);
  if (!gatewayPublicKey) throw new Error('GATEWAY_PUBLIC_KEY or GATEWAY_PUBLIC_KEY_FILE is required');
  const serviceToken = e.GATEWAY_SERVICE_TOKEN ?? (e.GATEWAY_SERVICE_TOKEN_FILE ? readFileSync(e.GATEWAY_SERVICE_TOKEN_FILE, 'utf8').trim() : undefined);
  if (Boolean(e.GATEWAY_URL) !== Boolean(serviceToken)) throw new Error('GATEWAY_URL and GATEWAY_SERVICE_TOKEN(_FILE) go together');
  return {
    databaseUrl,
    port: e.PORT,
    host: e.HOST,
    gatewayPublicKey,
    logLevel: e.LOG_LEVEL,
    tracing: { serviceName: e.OTEL_SERVICE_NAME, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, sampleRatio: e.TRACE_SAMPLE_RATIO },
    gateway: e.GATEWAY_URL && serviceToken ? { url: e.GATEWAY_URL, serviceToken } : null,
    bookings: {
      holdSeconds: e.BOOKING_HOLD_SECONDS,
      approvalWindowSeconds: e.BOOKING_APPROVAL_WINDOW_SECONDS,
      recoveryIntervalMs: e.BOOKING_RECOVERY_INTERVAL_MS,
    },
    sagaFault: e.SAGA_FAULT ?? null,
    events: { redisUrl: e.REDIS_URL, channelPrefix: e.EVENT_CHANNEL_PREFIX },
  };
}
