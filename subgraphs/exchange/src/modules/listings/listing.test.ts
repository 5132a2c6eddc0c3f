import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registration, viewers, type ExchangeHarness, startExchange } from '../../test/harness.js';
import { listingInput, publish, published, type ListingData } from '../../test/listings.js';
import { Listing } from './listing.entity.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_listings');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' }, { id: 'qibao-c' });
});
afterAll(async () => {
  await h?.close();
});

const WITHDRAW = `mutation($id: ID!) { withdrawListing(id: $id) { id status withdrawnAt } }`;
const LISTING = `query($id: ID!) { listing(id: $id) { id status withdrawnAt community { id name } resource { communityId id } } }`;
const CATALOGUE_IDS = `query($c: ID) { listings(first: 100, filter: { communityId: $c }) { edges { node { id } } } }`;

async function catalogueIds(communityId?: string): Promise<string[]> {
  const res = await h.request<{ listings: { edges: Array<{ node: { id: string } }> } }>(CATALOGUE_IDS, { c: communityId ?? null });
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.listings.edges.map((e) => e.node.id) ?? [];
}

function rowsFor(resourceId: string): Promise<number> {
  return h.subgraph.orm.em.fork().count(Listing, { resourceId });
}

describe('publishing a listing', () => {
  it('lets staff of a community publish one of its resources, which then shows in the catalogue', async () => {
    const input = listingInput('qibao-a', {
      kind: 'EDUCATION_SEATS',
      title: '幼儿园托班名额',
      titleEn: 'Kindergarten nursery seats',
      summary: '每周一至周五上午',
      summaryEn: 'Weekday mornings',
      priceCreditsPerSlot: 0,
      availableFrom: '2030-01-01T00:00:00.000Z',
      availableTo: '2030-07-01T00:00:00.000Z',
    });
    const body = await publish(h, input);
    expect(body.errors).toBeUndefined();
    expect(body.data?.publishListing).toMatchObject({
      communityId: 'qibao-a',
      resourceId: input.resourceId,
      kind: 'EDUCATION_SEATS',
      title: '幼儿园托班名额',
      summaryEn: 'Weekday mornings',
      priceCreditsPerSlot: 0,
      bookableBy: 'ALL_COMMUNITIES',
      allowedCommunityIds: [],
      availableFrom: '2030-01-01T00:00:00.000Z',
      availableTo: '2030-07-01T00:00:00.000Z',
      status: 'PUBLISHED',
      withdrawnAt: null,
    });
    const id = body.data?.publishListing.id ?? '';
    expect(await catalogueIds('qibao-a')).toContain(id);
    const one = await h.request<{ listing: Record<string, unknown> }>(LISTING, { id });
    expect(one.body.data?.listing).toMatchObject({
      id,
      status: 'PUBLISHED',
      community: { id: 'qibao-a', name: '七宝qibao-a社区' },
      resource: { communityId: 'qibao-a', id: input.resourceId },
    });
  });

  it('starts the offer now and leaves it open-ended when no period is given', async () => {
    const before = Date.now();
    const listing = await published(h, listingInput('qibao-a'));
    expect(Date.parse(listing.availableFrom)).toBeGreaterThanOrEqual(before - 1000);
    expect(listing.availableTo).toBeNull();
  });

  it('publishes for selected communities only with their ids', async () => {
    const listing = await published(h, listingInput('qibao-a', { bookableBy: 'SELECTED_COMMUNITIES', allowedCommunityIds: ['qibao-c', 'qibao-b'] }));
    expect(listing.bookableBy).toBe('SELECTED_COMMUNITIES');
    expect(listing.allowedCommunityIds).toEqual(['qibao-b', 'qibao-c']);
  });

  it('answers FORBIDDEN to a resident, to staff of another community and to a federation admin, and writes nothing', async () => {
    const input = listingInput('qibao-b');
    for (const viewer of [viewers.resident('qibao-b'), viewers.staff('qibao-a'), viewers.federationAdmin]) {
      const body = await publish(h, input, viewer);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', communityId: 'qibao-b' });
    }
    expect(await rowsFor(String(input.resourceId))).toBe(0);
  });

  it('answers UNAUTHENTICATED to an anonymous visitor', async () => {
    const body = await publish(h, listingInput('qibao-a'), viewers.anonymous);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers BAD_USER_INPUT when the community is not registered', async () => {
    const body = await publish(h, listingInput('nowhere'));
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', communityId: 'nowhere', reason: 'UNKNOWN' });
  });
});

