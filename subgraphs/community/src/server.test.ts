import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys, IDENTITY_HEADER, IdentitySigner, Role, SIGNATURE_HEADER, type Viewer } from '@linli/subgraph-kit';
import { startCommunity, type CommunityHarness, type GraphQLBody } from './test/harness.js';

/** Only the gateway may talk to a community subgraph: every request carries its signature. */
let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunity('test-auth');
});
afterAll(async () => {
  await h?.close();
});

const resident: Viewer = { userId: 'resident-1', homeCommunityId: 'test-auth', roles: [Role.RESIDENT] };
const QUERY = '{ resources(communityId: "test-auth") { edges { node { id } } } }';

async function post(headers: Record<string, string>): Promise<{ status: number; body: GraphQLBody<unknown> }> {
  const res = await fetch(h.subgraph.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLBody<unknown> };
}

function expectUnauthenticated(res: { status: number; body: GraphQLBody<unknown> }): void {
  expect(res.status).toBe(401);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  // The HTTP status is for the transport, not a detail the client should see.
  expect(res.body.errors?.[0]?.extensions).not.toHaveProperty('http');
}

describe('gateway signature', () => {
  it('answers a signed request', async () => {
    const res = await post(h.signer.headers(resident));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { resources: { edges: [] } } });
  });

  it('answers 401 UNAUTHENTICATED without the signature headers', async () => {
    expectUnauthenticated(await post({}));
  });

  it('answers 401 when only one of the two headers is present', async () => {
    const signed = h.signer.headers(resident);
    expectUnauthenticated(await post({ [IDENTITY_HEADER]: signed[IDENTITY_HEADER]! }));
    expectUnauthenticated(await post({ [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER]! }));
  });

  it('answers 401 for an identity altered after signing (a resident promoting itself to staff)', async () => {
    const signed = h.signer.headers(resident);
    const payload = JSON.parse(Buffer.from(signed[IDENTITY_HEADER]!, 'base64url').toString('utf8')) as { roles: Role[] };
    payload.roles = [Role.COMMUNITY_STAFF];
    const forged = Buffer.from(JSON.stringify(payload)).toString('base64url');
    expectUnauthenticated(await post({ ...signed, [IDENTITY_HEADER]: forged }));
  });

  it('answers 401 for a tampered signature', async () => {
    const signed = h.signer.headers(resident);
    const signature = Buffer.from(signed[SIGNATURE_HEADER]!, 'base64url');
    signature[0] = signature[0]! ^ 0xff;
    expectUnauthenticated(await post({ ...signed, [SIGNATURE_HEADER]: signature.toString('base64url') }));
  });

  it('answers 401 for a request signed with another key', async () => {
    const impostor = new IdentitySigner(generateSigningKeys().privateKeyPem);
    expectUnauthenticated(await post(impostor.headers(resident)));
  });

  it('answers 401 for a signature older than a minute', async () => {
    expectUnauthenticated(await post(h.signer.headers(resident, Date.now() - 2 * 60_000)));
  });

  it('serves /health without a signature, naming the community', async () => {
    const res = await fetch(new URL('/health', h.subgraph.server.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'community', communityId: 'test-auth' });
  });
});
