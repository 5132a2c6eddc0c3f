import { generateSigningKeys, IdentitySigner, Role } from '@linli/subgraph-kit/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityFleet, CREATE_RESOURCE, postGraphQL, resourceInput, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { mintDevToken, TokenVerifier } from './tokens.js';

const fleet = new CommunityFleet();
let gw: GatewayUnderTest;
const LIST = `{ resources(communityId: "qibao-a") { edges { node { name } } } }`;

beforeAll(async () => {
  await fleet.start('qibao-a');
  gw = await startGateway(fleet);
});

afterAll(async () => {
  await gw?.close();
  await fleet.close();
});

describe('gateway identity', () => {
  it('serves an anonymous visitor without a token', async () => {
    const res = await gw.request(LIST);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it.each([
    ['garbage', () => 'not-a-token'],
    ['another secret', () => mintDevToken('x'.repeat(40), { userId: 'u', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT] })],
    ['an expired token', () => mintDevToken(gw.config.jwtSecret, { userId: 'u', homeCommunityId: null, roles: [] }, { ttlSeconds: -60 })],
    ['another issuer', () => mintDevToken(gw.config.jwtSecret, { userId: 'u', homeCommunityId: null, roles: [] }, { issuer: 'elsewhere' })],
  ])('answers 401 UNAUTHENTICATED for %s', async (_label, token) => {
    const res = await gw.request(LIST, {}, token());
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    const res = await postGraphQL(gw.gateway.url, LIST, {}, undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph refuses a request that does not come through the gateway', async () => {
    const direct = await postGraphQL(fleet.communities.get('qibao-a')?.url ?? '', LIST);
    expect(direct.status).toBe(401);
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('does not pass identity headers from the client on: a forged staff identity gets FORBIDDEN', async () => {
    const forger = new IdentitySigner(generateSigningKeys().privateKeyPem);
    const forged = forger.headers({ userId: 'mallory', homeCommunityId: 'qibao-a', roles: [Role.COMMUNITY_ADMIN] });
    const res = await postGraphQL(gw.gateway.url, CREATE_RESOURCE, { communityId: 'qibao-a', input: resourceInput('伪造 Forged') }, undefined, forged);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tokens', () => {
  const secret = 's'.repeat(32);

  it('reads user, home community and known roles from a token, dropping unknown roles', async () => {
    const token = mintDevToken(secret, { userId: 'resident-1', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT, 'WIZARD' as Role] });
    expect(await new TokenVerifier({ secret }).viewer(`Bearer ${token}`)).toEqual({
      userId: 'resident-1',
      homeCommunityId: 'qibao-a',
      roles: [Role.RESIDENT],
    });
  });

  it('gives a federation-level user no home community', async () => {
    const token = mintDevToken(secret, { userId: 'fed-admin', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] });
    expect(await new TokenVerifier({ secret }).viewer(`Bearer ${token}`)).toMatchObject({ homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] });
  });
});
