import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingInput, issue, myCredit, type Listed } from './test/bookings.js';
import { admissionDecided, Role, startE2E, type E2E } from './test/e2e.js';
import { untilSubscribed, wsConnect, type Subscriber, type WsConnection } from './test/live.js';
import { startPartnerSubgraph, type PartnerResource, type RunningPartner } from './test/partner/partner-subgraph.js';

/**
 * A partner community joins a running federation: a subgraph written only from the
 * community contract (plain @apollo/subgraph, see test/partner/) is registered, admitted by
 * the gateway's health and contract check, and books through the exchange's saga — while
 * a client's subscription stays open throughout. A partner with the contract wrong is
 * REJECTED with the reasons, and a suspended partner is out of routing at once.
 */
let e2e: E2E;
let partner: RunningPartner;
let wrongPartner: RunningPartner;
let ws: WsConnection;
let catalogue: Subscriber;

const PARTNER = 'partner-p';
const court: PartnerResource = { id: randomUUID(), name: '伙伴社区网球场', nameEn: 'Partner tennis court', kind: 'VENUE', capacity: 2, priceCreditsPerSlot: 4 };

const admin = () => e2e.token('fed-admin-partner', null, [Role.FEDERATION_ADMIN]);
const REGISTER = `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id status } }`;
const RESOURCE = `query($c: ID!, $id: ID!) { resource(communityId: $c, id: $id) { id name capacity communityId } }`;
const CATALOGUE = `subscription { listingPublished { title community { id } } }`;

function registration(id: string, endpoint: string) {
  return { id, name: `伙伴${id}社区`, nameEn: `Partner ${id}`, district: '闵行区', districtEn: 'Minhang District', street: '莘庄镇', streetEn: 'Xinzhuang Town', endpoint };
}

