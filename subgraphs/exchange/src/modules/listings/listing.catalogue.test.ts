import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, type ExchangeHarness } from '../../test/harness.js';
import { listingInput, published, type ListingData } from '../../test/listings.js';

/** Searching and paging the catalogue, on a catalogue of known listings. */
let h: ExchangeHarness;
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startExchange('exchange_catalogue');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' });
  const fixtures: Array<[string, Record<string, unknown>]> = [
    ['hall', { communityId: 'qibao-a', kind: 'VENUE', title: '室内体育馆', titleEn: 'Indoor Sports Hall', summary: '可打羽毛球', availableFrom: '2030-01-01T00:00:00Z', availableTo: '2030-03-01T00:00:00Z' }],
    ['tennis', { communityId: 'qibao-b', kind: 'VENUE', title: '露天乒乓球台', titleEn: 'Outdoor table-tennis tables', availableFrom: '2030-02-15T00:00:00Z', availableTo: '2030-04-01T00:00:00Z' }],
    ['seats', { communityId: 'qibao-b', kind: 'EDUCATION_SEATS', title: '幼儿园托班名额', titleEn: 'Nursery seats', summaryEn: '100% free for toddlers', availableFrom: '2030-05-01T00:00:00Z' }],
    ['clinic', { communityId: 'qibao-a', kind: 'MEDICAL_SERVICE', title: '家庭医生上门', titleEn: 'Family doctor home visits', summary: '每周三 上午_下午', availableFrom: '2029-06-01T00:00:00Z' }],
  ];
  for (const [name, overrides] of fixtures) {
    ids[name] = (await published(h, listingInput(String(overrides.communityId), overrides))).id;
  }
});
afterAll(async () => {
  await h?.close();
});

const LISTINGS = `query($filter: ListingFilter, $first: Int, $after: String) {
  listings(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id publishedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  listings: { edges: Array<{ cursor: string; node: Pick<ListingData, 'id' | 'publishedAt'> }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

/** The catalogue's order: published_at descending, then id descending for the same instant. */
function newestFirst<T extends { id: string; publishedAt: string }>(nodes: T[]): T[] {
  return [...nodes].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

async function search(filter: Record<string, unknown>): Promise<string[]> {
  const res = await h.request<Page>(LISTINGS, { filter, first: 100 });
  expect(res.body.errors).toBeUndefined();
  const found = res.body.data?.listings.edges.map((e) => e.node.id) ?? [];
  return Object.keys(ids).filter((name) => found.includes(ids[name] ?? '')).sort();
}

describe('filtering the catalogue', () => {
  it('lists everything published, newest first, without a filter', async () => {
    const res = await h.request<Page>(LISTINGS, {});
    const nodes = res.body.data?.listings.edges.map((e) => e.node) ?? [];
    expect(nodes.map((n) => n.id).sort()).toEqual(Object.values(ids).sort());
    expect(nodes).toEqual(newestFirst(nodes));
    expect(res.body.data?.listings.pageInfo).toEqual({ hasNextPage: false, endCursor: res.body.data?.listings.edges.at(-1)?.cursor });
  });

  it('filters by kind and by community', async () => {
    expect(await search({ kind: 'VENUE' })).toEqual(['hall', 'tennis']);
    expect(await search({ communityId: 'qibao-b' })).toEqual(['seats', 'tennis']);
    expect(await search({ communityId: 'qibao-b', kind: 'VENUE' })).toEqual(['tennis']);
    expect(await search({ communityId: 'nowhere' })).toEqual([]);
  });

  it('matches Chinese and English text in titles and summaries, ignoring case', async () => {
    expect(await search({ text: '乒乓' })).toEqual(['tennis']);
    expect(await search({ text: '羽毛球' })).toEqual(['hall']);
    expect(await search({ text: 'sports HALL' })).toEqual(['hall']);
    expect(await search({ text: 'home visits' })).toEqual(['clinic']);
    expect(await search({ text: '   ' })).toEqual(['clinic', 'hall', 'seats', 'tennis']);
  });

  it('takes % and _ in the text literally', async () => {
    expect(await search({ text: '100%' })).toEqual(['seats']);
    expect(await search({ text: '%' })).toEqual(['seats']);
    expect(await search({ text: '_' })).toEqual(['clinic']);
  });

  it('keeps listings whose offer period overlaps the asked range, open-ended offers included', async () => {
    expect(await search({ availableFrom: '2030-02-20T00:00:00Z', availableTo: '2030-02-21T00:00:00Z' })).toEqual(['clinic', 'hall', 'tennis']);
    expect(await search({ availableFrom: '2030-03-01T00:00:00Z', availableTo: '2030-04-01T00:00:00Z' })).toEqual(['clinic', 'tennis']);
    expect(await search({ availableFrom: '2030-06-01T00:00:00Z' })).toEqual(['clinic', 'seats']);
    expect(await search({ availableTo: '2030-01-02T00:00:00Z' })).toEqual(['clinic', 'hall']);
    expect(await search({ availableTo: '2029-06-01T00:00:00Z' })).toEqual([]);
  });

  it('answers BAD_USER_INPUT for a range that ends before it starts', async () => {
    const res = await h.request(LISTINGS, { filter: { availableFrom: '2030-02-01T00:00:00Z', availableTo: '2030-01-01T00:00:00Z' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers BAD_USER_INPUT for a search text over 100 characters', async () => {
    const res = await h.request(LISTINGS, { filter: { text: 'x'.repeat(101) } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('paging the catalogue', () => {
  it('walks several pages with stable cursors, not disturbed by a listing published meanwhile', async () => {
    await h.register({ id: 'paging-a' });
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) mine.push((await published(h, listingInput('paging-a', { title: `第${i}号场地` }))).id);
    const filter = { communityId: 'paging-a' };
    const seen: Array<{ id: string; publishedAt: string }> = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: { body: { data?: Page | null; errors?: unknown } } = await h.request<Page>(LISTINGS, { filter, first: 3, after });
      expect(res.body.errors).toBeUndefined();
      const connection = res.body.data?.listings;
      sizes.push(connection?.edges.length ?? 0);
      seen.push(...(connection?.edges.map((e) => e.node) ?? []));
      if (page === 0) await published(h, listingInput('paging-a', { title: '翻页期间新发布' }));
      if (!connection?.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen.map((n) => n.id).sort()).toEqual([...mine].sort());
    expect(seen).toEqual(newestFirst(seen));
  });

  it('gives the same page for the same cursor', async () => {
    const first = await h.request<Page>(LISTINGS, { first: 2 });
    const cursor = first.body.data?.listings.pageInfo.endCursor;
    const a = await h.request<Page>(LISTINGS, { first: 2, after: cursor });
    const b = await h.request<Page>(LISTINGS, { first: 2, after: cursor });
    expect(a.body.data?.listings.edges.map((e) => e.node.id)).toEqual(b.body.data?.listings.edges.map((e) => e.node.id));
    expect(a.body.data?.listings.edges.length).toBe(2);
  });

  it.each([
    ['first = 0', { first: 0 }],
    ['first = 101', { first: 101 }],
    ['a cursor that is not one of ours', { after: 'bm90LWEtY3Vyc29y' }],
    ['a cursor with a malformed key', { after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }],
  ])('answers BAD_USER_INPUT for %s', async (_name, args) => {
    const res = await h.request(LISTINGS, args);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
