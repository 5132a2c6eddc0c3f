import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityEndpoint } from './federation.js';
import { freePort } from './ports.js';
import { eventually, must } from './test/community.js';
import { Role, startE2E, type E2E } from './test/e2e.js';

/**
 * Federated identity end to end, every service a real process: a community joins with its
 * own identity provider (issuer + JWKS registered in the exchange's directory), and the
 * gateway takes that provider's tokens for its residents — and only while it is ACTIVE.
 */
const ID = 'xinzhuang-idp';
const ISSUER = 'https://idp.xinzhuang.example';
let e2e: E2E;
let sign: (claims: JWTPayload) => Promise<string>;

const fedAdmin = () => e2e.token('fed-admin', null, [Role.FEDERATION_ADMIN]);
const VOLUNTEER = `mutation($c: ID!) { registerVolunteer(communityId: $c, input: { displayName: "小李", skills: [HOME_CARE], availability: "周末" }) { userId } }`;
const STATUS = `query($id: ID!) { community(id: $id) { status } }`;

beforeAll(async () => {
  // A short refresh period: the gateway sees admission and suspension within a second.
  e2e = await startE2E('e2e_identity', { gatewayEnv: { DIRECTORY_REFRESH_MS: '300' } });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(ISSUER).setAudience('linli').setIssuedAt().setExpirationTime('1h').sign(privateKey);

  const port = await freePort();
  await e2e.federation.startCommunity({ id: ID, port, databaseUrl: await e2e.database(ID) });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  await must(
    e2e,
    `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id status } }`,
    {
      input: { id: ID, name: '莘庄测试社区', nameEn: 'Xinzhuang test', district: '闵行区', districtEn: 'Minhang', street: '莘庄镇', streetEn: 'Xinzhuang', endpoint: communityEndpoint(port), issuer: ISSUER, jwks },
    },
    fedAdmin(),
  );
  // The gateway's admission check admits a community running the contract; deciding it here
  // as well (a no-op once decided) keeps this test about identity, not about admission.
  await must(e2e, `mutation($id: ID!) { recordAdmission(id: $id, accepted: true) { status } }`, { id: ID }, e2e.token('gateway', null, [Role.SERVICE]));
  await eventually(() => must<{ community: { status: string } }>(e2e, STATUS, { id: ID }, fedAdmin()), (d) => d.community.status === 'ACTIVE');
}, 240_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

describe('a community with its own identity provider', () => {
  it('signs in its residents at the gateway, and the community sees them as its own', async () => {
    const token = await sign({ sub: 'li', community: ID, roles: [Role.RESIDENT] });
    const res = await eventually(() => e2e.gql<{ registerVolunteer: { userId: string } }>(VOLUNTEER, { c: ID }, token), (r) => r.status === 200, 10_000);
    expect(res.errors).toBeUndefined();
    expect(res.data?.registerVolunteer.userId).toBe(`${ID}:li`);
  });

  it('cannot make anyone a federation admin: the exchange refuses its "admin" a registration', async () => {
    const token = await sign({ sub: 'mallory', community: ID, roles: [Role.FEDERATION_ADMIN, Role.SERVICE] });
    const res = await e2e.gql(`mutation { suspendCommunity(id: "qibao-a") { status } }`, {}, token);
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const qibaoA = await must<{ community: { status: string } }>(e2e, STATUS, { id: 'qibao-a' }, fedAdmin());
    expect(qibaoA.community.status).toBe('ACTIVE');
  });

  it('has its tokens refused once it is suspended', async () => {
    const token = await sign({ sub: 'li', community: ID, roles: [Role.RESIDENT] });
    await must(e2e, `mutation($id: ID!) { suspendCommunity(id: $id) { status } }`, { id: ID }, fedAdmin());
    const refused = await eventually(() => e2e.gql(`{ myAccounts { unit } }`, {}, token), (r) => r.status === 401, 10_000);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

it('the gateway refuses a token from an issuer no community registered', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const token = await new SignJWT({ sub: 'eve', community: 'qibao-a', roles: [Role.RESIDENT] })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('https://idp.unknown.example')
    .setAudience('linli')
    .setExpirationTime('1h')
    .sign(privateKey);
  const res = await e2e.gql(`{ myAccounts { unit } }`, {}, token);
  expect(res.status).toBe(401);
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});
