import { Role } from '@linli/subgraph-kit/identity';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mintDevToken } from '../security/tokens.js';
import { CommunityFleet, startGateway, testConfig, type GatewayUnderTest } from '../test/harness.js';
import { DEFAULT_LIVE_LIMITS } from './limits.js';

/**
 * The transports on a real gateway (no subgraph is needed: these subscriptions are refused
 * or accepted before anything is resolved): tokens, limits and keep-alive.
 */
const fleet = new CommunityFleet();
let gw: GatewayUnderTest;

beforeAll(async () => {
  const base = testConfig(fleet);
  gw = await startGateway(fleet, {
    config: {
      live: {
        ...base.live,
        limits: { ...DEFAULT_LIVE_LIMITS, maxConnectionsPerIp: 3, maxSubscriptionsPerConnection: 1, keepAliveMs: 1000 },
      },
    },
  });
}, 30_000);

afterAll(async () => {
  await gw?.close();
  await fleet.close();
});

const wsUrl = () => gw.gateway.url.replace(/^http/, 'ws');
const LISTINGS = `subscription { listingPublished { id } }`;

function client(token?: string) {
  let closedWith: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  let connectedWith: () => void = () => {};
  const connected = new Promise<void>((resolve) => (connectedWith = resolve));
  const c = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {}, // the closes are what these tests look at
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (e) => closedWith((e as { code: number }).code), connected: () => connectedWith() },
  });
  return { c, closed, connected };
}

function subscribeOnce(c: ReturnType<typeof createClient>, query: string): Promise<unknown> {
  return new Promise((resolve) => {
    c.subscribe({ query }, { next: () => {}, error: (error) => resolve(error), complete: () => resolve('complete') });
  });
}

describe('live transports', () => {
  it('closes with 4401 for a bad token in connection_init', async () => {
    const { c, closed } = client('forged');
    void subscribeOnce(c, LISTINGS);
    expect(await closed).toBe(4401);
  });

  it('closes with 4401 when the token expires on an open connection', async () => {
    const token = mintDevToken(gw.config.jwtSecret, { userId: 'brief', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT] }, { ttlSeconds: 1 });
    const { c, closed, connected } = client(token);
    await connected;
    const started = Date.now();
    expect(await closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3_000);
    await c.dispose();
  });

  it('refuses a subscription past the per-connection limit with LIMIT_EXCEEDED, and keeps the first', async () => {
    const { c, connected } = client();
    await connected;
    void subscribeOnce(c, LISTINGS);
    const second = await subscribeOnce(c, LISTINGS);
    expect(second).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerConnection', max: 1 } })]);
    expect(gw.gateway.live.metrics().subscriptions).toBe(1);
    await c.dispose();
    while (gw.gateway.live.metrics().connections.ws > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it('answers 429 past the per-address connection limit, for WebSockets and SSE streams alike', async () => {
    const held = [client(), client(), client()];
    await Promise.all(held.map((h) => h.connected));
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl(), 'graphql-transport-ws');
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(429);
    const sse = await fetch(gw.gateway.streamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: LISTINGS }),
    });
    expect(sse.status).toBe(429);
    await Promise.all(held.map((h) => h.c.dispose()));
    while (gw.gateway.live.metrics().connections.ws > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it('answers 401 to an SSE request with a bad token', async () => {
    const res = await fetch(gw.gateway.streamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer forged' },
      body: JSON.stringify({ query: LISTINGS }),
    });
    expect(res.status).toBe(401);
  });

  it('pings every keep-alive period and cuts a client that stops answering', async () => {
    const ws = new WebSocket(wsUrl(), 'graphql-transport-ws', { autoPong: false });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    let pings = 0;
    ws.on('ping', () => (pings += 1));
    const started = Date.now();
    expect(await closed).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers queries sent over graphql-ws through the gateway\'s own pipeline', async () => {
    const { c } = client();
    const result = await new Promise<unknown>((resolve, reject) => {
      c.subscribe({ query: `{ __typename }` }, { next: resolve, error: reject, complete: () => {} });
    });
    expect(result).toEqual({ data: { __typename: 'Query' } });
    await c.dispose();
  });
});
