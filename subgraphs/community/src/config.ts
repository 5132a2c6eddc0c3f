import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const COMMUNITY_ID = /^[a-z][a-z0-9-]{1,62}$/;

const Env = z.object({
  COMMUNITY_ID: z.string().regex(COMMUNITY_ID, 'a slug such as qibao-a'),
  DATABASE_URL: z.string().url(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  HOST: z.string().default('127.0.0.1'),
  TIMEZONE: z.string().default('Asia/Shanghai'),
  GATEWAY_PUBLIC_KEY: z.string().optional(),
  GATEWAY_PUBLIC_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
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
  /** Where domain events are published (pub/sub). Default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** How often SLA deadlines, visits and device heartbeats are checked. Default 30000. */
  schedulerIntervalMs: number;
}

/** Reads and validates the environment once, at start-up. No defaults for isolation keys. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): CommunityConfig {
  const e = Env.parse(env);
  const gatewayPublicKey = e.GATEWAY_PUBLIC_KEY ?? (e.GATEWAY_PUBLIC_KEY_FILE ? readFileSync(e.GATEWAY_PUBLIC_KEY_FILE, 'utf8') : undefined);
  if (!gatewayPublicKey) throw new Error('GATEWAY_PUBLIC_KEY or GATEWAY_PUBLIC_KEY_FILE is required');
  return {
    communityId: e.COMMUNITY_ID,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    timezone: e.TIMEZONE,
    gatewayPublicKey,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
  };
}
