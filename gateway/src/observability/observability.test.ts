import { Role } from '@linli/subgraph-kit/identity';
import { createLogger } from '@linli/subgraph-kit/logger';
import { captureSpans, LogCapture, metricValue, type CapturedSpans } from '@linli/subgraph-kit/testing/index';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CommunityFleet, CREATE_RESOURCE, resourceInput, startGateway, type GatewayUnderTest } from '../test/harness.js';

const fleet = new CommunityFleet();
const log = new LogCapture();
let tracing: CapturedSpans;
let gw: GatewayUnderTest;
let base: string;

beforeAll(async () => {
  // One provider for the whole process: the gateway's spans and the in-process community's land together.
  tracing = captureSpans();
  await fleet.start('qibao-a');
  gw = await startGateway(fleet, { logger: createLogger('gateway', 'info', log) });
  base = gw.gateway.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await gw?.close();
  await fleet.close();
  await tracing?.close();
});

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  return vi.waitFor(() => {
    const found = find();
    if (found === undefined) throw new Error(`${what}: not yet`);
    return found;
  });
}

const RESOURCES = /* GraphQL */ `query CommunityResources($c: ID!) { resources(communityId: $c) { edges { node { name } } } }`;

describe('gateway operability', () => {
  it('is live and ready once the supergraph is loaded and Redis is connected; not ready without Redis', async () => {
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { supergraph: 'ok', redis: 'ok' } });

    const cut = await startGateway(fleet, { config: { live: { ...gw.config.live, redisUrl: 'redis://127.0.0.1:1' } } });
    try {
      const cutBase = cut.gateway.url.replace(/\/graphql$/, '');
      expect((await fetch(`${cutBase}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${cutBase}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ status: 'not ready', checks: { supergraph: 'ok', redis: 'failed' }, failed: ['redis'] });
    } finally {
      await cut.close();
    }
  });

  it('carries one trace from the gateway through the community fetch into the community subgraph', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({ query: RESOURCES, variables: { c: 'qibao-a' } }),
    });
    expect(res.status).toBe(200);

    const inTrace = () => tracing.spans().filter((s) => s.spanContext().traceId === traceId);
    const byId = (id: string | undefined) => inTrace().find((s) => s.spanContext().spanId === id);
    // The gateway's server span (child of the caller's traceparent) and the community's, which
    // Apollo's query planner names after the operation and the subgraph fetch.
    const gateway = await waitFor(() => inTrace().find((s) => s.name === 'query CommunityResources'), "gateway's server span");
    const subgraph = await waitFor(() => inTrace().find((s) => s.name.startsWith('query CommunityResources__community')), "community's server span");
    const fetchSpan = byId(subgraph.parentSpanContext?.spanId);
    expect(fetchSpan?.name).toBe('fetch community');
    expect(fetchSpan?.attributes).toMatchObject({ 'linli.subgraph': 'community', 'linli.community': 'qibao-a' });
    expect(subgraph.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'http.response.status_code': 200 });

    // The fetch span sits under the gateway's server span (through the query planner's own spans).
    const ancestors: string[] = [];
    for (let span = byId(fetchSpan?.parentSpanContext?.spanId); span; span = byId(span.parentSpanContext?.spanId)) ancestors.push(span.spanContext().spanId);
    expect(ancestors).toContain(gateway.spanContext().spanId);
  });

  it('exports requests, errors by code, latency by operation, fetches per community and live gauges', async () => {
    await gw.request(RESOURCES, { c: 'qibao-a' });
    const unknown = await gw.request(RESOURCES, { c: `nowhere-${randomBytes(4).toString('hex')}` });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('COMMUNITY_UNAVAILABLE');

    const text = await (await fetch(`${base}/metrics`)).text();
    const gateway = { service: 'gateway' };
    expect(metricValue(text, 'linli_graphql_operations_total', { ...gateway, operation: 'CommunityResources', type: 'query' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'linli_graphql_errors_total', { ...gateway, operation: 'CommunityResources', code: 'COMMUNITY_UNAVAILABLE' })).toBe(1);
    expect(metricValue(text, 'linli_graphql_operation_duration_seconds_count', { ...gateway, operation: 'CommunityResources', type: 'query' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'linli_gateway_subgraph_fetches_total', { subgraph: 'community', community: 'qibao-a', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    // A community id the directory does not know is not a label value.
    expect(metricValue(text, 'linli_gateway_subgraph_fetches_total', { subgraph: 'community', community: 'unregistered', outcome: 'unavailable' })).toBe(1);
    expect(text).not.toMatch(/community="nowhere-/);
    expect(metricValue(text, 'linli_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'community', community: 'qibao-a' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'linli_gateway_live_subscriptions', gateway)).toBe(0);
    expect(metricValue(text, 'linli_gateway_live_connections', { transport: 'ws' })).toBe(0);
    expect(metricValue(text, 'linli_gateway_community_breaker_state', { community: 'qibao-a' })).toBe(0);
    expect(metricValue(text, 'linli_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(2);
  });

  it('logs each request with its operation and trace id, never the token or the variables', async () => {
    const token = gw.token('staff-7f3a', 'qibao-a', [Role.COMMUNITY_STAFF]);
    const personal = `王小明 13800138000 ${randomBytes(4).toString('hex')}`;
    const created = await gw.request<{ createResource: { id: string } }>(CREATE_RESOURCE, { communityId: 'qibao-a', input: resourceInput(personal) }, token);
    expect(created.body.errors).toBeUndefined();

    const line = await waitFor(() => log.lines().find((l) => l.msg === 'request' && l.operation === 'Create'), 'request line');
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, name: 'gateway' });
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const secret of [token, token.split('.')[1] ?? token, '王小明', '13800138000', personal, 'staff-7f3a']) expect(log.text).not.toContain(secret);
  });
});
