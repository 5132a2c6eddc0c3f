import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RequestRateLimitedError, type RateLimitName } from './errors.js';
import type { RateLimits } from './options.js';

interface Bucket {
  name: RateLimitName;
  max: number;
  limiter: RateLimiterRedis;
}

/**
 * Per-user and per-address request allowances, counted in Redis so that every gateway
 * instance draws on the same allowance.
 *
 * When Redis cannot be reached, each instance counts in its own memory instead (the
 * library's insurance limiter): the gateway keeps answering — a rate limiter that turns a
 * Redis outage into a federation outage protects nothing — and a single caller still cannot
 * flood one instance. `redis` should not queue commands while disconnected
 * (`enableOfflineQueue: false`), or requests would wait for Redis instead.
 */
export class RequestRateLimiter {
  private readonly buckets: Bucket[] = [];

  constructor(redis: Redis, keyPrefix: string, private readonly limits: RateLimits) {
    const add = (name: RateLimitName, max: number) => {
      if (max <= 0) return;
      const insuranceLimiter = new RateLimiterMemory({ points: max, duration: limits.windowSeconds });
      this.buckets.push({
        name,
        max,
        limiter: new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${keyPrefix}:rate:${name}`,
          points: max,
          duration: limits.windowSeconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter,
        }),
      });
    };
    add('perIp', limits.perIp);
    add('perUser', limits.perUser);
  }

  /**
   * Takes one request from an allowance (`perIp` by address, `perUser` by user id; no key, no
   * charge), or throws RATE_LIMITED (HTTP 429, `Retry-After`).
   */
  async take(name: RateLimitName, key: string | null): Promise<void> {
    const bucket = this.buckets.find((b) => b.name === name);
    if (!bucket || !key) return;
    try {
      await bucket.limiter.consume(key);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new RequestRateLimitedError(bucket.name, bucket.max, this.limits.windowSeconds, retryAfterSeconds);
    }
  }
}
