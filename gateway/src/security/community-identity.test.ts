import { IdentityVerifier, Role } from '@linli/subgraph-kit/identity';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StaticDirectory, type DirectoryEntry, type JwkSet } from '../routing/directory.js';
import { FakeExchange } from '../test/fake-exchange.js';
import { CommunityFleet, CREATE_RESOURCE, resourceInput, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { mintDevToken } from './tokens.js';

/**
 * Communities' own identity providers, through a real gateway: qibao-a publishes its keys
 * inline in the directory, qibao-b at a JWKS URL (a local server here). What a subgraph
 * sees is read from two real community instances and from the exchange stand-in, which
 * records the identity the gateway signed for it.
 */
type Alg = 'ES256' | 'RS256' | 'EdDSA';

interface TestIdp {
  issuer: string;
  jwks: JwkSet;
  /** Signs `claims` (default: a resident of `community`) as this provider, valid for an hour. */
  sign(claims: JWTPayload, options?: { expiresIn?: string | null; alg?: string }): Promise<string>;
}

async function identityProvider(issuer: string, alg: Alg): Promise<TestIdp> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = randomUUID();
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] };
  return {
    issuer,
    jwks,
    sign: (claims, options = {}) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg, kid }).setIssuer(issuer).setAudience('linli').setIssuedAt();
      if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '1h');
      return jwt.sign(privateKey);
    },
  };
}

/** Serves a JWKS at /jwks.json; counts requests; can be told to hang. */
class JwksServer {
  jwks: JwkSet = { keys: [] };
  requests = 0;
  hang = false;
  private readonly server: Server = createServer((_req, res) => {
    this.requests += 1;
    if (this.hang) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const fleet = new CommunityFleet();
const exchange = new FakeExchange(new IdentityVerifier(fleet.keys.publicKeyPem));
const jwksServer = new JwksServer();
const hangingJwks = new JwksServer();
let gw: GatewayUnderTest;
let directory: StaticDirectory;
let entries: DirectoryEntry[];
let idpA: TestIdp;
let idpB: TestIdp;
let idpSuspended: TestIdp;
let idpPending: TestIdp;
let idpSlow: TestIdp;

const VOLUNTEER = `mutation($c: ID!) { registerVolunteer(communityId: $c, input: { displayName: "小王", skills: [HOME_CARE], availability: "周末" }) { userId } }`;
/** Goes to the exchange stand-in, which records the viewer it was sent. */
const COMMUNITIES = `{ communities { id } }`;

beforeAll(async () => {
  const [a, b] = await Promise.all([fleet.start('qibao-a'), fleet.start('qibao-b')]);
  [idpA, idpB, idpSuspended, idpPending, idpSlow] = await Promise.all([
    identityProvider('https://idp.qibao-a.example', 'ES256'),
    identityProvider('https://idp.qibao-b.example', 'RS256'),
    identityProvider('https://idp.qibao-c.example', 'EdDSA'),
    identityProvider('https://idp.qibao-d.example', 'ES256'),
    identityProvider('https://idp.qibao-e.example', 'ES256'),
  ]);
  jwksServer.jwks = idpB.jwks;
  hangingJwks.hang = true;
  const [jwksUri, hangingUri, exchangeUrl] = await Promise.all([jwksServer.start(), hangingJwks.start(), exchange.start()]);
  entries = [
    { id: 'qibao-a', status: 'ACTIVE', endpoint: a.url, issuer: idpA.issuer, jwks: idpA.jwks },
    { id: 'qibao-b', status: 'ACTIVE', endpoint: b.url, issuer: idpB.issuer, jwksUri },
    { id: 'qibao-c', status: 'SUSPENDED', endpoint: 'http://127.0.0.1:1/graphql', issuer: idpSuspended.issuer, jwks: idpSuspended.jwks },
    { id: 'qibao-d', status: 'PENDING', endpoint: 'http://127.0.0.1:1/graphql', issuer: idpPending.issuer, jwks: idpPending.jwks },
    { id: 'qibao-e', status: 'ACTIVE', endpoint: 'http://127.0.0.1:1/graphql', issuer: idpSlow.issuer, jwksUri: hangingUri },
  ];
  directory = new StaticDirectory(entries);
  exchange.communities = [{ id: 'qibao-a', status: 'ACTIVE', endpoint: a.url }];
  gw = await startGateway(fleet, { directory, config: { exchangeUrl, jwksTimeoutMs: 300 } });
}, 60_000);

beforeEach(() => {
  directory.set(entries);
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([fleet.close(), exchange.close(), jwksServer.close(), hangingJwks.close()]);
});

async function refusal(token: string): Promise<{ status: number; code: unknown; message: string | undefined }> {
  const res = await gw.request(COMMUNITIES, {}, token);
  return { status: res.status, code: res.body.errors?.[0]?.extensions?.code, message: res.body.errors?.[0]?.message };
}

/** What the gateway answers a token it cannot read at all: every refusal must look the same. */
async function opaqueRefusal() {
  return refusal('not-a-token');
}

describe('tokens from a community identity provider', () => {
  it('are accepted, and the subgraphs see a user of that community with its roles', async () => {
    const token = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT, Role.VOLUNTEER] });
    const res = await gw.request<{ registerVolunteer: { userId: string } }>(VOLUNTEER, { c: 'qibao-a' }, token);
    expect(res.body.errors).toBeUndefined();
    // Qualified by the community: no provider can speak for a user of another community.
    expect(res.body.data?.registerVolunteer.userId).toBe('qibao-a:alice');

    const seen = await gw.request(COMMUNITIES, {}, token);
    expect(seen.body.errors).toBeUndefined();
    expect(exchange.viewers.at(-1)).toEqual({ userId: 'qibao-a:alice', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT, Role.VOLUNTEER] });
  });

