import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, generateSigningKeys, IdentitySigner } from '@linli/subgraph-kit/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignedDataSource } from '../security/signed-data-source.js';
import { replies, ScriptedServer } from '../test/scripted-server.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { processWithin, type FetchPolicy } from './read-retry.js';

/** One subgraph fetch through the real data source and pooled client, against a real server that misbehaves on cue. */
let server: ScriptedServer;
let http: HttpClient;
let source: SignedDataSource;
const policy: FetchPolicy = { timeoutMs: 1000, retries: 2, backoffMs: 20 };

beforeAll(async () => {
  server = await ScriptedServer.start();
  // The client's own timeout is long: the deadline under test is the fetch's.
  http = createHttpClient({ timeoutMs: 30_000 });
  source = new SignedDataSource(server.url, http.fetcher, new IdentitySigner(generateSigningKeys().privateKeyPem));
});

afterAll(async () => {
  await http?.close();
  await server?.close();
});

beforeEach(() => server.play(replies.data({ hello: 'world' })));

/** What the gateway hands a data source for one fetch of a client's operation. */
function fetchOf(operation: 'query' | 'mutation', fetchPolicy: FetchPolicy = policy) {
  const query = operation === 'query' ? '{ hello }' : 'mutation { hello }';
  // The request-kind enum is not exported by @apollo/gateway; the data source reads the request and context.
  const options = {
    kind: 'incoming operation',
    request: { query, variables: {} },
    context: { viewer: ANONYMOUS },
    incomingRequestContext: { operation: { operation } },
  } as unknown as GraphQLDataSourceProcessOptions;
  return processWithin(source, options, () => ({ query, variables: {} }), fetchPolicy);
}

describe('read retries', () => {
  it('sends a query again after one 503 and answers what the second attempt got', async () => {
    server.play(replies.status(503), replies.data({ hello: 'again' }));
    const answer = await fetchOf('query');
    expect(answer.data).toEqual({ hello: 'again' });
    expect(server.requests).toBe(2);
  });

  it('sends a query again after the connection was cut', async () => {
    server.play(replies.cut(), replies.data({ hello: 'after a reset' }));
    const answer = await fetchOf('query');
    expect(answer.data).toEqual({ hello: 'after a reset' });
    expect(server.requests).toBe(2);
  });

  it('gives up after the configured retries and reports the last failure', async () => {
    server.play(replies.status(502));
    await expect(fetchOf('query')).rejects.toMatchObject({ extensions: { response: { status: 502 } } });
    expect(server.requests).toBe(1 + policy.retries);
  });

  it('never sends a mutation twice', async () => {
    server.play(replies.status(503), replies.data({ hello: 'twice' }));
    await expect(fetchOf('mutation')).rejects.toMatchObject({ extensions: { response: { status: 503 } } });
    expect(server.requests).toBe(1);
  });

  it('does not retry an answer with GraphQL errors, nor a refused request', async () => {
    server.play(replies.graphqlErrors('没有 Not found'));
    const answer = await fetchOf('query');
    expect(answer.errors?.[0]?.message).toBe('没有 Not found');
    expect(server.requests).toBe(1);

    server.play(replies.refused('无效 Invalid'));
    await expect(fetchOf('query')).rejects.toMatchObject({ extensions: { response: { status: 400 } } });
    expect(server.requests).toBe(1);
  });

  it('does not retry a timeout: it has used the deadline', async () => {
    server.play(replies.silence());
    const started = Date.now();
    await expect(fetchOf('query', { ...policy, timeoutMs: 300 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toBe(1);
  });

  it('keeps retries and their pauses inside the deadline', async () => {
    server.play(replies.status(503));
    const started = Date.now();
    // Pauses of 150–450 ms and 300–900 ms would overrun a 400 ms deadline: at most one retry fits.
    await expect(fetchOf('query', { timeoutMs: 400, retries: 5, backoffMs: 300 })).rejects.toMatchObject({ extensions: { response: { status: 503 } } });
    expect(Date.now() - started).toBeLessThan(400 + 400);
    expect(server.requests).toBeLessThanOrEqual(2);
  });

  it('ends a fetch whose answer is slower than its deadline, and the next fetch is not held up', async () => {
    server.play(replies.silence(), replies.data({ hello: 'fast' }));
    await expect(fetchOf('query', { ...policy, timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' });
    const started = Date.now();
    expect((await fetchOf('query')).data).toEqual({ hello: 'fast' });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