async function publishListing(communityId: string, resourceId: string, title: string, price = 0): Promise<string> {
  const staff = e2e.token(`staff-${communityId}`, communityId, [Role.COMMUNITY_STAFF]);
  const res = await e2e.gql<{ publishListing: { id: string } }>(
    `mutation($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
    { input: { communityId, resourceId, kind: 'VENUE', title, titleEn: title, priceCreditsPerSlot: price, idempotencyKey: `partner-test-${resourceId}` } },
    staff,
  );
  if (!res.data?.publishListing) throw new Error(`publishListing failed: ${JSON.stringify(res.errors)}`);
  return res.data.publishListing.id;
}

beforeAll(async () => {
  e2e = await startE2E('e2e_partner');
  partner = await startPartnerSubgraph({ communityId: PARTNER, gatewayPublicKeyPem: e2e.keys.publicKeyPem, resources: [court] });
  ws = wsConnect(e2e.federation.gatewayUrl);
  catalogue = ws.subscribe(CATALOGUE);
  await untilSubscribed(e2e.federation.gatewayUrl, 1);
}, 180_000);

afterAll(async () => {
  await ws?.close();
  await partner?.close();
  await wrongPartner?.close();
  await e2e?.close();
}, 60_000);

describe('a partner community joining at run time', () => {
  it('is PENDING when registered, then admitted and routable through the gateway in under 10 s', async () => {
    const started = performance.now();
    const registered = await e2e.gql(REGISTER, { input: registration(PARTNER, partner.url) }, admin());
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ registerCommunity: { id: PARTNER, status: 'PENDING' } });

    let routed: { resource: { name: string } | null } | null | undefined = null;
    while (!routed?.resource && performance.now() - started < 10_000) {
      routed = (await e2e.gql<{ resource: { name: string } | null }>(RESOURCE, { c: PARTNER, id: court.id })).data;
      if (!routed?.resource) await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`partner registered → routable through the gateway in ${seconds.toFixed(3)} s`);
    expect(routed?.resource).toEqual({ id: court.id, name: court.name, capacity: 2, communityId: PARTNER });
    expect(seconds).toBeLessThan(10);
    expect(await admissionDecided(e2e, PARTNER)).toEqual({ status: 'ACTIVE', rejectionReasons: null });
    expect(catalogue.completed).toBe(false);
  }, 30_000);

  it("books one of the partner's resources through the gateway: the saga holds and confirms it in the partner", async () => {
    const listingId = await publishListing(PARTNER, court.id, '伙伴社区网球场', court.priceCreditsPerSlot);
    expect(await catalogue.next((r) => JSON.stringify(r).includes('伙伴社区网球场'))).toEqual({
      data: { listingPublished: { title: '伙伴社区网球场', community: { id: PARTNER } } },
    });
    const listed: Listed = { communityId: PARTNER, resourceId: court.id, listingId };
    const resident = e2e.token('partner-guest', 'qibao-a', [Role.RESIDENT]);
    await issue(e2e, e2e.token('admin-a', 'qibao-a', [Role.COMMUNITY_ADMIN]), 'partner-guest', 20);

    const booked = await e2e.gql<{ bookSharedResource: { status: string; communityId: string; priceCredits: number; resource: { name: string } | null } }>(
      `mutation($input: BookSharedResourceInput!) { bookSharedResource(input: $input) { status communityId priceCredits resource { name } } }`,
      { input: { ...bookingInput(listed, { hoursAhead: 3 }), idempotencyKey: randomUUID() } },
      resident,
    );
    expect(booked.errors).toBeUndefined();
    expect(booked.data?.bookSharedResource).toEqual({ status: 'CONFIRMED', communityId: PARTNER, priceCredits: 4, resource: { name: court.name } });
    expect([...partner.holds.values()].map((h) => ({ resourceId: h.resourceId, status: h.status, quantity: h.quantity }))).toEqual([
      { resourceId: court.id, status: 'CONFIRMED', quantity: 1 },
    ]);
    expect(await myCredit(e2e, resident)).toMatchObject({ balance: 16, pending: 0 });
  }, 60_000);

  it('rejects a partner that got the contract wrong, with the reasons field by field, and never routes to it', async () => {
    wrongPartner = await startPartnerSubgraph({
      communityId: 'partner-q',
      gatewayPublicKeyPem: e2e.keys.publicKeyPem,
      resources: [court],
      // Keyed by id alone, without a capacity, and holds looked up without the community.
      sdl: (contract) =>
        contract
          .replace('type SharedResource\n  @key(fields: "communityId id")', 'type SharedResource\n  @key(fields: "id")')
          .replace(/(type SharedResource[^]*?)\n\s*"""容量[^\n]*\n\s*capacity: Int!/, '$1')
          .replace('hold(communityId: ID!, bookingRef: ID!): ResourceHold', 'hold(bookingRef: ID!): ResourceHold'),
    });
    const registered = await e2e.gql(REGISTER, { input: registration('partner-q', wrongPartner.url) }, admin());
    expect(registered.errors).toBeUndefined();

    const decided = await admissionDecided(e2e, 'partner-q');
    expect(decided.status).toBe('REJECTED');
    expect(decided.rejectionReasons).toEqual([
      'SharedResource: 应有 @key(fields: "communityId id")，实为 @key(fields: "id") (should have @key(fields: "communityId id"), has @key(fields: "id"))',
      'SharedResource.capacity: 缺少字段（应为 Int!） (missing field (should be Int!))',
      'Query.hold(communityId): 缺少参数（应为 ID!） (missing argument (should be ID!))',
    ]);
    const routed = await e2e.gql(RESOURCE, { c: 'partner-q', id: court.id });
    expect(routed.errors?.[0]?.extensions).toMatchObject({ code: 'COMMUNITY_UNAVAILABLE', communityId: 'partner-q' });
  }, 30_000);

  it('takes a suspended partner out of routing at once: the very next request gets COMMUNITY_UNAVAILABLE', async () => {
    const suspended = await e2e.gql(`mutation { suspendCommunity(id: "${PARTNER}") { id status } }`, {}, admin());
    expect(suspended.data).toEqual({ suspendCommunity: { id: PARTNER, status: 'SUSPENDED' } });
    const next = await e2e.gql<{ resource: unknown }>(RESOURCE, { c: PARTNER, id: court.id });
    expect(next.data?.resource ?? null).toBeNull();
    expect(next.errors?.[0]?.extensions).toMatchObject({ code: 'COMMUNITY_UNAVAILABLE', communityId: PARTNER });
  }, 30_000);

  it('kept the subscription opened before the partner joined open and delivering all along', async () => {
    await publishListing('qibao-a', randomUUID(), '伙伴加入之后的场地');
    expect(await catalogue.next((r) => JSON.stringify(r).includes('伙伴加入之后的场地'))).toEqual({
      data: { listingPublished: { title: '伙伴加入之后的场地', community: { id: 'qibao-a' } } },
    });
    expect(catalogue.completed).toBe(false);
    expect(catalogue.failures).toEqual([]);
  }, 30_000);
});