  it('are verified with keys fetched from the jwksUri, fetched once and then cached', async () => {
    const before = jwksServer.requests;
    for (const sub of ['bob', 'carol', 'dave']) {
      const token = await idpB.sign({ sub, community: 'qibao-b', roles: [Role.RESIDENT] });
      const res = await gw.request(COMMUNITIES, {}, token);
      expect(res.body.errors).toBeUndefined();
      expect(exchange.viewers.at(-1)).toEqual({ userId: `qibao-b:${sub}`, homeCommunityId: 'qibao-b', roles: [Role.RESIDENT] });
    }
    expect(jwksServer.requests - before).toBeLessThanOrEqual(1);
  });

  it('refuse a token whose issuer no community registered, as opaquely as a garbage token', async () => {
    const stranger = await identityProvider('https://idp.nowhere.example', 'ES256');
    const refused = await refusal(await stranger.sign({ sub: 'eve', community: 'qibao-a', roles: [Role.RESIDENT] }));
    expect(refused).toEqual({ ...(await opaqueRefusal()), status: 401 });
    expect(refused.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['SUSPENDED', () => idpSuspended, 'qibao-c'],
    ['PENDING', () => idpPending, 'qibao-d'],
  ])('refuse the issuer of a %s community', async (_status, idp, community) => {
    const refused = await refusal(await idp().sign({ sub: 'frank', community, roles: [Role.RESIDENT] }));
    expect(refused).toEqual({ ...(await opaqueRefusal()), status: 401 });
  });

  it('refuse a token whose home community is not the issuer’s, or that names none', async () => {
    expect((await refusal(await idpA.sign({ sub: 'alice', community: 'qibao-b', roles: [Role.RESIDENT] }))).code).toBe('UNAUTHENTICATED');
    expect((await refusal(await idpA.sign({ sub: 'alice', roles: [Role.RESIDENT] }))).code).toBe('UNAUTHENTICATED');
  });

  it('refuse a token signed with a key that is not the community’s', async () => {
    const impostor = await identityProvider(idpA.issuer, 'ES256');
    const refused = await refusal(await impostor.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.COMMUNITY_ADMIN] }));
    expect(refused).toEqual({ ...(await opaqueRefusal()), status: 401 });
  });

  it('refuse an HS256 token for a community issuer, even when signed with the gateway’s own secret', async () => {
    const confused = mintDevToken(gw.config.jwtSecret, { userId: 'alice', homeCommunityId: 'qibao-a', roles: [Role.COMMUNITY_ADMIN] }, { issuer: idpA.issuer });
    expect((await refusal(confused)).status).toBe(401);
  });

  it('refuse an expired token and a token without expiry', async () => {
    expect((await refusal(await idpA.sign({ sub: 'alice', community: 'qibao-a' }, { expiresIn: '-1m' }))).status).toBe(401);
    expect((await refusal(await idpA.sign({ sub: 'alice', community: 'qibao-a' }, { expiresIn: null }))).status).toBe(401);
  });

  it('do not carry FEDERATION_ADMIN or SERVICE: a community cannot grant federation-wide powers', async () => {
    const token = await idpA.sign({ sub: 'mallory', community: 'qibao-a', roles: [Role.FEDERATION_ADMIN, Role.SERVICE, Role.COMMUNITY_ADMIN] });
    const res = await gw.request(COMMUNITIES, {}, token);
    expect(res.body.errors).toBeUndefined();
    expect(exchange.viewers.at(-1)).toEqual({ userId: 'qibao-a:mallory', homeCommunityId: 'qibao-a', roles: [Role.COMMUNITY_ADMIN] });
  });

  it('make staff only of the home community: qibao-a’s staff create at home, are FORBIDDEN at qibao-b', async () => {
    const token = await idpA.sign({ sub: 'staff-1', community: 'qibao-a', roles: [Role.COMMUNITY_STAFF] });
    const home = await gw.request<{ createResource: { communityId: string } }>(CREATE_RESOURCE, { communityId: 'qibao-a', input: resourceInput('活动室 Room') }, token);
    expect(home.body.errors).toBeUndefined();
    expect(home.body.data?.createResource.communityId).toBe('qibao-a');
    const away = await gw.request(CREATE_RESOURCE, { communityId: 'qibao-b', input: resourceInput('活动室 Room') }, token);
    expect(away.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('are refused from the moment the community is suspended, and accepted again when it is reactivated', async () => {
    const token = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT] });
    expect((await gw.request(COMMUNITIES, {}, token)).status).toBe(200);
    directory.set(entries.map((e) => (e.id === 'qibao-a' ? { ...e, status: 'SUSPENDED' } : e)));
    expect(await refusal(token)).toEqual({ ...(await opaqueRefusal()), status: 401 });
    directory.set(entries);
    expect((await gw.request(COMMUNITIES, {}, token)).status).toBe(200);
  });

  it('follow a key change in the directory: the new key is accepted, the old one no longer', async () => {
    const oldToken = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT] });
    const rotated = await identityProvider(idpA.issuer, 'EdDSA');
    directory.set(entries.map((e) => (e.id === 'qibao-a' ? { ...e, jwks: rotated.jwks } : e)));
    expect((await gw.request(COMMUNITIES, {}, await rotated.sign({ sub: 'alice', community: 'qibao-a' }))).status).toBe(200);
    expect((await refusal(oldToken)).status).toBe(401);
  });

  it('refuse an issuer that two communities registered', async () => {
    directory.set([...entries, { id: 'qibao-f', status: 'ACTIVE', endpoint: 'http://127.0.0.1:1/graphql', issuer: idpA.issuer, jwks: idpA.jwks }]);
    expect((await refusal(await idpA.sign({ sub: 'alice', community: 'qibao-a' }))).status).toBe(401);
  });

  it('are refused, not left waiting, when the provider’s JWKS URL does not answer in time', async () => {
    const started = Date.now();
    expect((await refusal(await idpSlow.sign({ sub: 'gina', community: 'qibao-e' }))).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hangingJwks.requests).toBeGreaterThanOrEqual(1);
  });

  it('open live connections, and an unknown issuer closes one with 4401', async () => {
    const accepted = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT] });
    const stranger = await identityProvider('https://idp.nowhere.example', 'ES256');
    const refused = await stranger.sign({ sub: 'eve', community: 'qibao-a' });
    const connect = (token: string) =>
      new Promise<{ connected: boolean; code?: number }>((resolve) => {
        const c = liveClient(token, {
          connected: () => {
            resolve({ connected: true });
            void c.dispose();
          },
          closed: (e) => resolve({ connected: false, code: (e as { code: number }).code }),
        });
      });
    expect(await connect(accepted)).toEqual({ connected: true });
    expect(await connect(refused)).toEqual({ connected: false, code: 4401 });
  });
});

