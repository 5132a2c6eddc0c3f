import { Role } from '@linli/subgraph-kit/identity';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_LIMITS } from '../live/limits.js';
import { CommunityFleet, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { defaultLimits, type RateLimits } from './options.js';

// Only `__typename` is asked: the gateway answers it itself, so no community is needed.
const fleet = new CommunityFleet();
const opened: GatewayUnderTest[] = [];

async function gatewayWith(
  rate: RateLimits,
  options: { prefix?: string; redisUrl?: string; jwtSecret?: string; trustProxy?: string | boolean } = {},
): Promise<GatewayUnderTest> {
  const limits = { ...defaultLimits(options.prefix ?? `limits-rate-${randomBytes(6).toString('hex')}`), rate };
  const gateway = await startGateway(fleet, {
    config: {
      limits,
      ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
      ...(options.redisUrl ? { live: { redisUrl: options.redisUrl, channelPrefix: `limits-rate-${randomBytes(6).toString('hex')}`, limits: DEFAULT_LIVE_LIMITS } } : {}),
    },
  });
  opened.push(gateway);
  return gateway;
}

afterAll(async () => {
  await Promise.all(opened.map((g) => g.close()));
  await fleet.close();
});

async function ask(gateway: GatewayUnderTest, token?: string, forwardedFor?: string) {
  const res = await fetch(gateway.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

describe('rate limits', () => {
  it('refuses a user past their allowance with RATE_LIMITED, HTTP 429 and Retry-After; another user is not affected', async () => {
    const gateway = await gatewayWith({ windowSeconds: 60, perUser: 3, perIp: 1000 });
    const wang = gateway.token('wang', 'qibao-a', [Role.RESIDENT]);
    const chen = gateway.token('chen', 'qibao-a', [Role.RESIDENT]);

    for (let i = 0; i < 3; i += 1) expect((await ask(gateway, wang)).body.data).toEqual({ __typename: 'Query' });
    const refused = await ask(gateway, wang);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/该用户请求过于频繁.*Too many requests from this user \(at most 3 per 60 s\)/),
        extensions: { code: 'RATE_LIMITED', limit: 'perUser', max: 3, windowSeconds: 60, retryAfterSeconds: expect.any(Number) },
      },
    ]);
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(retryAfter);

    const other = await ask(gateway, chen);
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual({ __typename: 'Query' });
  });

  it('behind a trusted load balancer counts each client address, and ignores X-Forwarded-For from anyone else', async () => {
    const behindBalancer = await gatewayWith({ windowSeconds: 60, perUser: 0, perIp: 2 }, { trustProxy: 'loopback' });
    for (let i = 0; i < 2; i += 1) expect((await ask(behindBalancer, undefined, '203.0.113.7')).status).toBe(200);
    expect((await ask(behindBalancer, undefined, '203.0.113.7')).status).toBe(429);
    // Another client behind the same balancer has its own allowance.
    expect((await ask(behindBalancer, undefined, '203.0.113.8')).status).toBe(200);

    // Without TRUST_PROXY a client cannot pick a fresh address per request to escape the limit.
    const direct = await gatewayWith({ windowSeconds: 60, perUser: 0, perIp: 2 });
    expect((await ask(direct, undefined, '198.51.100.1')).status).toBe(200);
    expect((await ask(direct, undefined, '198.51.100.2')).status).toBe(200);
    expect((await ask(direct, undefined, '198.51.100.3')).status).toBe(429);
  });

  it('refuses an address past its allowance, signed in or not (perIp)', async () => {
    const gateway = await gatewayWith({ windowSeconds: 60, perUser: 0, perIp: 3 });
    expect((await ask(gateway)).status).toBe(200);
    expect((await ask(gateway)).status).toBe(200);
    expect((await ask(gateway, gateway.token('li', 'qibao-b', [Role.RESIDENT]))).status).toBe(200);
    const refused = await ask(gateway, gateway.token('zhao', 'qibao-b', [Role.RESIDENT]));
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'perIp', max: 3 });
  });

  it('counts in Redis, so every gateway of a deployment draws on one allowance', async () => {
    const prefix = `limits-rate-${randomBytes(6).toString('hex')}`;
    const first = await gatewayWith({ windowSeconds: 60, perUser: 2, perIp: 1000 }, { prefix });
    // The second gateway trusts the same token issuer, as gateways of one deployment do.
    const second = await gatewayWith({ windowSeconds: 60, perUser: 2, perIp: 1000 }, { prefix, jwtSecret: first.config.jwtSecret });
    const token = first.token('sun', 'qibao-a', [Role.RESIDENT]);
    expect((await ask(first, token)).status).toBe(200);
    expect((await ask(second, token)).status).toBe(200);
    expect((await ask(first, token)).status).toBe(429);
    expect((await ask(second, token)).status).toBe(429);
  });

  it('keeps answering when Redis is unreachable, counting in the instance\'s memory instead', async () => {
    // Nothing listens on port 1.
    const gateway = await gatewayWith({ windowSeconds: 60, perUser: 0, perIp: 2 }, { redisUrl: 'redis://127.0.0.1:1' });
    expect((await ask(gateway)).body.data).toEqual({ __typename: 'Query' });
    expect((await ask(gateway)).body.data).toEqual({ __typename: 'Query' });
    const refused = await ask(gateway);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'perIp' });
  });
});
