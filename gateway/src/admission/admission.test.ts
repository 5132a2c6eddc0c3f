import { readContract } from '@linli/schema';
import { generateSigningKeys, IdentitySigner, IdentityVerifier, Role, type Viewer } from '@linli/subgraph-kit/identity';
import { createLogger } from '@linli/subgraph-kit/logger';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExchangeDirectory } from '../routing/exchange-directory.js';
import { createHttpClient } from '../routing/http-client.js';
import { FakeExchange } from '../test/fake-exchange.js';
import { Admission, MAX_REASONS } from './admission.js';

/**
 * Admission against real HTTP: candidates that answer `_service { sdl }` (checking the
 * gateway's signature, as a partner must), the exchange's directory and decisions (the
 * fake exchange applies the only-from-PENDING rule as the exchange does).
 */
const keys = generateSigningKeys();
const verifier = new IdentityVerifier(keys.publicKeyPem);
const exchange = new FakeExchange(verifier);
const http = createHttpClient({ timeoutMs: 2000 });
const CONTRACT = readContract('community');
let exchangeUrl: string;
const candidates: Server[] = [];
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  exchangeUrl = await exchange.start();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
  await Promise.all(candidates.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  exchange.communities = [];
  exchange.admissions.length = 0;
});
afterAll(async () => {
  await exchange.close();
  await http.close();
});

/** A candidate subgraph serving `sdl`; it records who asked. */
async function candidate(sdl: string, seen: Viewer[] = []): Promise<string> {
  const server = createServer((req, res) => {
    let viewer: Viewer;
    try {
      viewer = verifier.verify(req.headers);
    } catch {
      res.writeHead(401).end();
      return;
    }
    seen.push(viewer);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl } } })));
  });
  candidates.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function start(settings = { timeoutMs: 1000, attempts: 2, retryMs: 50 }) {
  const signer = new IdentitySigner(keys.privateKeyPem);
  const logger = createLogger('gateway', 'silent');
  const directory = await ExchangeDirectory.start({ url: exchangeUrl, fetcher: http.fetcher, signer, logger, refreshMs: 60_000 });
  const admission = new Admission({ directory, exchangeUrl, fetcher: http.fetcher, signer, logger, contractSdl: CONTRACT, settings });
  opened.push(admission, directory);
  admission.start();
  return { directory, admission };
}

describe('admission of PENDING communities', () => {
  it('admits a candidate serving the contract, asked as the gateway service, and routes to it without waiting for a refresh', async () => {
    const seen: Viewer[] = [];
    exchange.communities = [{ id: 'partner-a', status: 'PENDING', endpoint: await candidate(CONTRACT, seen) }];
    const { directory } = await start();
    await vi.waitFor(() => expect(directory.lookup('partner-a')).toMatchObject({ kind: 'instance' }), { timeout: 5000 });
    expect(exchange.admissions).toEqual([{ id: 'partner-a', accepted: true, reasons: [] }]);
    expect(seen).toEqual([{ userId: 'gateway', homeCommunityId: null, roles: [Role.SERVICE] }]);
  });

  it('rejects a candidate that breaks the contract with one readable reason per finding, and never routes to it', async () => {
    const broken = CONTRACT.replace('hold(communityId: ID!, bookingRef: ID!): ResourceHold', 'hold(bookingRef: ID!): ResourceHold');
    exchange.communities = [{ id: 'partner-b', status: 'PENDING', endpoint: await candidate(broken) }];
    const { directory } = await start();
    await vi.waitFor(() => expect(exchange.admissions).toHaveLength(1), { timeout: 5000 });
    expect(exchange.admissions[0]).toEqual({
      id: 'partner-b',
      accepted: false,
      reasons: ['Query.hold(communityId): 缺少参数（应为 ID!） (missing argument (should be ID!))'],
    });
    await vi.waitFor(() => expect(directory.lookup('partner-b')).toEqual({ kind: 'unavailable', communityId: 'partner-b', reason: 'REJECTED' }));
  });

  it('records at most MAX_REASONS findings for a schema that is nothing like the contract, saying how many more there are', async () => {
    exchange.communities = [{ id: 'partner-f', status: 'PENDING', endpoint: await candidate('type Query { hello: String }') }];
    await start();
    await vi.waitFor(() => expect(exchange.admissions).toHaveLength(1), { timeout: 5000 });
    const { reasons } = exchange.admissions[0]!;
    expect(reasons).toHaveLength(MAX_REASONS);
    expect(reasons.at(-1)).toMatch(/^…还有 \d+ 处不符.*\(…and \d+ more findings; run contract:check to see them all\)$/);
  });

  it('rejects an endpoint that never answers, after the configured attempts, with the health-check reason', async () => {
    exchange.communities = [{ id: 'partner-c', status: 'PENDING', endpoint: 'http://127.0.0.1:1/graphql' }];
    await start({ timeoutMs: 500, attempts: 3, retryMs: 20 });
    await vi.waitFor(() => expect(exchange.admissions).toHaveLength(1), { timeout: 5000 });
    expect(exchange.admissions[0]).toMatchObject({ id: 'partner-c', accepted: false });
    expect(exchange.admissions[0]!.reasons[0]).toMatch(/^健康检查失败.*\(health check failed: /);
  });

  it('reports the decision again when the exchange did not take it', async () => {
    exchange.refuseAdmissions = 2;
    exchange.communities = [{ id: 'partner-d', status: 'PENDING', endpoint: await candidate(CONTRACT) }];
    const { directory } = await start();
    await vi.waitFor(() => expect(directory.lookup('partner-d')).toMatchObject({ kind: 'instance' }), { timeout: 5000 });
    expect(exchange.refuseAdmissions).toBe(0);
  });
});

describe('announced directory changes', () => {
  it('takes a suspended community out of routing the moment the change is announced, before any read', async () => {
    exchange.communities = [{ id: 'qibao-a', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/graphql' }];
    const { directory } = await start();
    expect(directory.lookup('qibao-a')).toMatchObject({ kind: 'instance' });
    exchange.communities = [{ id: 'qibao-a', status: 'SUSPENDED', endpoint: 'http://127.0.0.1:4101/graphql' }];
    const reread = directory.announced('qibao-a', 'SUSPENDED');
    expect(directory.lookup('qibao-a')).toEqual({ kind: 'unavailable', communityId: 'qibao-a', reason: 'SUSPENDED' });
    await reread;
    expect(directory.lookup('qibao-a')).toEqual({ kind: 'unavailable', communityId: 'qibao-a', reason: 'SUSPENDED' });
  });

  it('routes to a community announced ACTIVE only once the exchange confirms it', async () => {
    exchange.communities = [{ id: 'partner-e', status: 'REJECTED', endpoint: 'http://127.0.0.1:4101/graphql' }];
    const { directory } = await start();
    const reread = directory.announced('partner-e', 'ACTIVE');
    expect(directory.lookup('partner-e')).toMatchObject({ kind: 'unavailable', reason: 'REJECTED' });
    await reread;
    expect(directory.lookup('partner-e')).toMatchObject({ kind: 'unavailable', reason: 'REJECTED' });
  });
});
