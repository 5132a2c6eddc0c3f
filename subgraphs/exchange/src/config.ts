import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Env = z.object({
  EXCHANGE_DATABASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PUBLIC_KEY: z.string().optional(),
  GATEWAY_PUBLIC_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
}

/** Reads and validates the environment once, at start-up. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ExchangeConfig {
  const e = Env.parse(env);
  // EXCHANGE_DATABASE_URL wins so that one shell can hold a community's DATABASE_URL too.
  const databaseUrl = e.EXCHANGE_DATABASE_URL ?? e.DATABASE_URL;
  if (!databaseUrl) throw new Error('EXCHANGE_DATABASE_URL or DATABASE_URL is required');
  const gatewayPublicKey = e.GATEWAY_PUBLIC_KEY ?? (e.GATEWAY_PUBLIC_KEY_FILE ? readFileSync(e.GATEWAY_PUBLIC_KEY_FILE, 'utf8') : undefined);
  if (!gatewayPublicKey) throw new Error('GATEWAY_PUBLIC_KEY or GATEWAY_PUBLIC_KEY_FILE is required');
  return { databaseUrl, port: e.PORT, host: e.HOST, gatewayPublicKey, logLevel: e.LOG_LEVEL };
}
