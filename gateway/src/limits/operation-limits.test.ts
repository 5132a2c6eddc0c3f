import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CommunityFleet, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { defaultLimits } from './options.js';

const fleet = new CommunityFleet();
let tight: GatewayUnderTest;
let standard: GatewayUnderTest;

const TIGHT = { maxDepth: 4, maxAliases: 3, maxRootFields: 3, maxTokens: 200, maxCost: 300, maxDirectives: 5 };
const MAX_BODY_BYTES = 8 * 1024;

beforeAll(async () => {
  await fleet.start('qibao-a');
  const prefix = () => `limits-ops-${randomBytes(6).toString('hex')}`;
  tight = await startGateway(fleet, { config: { limits: { ...defaultLimits(prefix()), operation: TIGHT, maxBodyBytes: MAX_BODY_BYTES } } });
  standard = await startGateway(fleet, { config: { limits: defaultLimits(prefix()) } });
});

afterAll(async () => {
  await tight?.close();
  await standard?.close();
  await fleet.close();
});

function limitOf(answer: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) {
  return answer.body.errors?.map((e) => e.extensions);
}

describe('operation limits', () => {
  it('refuses a query nested deeper than the limit with LIMIT_EXCEEDED (depth), and serves one at the limit', async () => {
    const tooDeep = await tight.request('{ resources(communityId: "qibao-a") { edges { node { community { id } } } } }');
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.data).toBeUndefined();
    expect(limitOf(tooDeep)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 4, found: 5 }]);
    expect(tooDeep.body.errors?.[0]?.message).toMatch(/查询嵌套过深.*Query is nested too deeply: at most 4, found 5/);

    const atLimit = await tight.request<{ resources: { edges: unknown[] } }>('{ resources(communityId: "qibao-a") { edges { node { name } } } }');
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.data?.resources.edges).toEqual([]);
  });

  it('refuses more aliases than the limit (aliases)', async () => {
    const tooMany = await tight.request('{ __type(name: "Query") { a: name b: name c: name d: name } }');
    expect(tooMany.status).toBe(400);
    expect(limitOf(tooMany)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'aliases', max: 3, found: 4 }]);

    const enough = await tight.request('{ __type(name: "Query") { a: name b: name c: name } }');
    expect(enough.body.data).toEqual({ __type: { a: 'Query', b: 'Query', c: 'Query' } });
  });

  it('refuses more root fields than the limit (rootFields), counting those inside fragments', async () => {
    const tooMany = await tight.request(`
      query { ...Roots resource(communityId: "qibao-a", id: "r1") { id } }
      fragment Roots on Query { __schema { queryType { name } } __type(name: "Query") { name } resources(communityId: "qibao-a") { pageInfo { hasNextPage } } }
    `);
    expect(tooMany.status).toBe(400);
    expect(limitOf(tooMany)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'rootFields', max: 3, found: 4 }]);

    const enough = await tight.request('{ __typename __schema { queryType { name } } __type(name: "Query") { name } resources(communityId: "qibao-a") { pageInfo { hasNextPage } } }');
    expect(enough.body.errors).toBeUndefined();
    expect(enough.body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } }, resources: { pageInfo: { hasNextPage: false } } });
  });

  it('stops parsing a document with more tokens than the limit (tokens)', async () => {
    const tooLong = await tight.request(`{ ${'__typename '.repeat(250)}}`);
    expect(tooLong.status).toBe(400);
    expect(limitOf(tooLong)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'tokens', max: 200 }]);

    const shortEnough = await tight.request(`{ ${'__typename '.repeat(150)}}`);
    expect(shortEnough.body.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a query whose estimated cost is above the limit (cost): a list of 100 multiplies its selection', async () => {
    const costly = await tight.request('{ resources(communityId: "qibao-a", first: 100) { edges { node { id name location } } } }');
    expect(costly.status).toBe(400);
    const [extensions] = limitOf(costly) ?? [];
    expect(extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 300 });
    expect(extensions?.found).toBeGreaterThan(300);

    const cheap = await tight.request('{ resources(communityId: "qibao-a", first: 2) { edges { node { id name location } } } }');
    expect(cheap.body.errors).toBeUndefined();
  });

  it('refuses more directives than the limit (directives)', async () => {
    const tooMany = await tight.request(`{ ${'__typename @include(if: true) '.repeat(6)}}`);
    expect(limitOf(tooMany)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'directives', max: 5, found: 6 }]);
  });

  it('reports every limit an operation breaks, beside GraphQL\'s own validation errors', async () => {
    const answer = await tight.request('{ __type(name: "Query") { a: name b: name c: name d: name nope } }');
    expect(answer.status).toBe(400);
    const codes = answer.body.errors?.map((e) => e.extensions?.code);
    expect(codes).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(codes).toContain('LIMIT_EXCEEDED');
  });

  it('answers a body larger than the limit with HTTP 413 and a GraphQL error', async () => {
    const res = await fetch(tight.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(MAX_BODY_BYTES) } }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toEqual([
      { message: expect.stringMatching(/请求体过大.*Request body is too large: at most 8192/), extensions: { code: 'LIMIT_EXCEEDED', limit: 'bodyBytes', max: MAX_BODY_BYTES } },
    ]);

    const small = await tight.request('{ __typename }', { padding: 'x'.repeat(1024) });
    expect(small.body.data).toEqual({ __typename: 'Query' });
  });

  it('answers a body that is not JSON, or not in an encoding it reads, with a GraphQL error and a code', async () => {
    const send = (body: string, headers: Record<string, string> = {}) =>
      fetch(tight.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const broken = await send('{"query": "{ __typename }"');
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/application\/json/);
    expect(await broken.json()).toEqual({
      errors: [{ message: '请求体不是有效的 JSON (The request body is not valid JSON)', extensions: { code: 'BAD_USER_INPUT', argument: 'body' } }],
    });
    const latin1 = await send('{"query": "{ __typename }"}', { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(((await latin1.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('checks the same limits when a client subscribes over graphql-ws', async () => {
    const client = createClient({ url: tight.gateway.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const refusal = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { listingPublished { a: id b: id c: id d: id } }' },
          { next: () => {}, error: resolve, complete: () => resolve('complete') },
        );
      });
      expect(refusal).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'aliases', max: 3, found: 4 } })]);
      const tooLong = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: `subscription { listingPublished { ${'id '.repeat(250)}} }` }, { next: () => {}, error: resolve, complete: () => resolve('complete') });
      });
      expect(tooLong).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'tokens', max: 200 } })]);
      // Each event is read back under its root query, aliased to the subscription's name: one
      // alias more than the client wrote. At the limit, that is refused now, not on every event.
      const atLimit = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { listingPublished { a: id b: id c: id } }' },
          { next: () => {}, error: resolve, complete: () => resolve('complete') },
        );
      });
      expect(atLimit).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'aliases', max: 3, found: 4 } })]);
    } finally {
      await client.dispose();
    }
  });

  it('lets the explorer\'s introspection through with the default limits', async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true });
    const answer = await standard.request<{ __schema: { types: Array<{ name: string }> } }>(query);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.__schema.types.map((t) => t.name)).toContain('SharedResource');
  });
});