/** A graphql-ws client of the gateway that connects at once with `token` and never retries. */
function liveClient(token: string, on: ClientOptions['on']): Client {
  return createClient({
    url: gw.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    connectionParams: { authorization: `Bearer ${token}` },
    on,
  });
}

/** What `settles` gives within `ms`, else 'still open'. */
function within<T>(ms: number, settles: Promise<T>): Promise<T | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), ms)));
  return Promise.race([settles, late]).finally(() => clearTimeout(timer));
}

describe('live connections opened with a community token', () => {
  const LISTINGS = `subscription { listingPublished { id } }`;

  it('a WebSocket closes with 4401 as soon as the community is suspended', async () => {
    const token = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT] });
    let connected: () => void = () => {};
    const opened = new Promise<void>((resolve) => (connected = resolve));
    const closed = new Promise<number>((resolve) => {
      const c = liveClient(token, { connected: () => connected(), closed: (e) => resolve((e as { code: number }).code) });
      c.subscribe({ query: LISTINGS }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    await opened;
    // Another community's change leaves it open; its own suspension closes it.
    directory.set(entries.map((e) => (e.id === 'qibao-b' ? { ...e, status: 'SUSPENDED' } : e)));
    expect(await within(200, closed)).toBe('still open');
    directory.set(entries.map((e) => (e.id === 'qibao-a' ? { ...e, status: 'SUSPENDED' } : e)));
    expect(await within(2_000, closed)).toBe(4401);
  });

  it('an SSE stream ends as soon as the community is suspended', async () => {
    const token = await idpA.sign({ sub: 'alice', community: 'qibao-a', roles: [Role.RESIDENT] });
    const res = await fetch(gw.gateway.streamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: LISTINGS }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const ended = (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {
        // A destroyed stream is an end too.
      }
      return 'ended';
    })();
    await expect.poll(() => gw.gateway.live.metrics().connections.sse).toBe(1);
    directory.set(entries.map((e) => (e.id === 'qibao-a' ? { ...e, status: 'SUSPENDED' } : e)));
    expect(await within(2_000, ended)).toBe('ended');
  });
});

describe('the gateway’s own issuer', () => {
  it('still works beside community issuers, its ids unqualified and its roles as given', async () => {
    const token = mintDevToken(gw.config.jwtSecret, { userId: 'fed-admin', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] });
    const res = await gw.request(COMMUNITIES, {}, token);
    expect(res.body.errors).toBeUndefined();
    expect(exchange.viewers.at(-1)).toEqual({ userId: 'fed-admin', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] });
  });
});