describe('retrying and conflicting publications', () => {
  it('returns the first listing for a retry with the same idempotency key and keeps one row', async () => {
    const input = listingInput('qibao-a');
    const first = await published(h, input);
    const retry = await publish(h, { ...input, title: '改过的标题' });
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.publishListing).toEqual(first);
    expect(await rowsFor(String(input.resourceId))).toBe(1);
  });

  it('publishes once when identical requests arrive at the same moment', async () => {
    const input = listingInput('qibao-a');
    const bodies = await Promise.all(Array.from({ length: 5 }, () => publish(h, input)));
    for (const body of bodies) expect(body.errors).toBeUndefined();
    expect(new Set(bodies.map((b) => b.data?.publishListing.id)).size).toBe(1);
    expect(await rowsFor(String(input.resourceId))).toBe(1);
  });

  it('answers CONFLICT for a second listing of the same resource under another key, naming the first', async () => {
    const input = listingInput('qibao-b');
    const first = await published(h, input);
    const second = await publish(h, { ...input, idempotencyKey: 'another-key-for-b' });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', listingId: first.id, resourceId: input.resourceId });
    expect(await rowsFor(String(input.resourceId))).toBe(1);
  });

  it('lets the same resource of two communities be listed by each', async () => {
    const resourceId = 'shared-looking-id';
    await published(h, listingInput('qibao-a', { resourceId }));
    await published(h, listingInput('qibao-b', { resourceId }));
    expect(await rowsFor(resourceId)).toBe(2);
  });

  it('answers CONFLICT when an idempotency key is reused for another resource', async () => {
    const first = listingInput('qibao-a');
    await published(h, first);
    const body = await publish(h, listingInput('qibao-a', { idempotencyKey: first.idempotencyKey }));
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', argument: 'idempotencyKey' });
  });

  it('does not hand another community the listing behind a reused key', async () => {
    const first = listingInput('qibao-a');
    await published(h, first);
    const body = await publish(h, listingInput('qibao-b', { resourceId: first.resourceId, idempotencyKey: first.idempotencyKey }));
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('validating a publication', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['availableFrom after availableTo', { availableFrom: '2030-02-01T00:00:00Z', availableTo: '2030-01-01T00:00:00Z' }],
    ['availableFrom equal to availableTo', { availableFrom: '2030-02-01T00:00:00Z', availableTo: '2030-02-01T00:00:00Z' }],
    ['an offer that has already ended', { availableFrom: '2020-01-01T00:00:00Z', availableTo: '2020-02-01T00:00:00Z' }],
    ['SELECTED_COMMUNITIES without communities', { bookableBy: 'SELECTED_COMMUNITIES', allowedCommunityIds: [] }],
    ['SELECTED_COMMUNITIES with an unregistered community', { bookableBy: 'SELECTED_COMMUNITIES', allowedCommunityIds: ['nowhere'] }],
    ['communities given for ALL_COMMUNITIES', { allowedCommunityIds: ['qibao-b'] }],
    ['a repeated allowed community', { bookableBy: 'SELECTED_COMMUNITIES', allowedCommunityIds: ['qibao-b', 'qibao-b'] }],
    ['a short idempotency key', { idempotencyKey: 'short' }],
    ['an empty title', { title: '' }],
    ['a title over 100 characters', { title: '长'.repeat(101) }],
    ['a negative price', { priceCreditsPerSlot: -1 }],
    ['a malformed community id', { communityId: 'Qibao A' }],
  ];
  it.each(cases)('answers BAD_USER_INPUT for %s, and writes nothing', async (_name, overrides) => {
    const input = listingInput('qibao-a', overrides);
    const body = await publish(h, input, viewers.staff('qibao-a'));
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowsFor(String(input.resourceId))).toBe(0);
  });
});

