import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, generateSigningKeys, IdentitySigner } from '@linli/subgraph-kit/identity';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignedDataSource } from '../security/signed-data-source.js';
import { replies, ScriptedServer } from '../test/scripted-server.js';
import { CircuitRejection, CommunityBreakers, DEFAULT_CIRCUIT, type CircuitChange, type CircuitOptions } from './circuit-breakers.js';
import { classifyFailure } from './failures.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { processWithin } from './read-retry.js';

/** Circuits in front of real HTTP servers, fetched through the real data source and pooled client. */
let server: ScriptedServer;
let other: ScriptedServer;
let http: HttpClient;
const signer = new IdentitySigner(generateSigningKeys().privateKeyPem);
const opened: CommunityBreakers[] = [];

beforeAll(async () => {
  [server, other] = await Promise.all([ScriptedServer.start(), ScriptedServer.start()]);
  http = createHttpClient({ timeoutMs: 30_000 });
});

afterEach(() => {
  for (const breakers of opened.splice(0)) breakers.close();
});

afterAll(async () => {
  await http?.close();
  await Promise.all([server?.close(), other?.close()]);
});

function circuits(options: Partial<CircuitOptions>): { breakers: CommunityBreakers; changes: CircuitChange[] } {
  // As the router counts: a refused request is an answer, not a failure.
  const breakers = new CommunityBreakers({ ...DEFAULT_CIRCUIT, ...options }, (error) => classifyFailure(error).kind === 'refused');
  opened.push(breakers);
  const changes: CircuitChange[] = [];
  breakers.onStateChange((change) => changes.push(change));
  return { breakers, changes };
}

/** One query fetch to `url` for community `qibao-x` (no retries: each fetch is one request). */
async function send(breakers: CommunityBreakers, url = server.url, timeoutMs = 1000): Promise<'ok' | string> {
  const query = '{ hello }';
  const options = {
    kind: 'incoming operation',
    request: { query },
    context: { viewer: ANONYMOUS },
    incomingRequestContext: { operation: { operation: 'query' } },
  } as unknown as GraphQLDataSourceProcessOptions;
  const source = new SignedDataSource(url, http.fetcher, signer);
  try {
    await breakers.run('qibao-x', url, () => processWithin(source, options, () => ({ query }), { timeoutMs, retries: 0, backoffMs: 1 }));
    return 'ok';
  } catch (error) {
    if (error instanceof CircuitRejection) return error.reason;
    const failure = classifyFailure(error);
    return failure.kind === 'refused' ? 'refused' : failure.reason;
  }
}

const stateOf = (breakers: CommunityBreakers) => breakers.states().find((s) => s.communityId === 'qibao-x')?.state;

describe('community circuit breakers', () => {
  it('open after failures in a row, then fail fast without sending anything', async () => {
    const { breakers, changes } = circuits({ consecutiveFailures: 3, minRequests: 100 });
    server.play(replies.status(503));
    expect([await send(breakers), await send(breakers), await send(breakers)]).toEqual(['answered HTTP 503', 'answered HTTP 503', 'answered HTTP 503']);
    expect(stateOf(breakers)).toBe('open');
    expect(changes).toEqual([{ communityId: 'qibao-x', state: 'open' }]);

    server.play(replies.data({ hello: 'world' }));
    const started = Date.now();
    expect(await send(breakers)).toBe('circuit open');
    expect(Date.now() - started).toBeLessThan(100);
    expect(server.requests).toBe(0);
    expect(breakers.states()[0]?.window).toMatchObject({ failures: 3, rejects: 1 });
  });

  it('let one probe through after the reset time; its success closes the circuit', async () => {
    const { breakers, changes } = circuits({ consecutiveFailures: 2, minRequests: 100, resetMs: 300 });
    server.play(replies.status(503));
    await send(breakers);
    await send(breakers);
    expect(await send(breakers)).toBe('circuit open');

    await sleep(350);
    expect(stateOf(breakers)).toBe('half-open');
    server.play(replies.data({ hello: 'back' }));
    // While the probe is out, others still fail fast.
    const [probe, meanwhile] = await Promise.all([send(breakers), send(breakers)]);
    expect([probe, meanwhile]).toEqual(['ok', 'circuit open']);
    expect(server.requests).toBe(1);
    expect(stateOf(breakers)).toBe('closed');
    expect(await send(breakers)).toBe('ok');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('open again when the probe fails', async () => {
    const { breakers, changes } = circuits({ consecutiveFailures: 2, minRequests: 100, resetMs: 200 });
    server.play(replies.status(503));
    await send(breakers);
    await send(breakers);
    await sleep(250);
    expect(await send(breakers)).toBe('answered HTTP 503');
    expect(stateOf(breakers)).toBe('open');
    expect(await send(breakers)).toBe('circuit open');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open']);
  });

  it('open on the failure rate once the window holds enough fetches', async () => {
    const { breakers } = circuits({ consecutiveFailures: 0, minRequests: 4, errorPercent: 50 });
    const ok = replies.data({ hello: 'world' });
    const down = replies.status(503);
    server.play(ok, down, ok, down, down, ok);
    for (let i = 0; i < 4; i++) await send(breakers);
    // 2 of 4 failed: not above 50 %.
    expect(stateOf(breakers)).toBe('closed');
    await send(breakers);
    expect(stateOf(breakers)).toBe('open');
    expect(await send(breakers)).toBe('circuit open');
  });

  it('count a refused request as an answer: the instance is up', async () => {
    const { breakers } = circuits({ consecutiveFailures: 2, minRequests: 1 });
    server.play(replies.refused('无效 Invalid'));
    for (let i = 0; i < 5; i++) expect(await send(breakers)).toBe('refused');
    expect(stateOf(breakers)).toBe('closed');
  });

  it('count timeouts as failures', async () => {
    const { breakers } = circuits({ consecutiveFailures: 2, minRequests: 100 });
    server.play(replies.silence());
    expect(await send(breakers, server.url, 150)).toBe('timed out');
    expect(await send(breakers, server.url, 150)).toBe('timed out');
    expect(await send(breakers, server.url, 150)).toBe('circuit open');
  });

  it('cap the fetches in flight to one community; past the cap they fail fast', async () => {
    const { breakers } = circuits({ maxInFlight: 2, consecutiveFailures: 0, minRequests: 100 });
    server.play(replies.silence());
    const held = [send(breakers, server.url, 400), send(breakers, server.url, 400)];
    const started = Date.now();
    expect(await send(breakers, server.url, 400)).toBe('overloaded');
    expect(Date.now() - started).toBeLessThan(200);
    expect(await Promise.all(held)).toEqual(['timed out', 'timed out']);
    server.play(replies.data({ hello: 'world' }));
    expect(await send(breakers)).toBe('ok');
  });

  it('give a community that moved to another instance a closed circuit', async () => {
    const { breakers } = circuits({ consecutiveFailures: 1, minRequests: 100 });
    server.play(replies.status(503));
    other.play(replies.data({ hello: 'new home' }));
    await send(breakers);
    expect(await send(breakers)).toBe('circuit open');
    expect(await send(breakers, other.url)).toBe('ok');
    expect(stateOf(breakers)).toBe('closed');
  });
});
