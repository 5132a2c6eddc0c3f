import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BadInputError } from '../errors.js';
import { RedisEventPublisher, eventsChecks } from '../events.js';
import { createSubgraphHttp, type RunningServer } from '../http.js';
import { generateSigningKeys, IdentitySigner, IdentityVerifier, Role } from '../identity.js';
import { createLogger } from '../logger.js';
import { adminUrl } from '../testing/databases.js';
import { LogCapture } from '../testing/logs.js';
import { metricValue } from '../testing/metrics.js';
import { captureSpans, type CapturedSpans } from '../testing/tracing.js';
import { BoundedLabel } from './metrics.js';
import type { ReadinessCheck } from './health.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keys = generateSigningKeys();
const signer = new IdentitySigner(keys.privateKeyPem);
const resident = { userId: 'resident-7', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT] };

const schema = buildSubgraphSchema({
  typeDefs: parse(/* GraphQL */ `
    type Query { ping: String! }
    type Mutation { register(name: String!, phone: String!): String! }
  `),
  resolvers: {
    Query: { ping: () => 'pong' },
    Mutation: {
      register: (_: unknown, args: { name: string; phone: string }) => {
        if (!args.phone.startsWith('1')) throw new BadInputError('手机号无效', 'Invalid phone number');
        return 'registered';
      },
    },
  },
});

async function startService(readiness: ReadinessCheck[], log = new LogCapture()): Promise<{ server: RunningServer; base: string; log: LogCapture }> {
  const http = await createSubgraphHttp({
    name: 'kit-test',
    schema,
    verifier: new IdentityVerifier(keys.publicKeyPem),
    context: (viewer) => ({ viewer }),
    logger: createLogger('kit-test', 'info', log),
    readiness,
    metricLabels: { community: 'qibao-a' },
  });
  const server = await http.listen(0);
  return { server, base: server.url.replace(/\/graphql$/, ''), log };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: unknown } };
}

describe('the HTTP face of a subgraph: probes, metrics, traces and request logs', () => {
  let tracing: CapturedSpans;
  const pool = new pg.Pool({ connectionString: adminUrl(), max: 1 });
  const redis = new RedisEventPublisher(REDIS_URL);
  const deadRedis = new RedisEventPublisher('redis://127.0.0.1:1');
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    tracing = captureSpans();
    await redis.ready();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await redis.close();
    await deadRedis.close();
    await pool.end();
    await tracing.close();
  });

  const database: ReadinessCheck = { name: 'database', check: async () => void (await pool.query('select 1')) };

  it('is live without asking dependencies, and ready only when every check passes', async () => {
    const healthy = await startService([database, ...eventsChecks(redis)]);
    const broken = await startService([database, ...eventsChecks(deadRedis), { name: 'schema', check: () => new Promise(() => {}) }]);
    servers.push(healthy.server, broken.server);

    const live = await fetch(`${broken.base}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', service: 'kit-test' });

    const ready = await fetch(`${healthy.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });

    const notReady = await fetch(`${broken.base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not ready',
      checks: { database: 'ok', redis: 'failed', schema: 'timed out' },
      failed: ['redis', 'schema'],
    });
    // The old health endpoint stays as it was.
    expect((await fetch(`${healthy.base}/health`)).status).toBe(200);
  });

  it('counts operations by name and type, errors by code and latency in /metrics', async () => {
    const { server, base } = await startService([]);
    servers.push(server);
    const headers = signer.headers(resident);
    expect((await post(server.url, { query: 'query Ping { ping }' }, headers)).body.data).toEqual({ ping: 'pong' });
    await post(server.url, { query: 'query Ping { ping }' }, headers);
    const refused = await post(server.url, { query: 'mutation Register($n: String!, $p: String!) { register(name: $n, phone: $p) }', variables: { n: '张三', p: '999' } }, headers);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await post(server.url, { query: '{ ping }' })).status).toBe(401);

    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const instance = { service: 'kit-test', community: 'qibao-a' };
    expect(metricValue(text, 'linli_graphql_operations_total', { ...instance, operation: 'Ping', type: 'query' })).toBe(2);
    expect(metricValue(text, 'linli_graphql_errors_total', { ...instance, operation: 'Register', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(metricValue(text, 'linli_graphql_errors_total', { ...instance, operation: 'none', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(metricValue(text, 'linli_graphql_operation_duration_seconds_count', { ...instance, operation: 'Ping', type: 'query' })).toBe(2);
    expect(metricValue(text, 'linli_http_requests_total', { ...instance, method: 'POST', route: '/graphql', status: '401' })).toBe(1);
    expect(text).toContain('linli_process_resident_memory_bytes');
  });

  it('keeps operation-name labels bounded', () => {
    const label = new BoundedLabel(2);
    expect(['A', 'B', 'C', 'A', 'x y'].map((name) => label.of(name))).toEqual(['A', 'B', 'other', 'A', 'other']);
  });

  it("continues the caller's trace: the request's span is a child of the span in traceparent", async () => {
    const { server } = await startService([]);
    servers.push(server);
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    await post(server.url, { query: 'query Ping { ping }' }, { ...signer.headers(resident), traceparent: `00-${traceId}-${parentSpanId}-01` });

    // The span ends when the response has been handed to the socket, a moment after the client may read it.
    const span = await vi.waitFor(() => {
      const found = tracing.spans().find((s) => s.spanContext().traceId === traceId);
      if (!found) throw new Error('span not ended yet');
      return found;
    });
    expect(span?.name).toBe('query Ping');
    expect(span?.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(span?.attributes).toMatchObject({ 'graphql.operation.name': 'Ping', 'graphql.operation.type': 'query', 'http.response.status_code': 200 });
  });

  it('logs one line per request with its operation and trace, and no token, identity or variables', async () => {
    const { server, log } = await startService([]);
    servers.push(server);
    const token = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString('base64url')}.sig`;
    const headers: Record<string, string> = { ...signer.headers(resident), authorization: `Bearer ${token}`, cookie: 'session=secret-cookie' };
    const traceId = randomBytes(16).toString('hex');
    const answer = await post(
      `${server.url}?phone=13800138000`,
      { query: 'mutation Register($n: String!, $p: String!) { register(name: $n, phone: $p) }', variables: { n: '王小明', p: '13800138000' } },
      { ...headers, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(answer.body.data).toEqual({ register: 'registered' });

    const line = await vi.waitFor(() => {
      const found = log.lines().find((l) => l.msg === 'request' && l.operation === 'Register');
      if (!found) throw new Error('not logged yet');
      return found;
    });
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, operation: 'Register', traceId, name: 'kit-test' });
    expect(typeof line?.durationMs).toBe('number');
    for (const secret of [token, '王小明', '13800138000', 'secret-cookie', headers['x-linli-signature'] ?? 'no signature', headers['x-linli-identity'] ?? 'no identity', 'resident-7']) {
      expect(log.text).not.toContain(secret);
    }
  });
});