describe('withdrawing a listing', () => {
  it('hides it from the catalogue, keeps it readable by id, and is idempotent', async () => {
    const listing = await published(h, listingInput('qibao-c'));
    const first = await h.request<{ withdrawListing: ListingData }>(WITHDRAW, { id: listing.id }, viewers.staff('qibao-c'));
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.withdrawListing.status).toBe('WITHDRAWN');
    expect(first.body.data?.withdrawListing.withdrawnAt).not.toBeNull();
    const again = await h.request<{ withdrawListing: ListingData }>(WITHDRAW, { id: listing.id }, viewers.staff('qibao-c'));
    expect(again.body.data?.withdrawListing).toEqual(first.body.data?.withdrawListing);
    expect(await catalogueIds('qibao-c')).not.toContain(listing.id);
    const byId = await h.request<{ listing: { status: string } }>(LISTING, { id: listing.id });
    expect(byId.body.data?.listing.status).toBe('WITHDRAWN');
  });

  it('keeps one withdrawal time when several withdrawals arrive at the same moment', async () => {
    const listing = await published(h, listingInput('qibao-c'));
    const results = await Promise.all(
      [1, 2, 3].map(() => h.request<{ withdrawListing: ListingData }>(WITHDRAW, { id: listing.id }, viewers.staff('qibao-c'))),
    );
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.body.data?.withdrawListing.withdrawnAt)).size).toBe(1);
  });

  it('lets the resource be published again after its listing is withdrawn', async () => {
    const input = listingInput('qibao-c');
    const first = await published(h, input);
    await h.request(WITHDRAW, { id: first.id }, viewers.staff('qibao-c'));
    const again = await published(h, { ...input, idempotencyKey: `${String(input.idempotencyKey)}-2` });
    expect(again.id).not.toBe(first.id);
    expect(await catalogueIds('qibao-c')).toContain(again.id);
  });

  it('answers FORBIDDEN to residents and to staff of another community, UNAUTHENTICATED to anonymous visitors', async () => {
    const listing = await published(h, listingInput('qibao-c'));
    for (const viewer of [viewers.resident('qibao-c'), viewers.staff('qibao-a')]) {
      const res = await h.request(WITHDRAW, { id: listing.id }, viewer);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await h.request(WITHDRAW, { id: listing.id }, viewers.anonymous);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await catalogueIds('qibao-c')).toContain(listing.id);
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await h.request(WITHDRAW, { id }, viewers.staff('qibao-c'));
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});

describe('listings of a suspended community', () => {
  it('disappear from the catalogue while it is suspended, cannot be added to, and return on reactivation', async () => {
    await h.register({ id: 'pause-b' });
    const listing = await published(h, listingInput('pause-b'));
    await h.request(`mutation { suspendCommunity(id: "pause-b") { id } }`, {}, viewers.federationAdmin);
    expect(await catalogueIds()).not.toContain(listing.id);
    expect(await catalogueIds('pause-b')).toEqual([]);
    const blocked = await publish(h, listingInput('pause-b'));
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SUSPENDED' });
    await h.request(`mutation { reactivateCommunity(id: "pause-b") { id } }`, {}, viewers.federationAdmin);
    expect(await catalogueIds('pause-b')).toEqual([listing.id]);
  });
});

describe('listings of a community that has not passed admission', () => {
  it('cannot be published, and the refusal says the community is waiting for admission, not suspended', async () => {
    const registered = await h.request(`mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { status } }`, { input: registration('wait-c') }, viewers.federationAdmin);
    expect(registered.body.data).toEqual({ registerCommunity: { status: 'PENDING' } });
    const blocked = await publish(h, listingInput('wait-c'));
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PENDING', communityId: 'wait-c' });
    expect(blocked.errors?.[0]?.message).toBe('社区 wait-c 尚未通过接入审核 (Community wait-c has not passed admission yet)');
  });
});

describe('reading one listing', () => {
  it('answers null for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await h.request<{ listing: null }>(LISTING, { id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.listing).toBeNull();
    }
  });
});

describe('resolving Listing references', () => {
  it('resolves many representations with one SQL query, null for unknown ids, in the order asked', async () => {
    const a = await published(h, listingInput('qibao-a'));
    const b = await published(h, listingInput('qibao-b'));
    const execute = vi.spyOn(h.subgraph.orm.em.getConnection(), 'execute');
    try {
      const res = await h.request<{ _entities: Array<{ id: string; communityId: string; resource: { communityId: string; id: string } } | null> }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Listing { id communityId resource { communityId id } } } }`,
        {
          r: [
            { __typename: 'Listing', id: b.id },
            { __typename: 'Listing', id: '00000000-0000-4000-8000-000000000000' },
            { __typename: 'Listing', id: 'not-a-uuid' },
            { __typename: 'Listing', id: a.id },
          ],
        },
        viewers.gateway,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?._entities).toEqual([
        { id: b.id, communityId: 'qibao-b', resource: { communityId: 'qibao-b', id: b.resourceId } },
        null,
        null,
        { id: a.id, communityId: 'qibao-a', resource: { communityId: 'qibao-a', id: a.resourceId } },
      ]);
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
  });

  it('resolves the communities of a page of listings with one SQL query', async () => {
    const execute = vi.spyOn(h.subgraph.orm.em.getConnection(), 'execute');
    try {
      const res = await h.request<{ listings: { edges: Array<{ node: { community: { id: string } } }> } }>(
        `{ listings(first: 50) { edges { node { community { id name } } } } }`,
      );
      expect(res.body.errors).toBeUndefined();
      expect(new Set(res.body.data?.listings.edges.map((e) => e.node.community.id)).size).toBeGreaterThan(1);
      // One for the page, one for all of its communities.
      expect(execute).toHaveBeenCalledTimes(2);
    } finally {
      execute.mockRestore();
    }
  });
});
