import { BadInputError, decodeCursor, encodeCursor, pageSize, type ResourceKind } from '@linli/subgraph-kit';
import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Community, CommunityStatus } from '../directory/community.entity.js';
import {
  CommunityCannotPublishError,
  IdempotencyKeyReusedError,
  InvalidListingInputError,
  isUuid,
  ListingAlreadyPublishedError,
} from './listing.errors.js';
import { Listing, ListingAudience, ListingStatus } from './listing.entity.js';

export interface ListingQuery {
  kind?: ResourceKind | null;
  communityId?: string | null;
  text?: string | null;
  availableFrom?: Date | null;
  availableTo?: Date | null;
}

export interface ListingPage {
  listings: Listing[];
  hasNextPage: boolean;
}

export interface ListingPublication {
  communityId: string;
  resourceId: string;
  kind: ResourceKind;
  title: string;
  titleEn: string;
  summary?: string | null;
  summaryEn?: string | null;
  priceCreditsPerSlot: number;
  bookableBy?: ListingAudience | null;
  allowedCommunityIds?: string[] | null;
  availableFrom?: Date | null;
  availableTo?: Date | null;
  fullRefundHoursBefore?: number | null;
  lateCancellationRefundPercent?: number | null;
  idempotencyKey: string;
}

export function cursorOf(listing: Listing): string {
  return encodeCursor([listing.publishedAt.toISOString(), listing.id]);
}

/**
 * The catalogue: PUBLISHED listings of ACTIVE communities, newest first, by keyset on
 * (published_at desc, id desc) so pages stay stable while listings are published.
 */
export async function listListings(
  em: EntityManager,
  args: { filter?: ListingQuery | null; first?: number | null; after?: string | null },
): Promise<ListingPage> {
  const limit = pageSize(args.first);
  const after = decodeListingCursor(args.after);
  const filter = args.filter ?? {};
  const conditions: FilterQuery<Listing>[] = [
    { status: ListingStatus.PUBLISHED, community: { status: CommunityStatus.ACTIVE } },
  ];
  if (filter.kind) conditions.push({ kind: filter.kind });
  if (filter.communityId) conditions.push({ community: { id: filter.communityId } });
  const text = filter.text?.trim();
  if (text) {
    const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    conditions.push({
      $or: [{ title: { $ilike: pattern } }, { titleEn: { $ilike: pattern } }, { summary: { $ilike: pattern } }, { summaryEn: { $ilike: pattern } }],
    });
  }
  conditions.push(...overlapping(filter.availableFrom ?? null, filter.availableTo ?? null));
  if (after) {
    conditions.push({ $or: [{ publishedAt: { $lt: after.publishedAt } }, { publishedAt: after.publishedAt, id: { $lt: after.id } }] });
  }
  const rows = await em.find(Listing, { $and: conditions }, { orderBy: { publishedAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return { listings: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

/** Null for unknown and for malformed ids alike: neither names a listing. */
export async function getListing(em: EntityManager, id: string): Promise<Listing | null> {
  return isUuid(id) ? em.findOne(Listing, { id }) : null;
}

/**
 * Publishes a listing for `input.communityId` (the caller has checked the publisher is its
 * staff). A retry with the same idempotency key returns the first listing unchanged, also
 * when two identical requests race: the loser's unique violation leads to the winner's row.
 */
export async function publishListing(em: EntityManager, input: ListingPublication, publishedBy: string, now = new Date()): Promise<Listing> {
  const previous = await em.findOne(Listing, { idempotencyKey: input.idempotencyKey });
  if (previous) return sameRequestOrConflict(previous, input);

  const community = await em.findOne(Community, { id: input.communityId });
  if (!community) throw new CommunityCannotPublishError(input.communityId, 'UNKNOWN');
  if (community.status !== CommunityStatus.ACTIVE) throw new CommunityCannotPublishError(input.communityId, community.status);
  const bookableBy = input.bookableBy ?? ListingAudience.ALL_COMMUNITIES;
  const allowedCommunityIds = await checkAudience(em, bookableBy, input.allowedCommunityIds ?? []);
  const availableFrom = input.availableFrom ?? now;
  const availableTo = input.availableTo ?? null;
  checkPeriod(availableFrom, availableTo, now);

  // A fork, so that a lost race leaves nothing half-persisted in the caller's unit of work.
  const fork = em.fork();
  const listing = fork.create(Listing, {
    community: community.id,
    resourceId: input.resourceId,
    kind: input.kind,
    title: input.title,
    titleEn: input.titleEn,
    summary: input.summary ?? '',
    summaryEn: input.summaryEn ?? '',
    priceCreditsPerSlot: input.priceCreditsPerSlot,
    bookableBy,
    allowedCommunityIds,
    availableFrom,
    availableTo,
    ...(input.fullRefundHoursBefore != null ? { fullRefundHoursBefore: input.fullRefundHoursBefore } : {}),
    ...(input.lateCancellationRefundPercent != null ? { lateCancellationRefundPercent: input.lateCancellationRefundPercent } : {}),
    publishedAt: now,
    publishedBy,
    idempotencyKey: input.idempotencyKey,
  });
  try {
    await fork.flush();
    return listing;
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return afterUniqueViolation(em.fork(), input);
  }
}

/**
 * Withdrawing is idempotent: a withdrawn listing is returned as it is. The update is
 * conditional, so that of two concurrent withdrawals the first one's time is kept.
 */
export async function withdrawListing(em: EntityManager, listing: Listing, now = new Date()): Promise<Listing> {
  if (listing.status === ListingStatus.WITHDRAWN) return listing;
  await em.nativeUpdate(Listing, { id: listing.id, status: ListingStatus.PUBLISHED }, { status: ListingStatus.WITHDRAWN, withdrawnAt: now });
  return (await em.refresh(listing)) ?? listing;
}

/**
 * Either an identical request won the race (same key: return its listing), or another key
 * holds the resource's one PUBLISHED listing (CONFLICT).
 */
async function afterUniqueViolation(em: EntityManager, input: ListingPublication): Promise<Listing> {
  const winner = await em.findOne(Listing, { idempotencyKey: input.idempotencyKey });
  if (winner) return sameRequestOrConflict(winner, input);
  const holder = await em.findOne(Listing, { community: input.communityId, resourceId: input.resourceId, status: ListingStatus.PUBLISHED });
  throw new ListingAlreadyPublishedError(input.communityId, input.resourceId, holder?.id ?? null);
}

function sameRequestOrConflict(listing: Listing, input: ListingPublication): Listing {
  if (listing.community.id !== input.communityId || listing.resourceId !== input.resourceId) throw new IdempotencyKeyReusedError();
  return listing;
}

/** Offer period [from, to) overlaps the asked range; an open end overlaps everything after it. */
function overlapping(from: Date | null, to: Date | null): FilterQuery<Listing>[] {
  if (from && to && !(from < to)) {
    throw new InvalidListingInputError('开始时间必须早于结束时间', 'filter.availableFrom must be before filter.availableTo', 'filter');
  }
  const conditions: FilterQuery<Listing>[] = [];
  if (to) conditions.push({ availableFrom: { $lt: to } });
  if (from) conditions.push({ $or: [{ availableTo: null }, { availableTo: { $gt: from } }] });
  return conditions;
}

async function checkAudience(em: EntityManager, bookableBy: ListingAudience, allowed: string[]): Promise<string[]> {
  if (bookableBy === ListingAudience.ALL_COMMUNITIES) {
    if (allowed.length) {
      throw new InvalidListingInputError(
        '面向所有社区时不能指定社区',
        'allowedCommunityIds must be empty when bookableBy is ALL_COMMUNITIES',
        'allowedCommunityIds',
      );
    }
    return [];
  }
  if (!allowed.length) {
    throw new InvalidListingInputError('请指定可预约的社区', 'SELECTED_COMMUNITIES needs at least one allowedCommunityIds entry', 'allowedCommunityIds');
  }
  const known = await em.find(Community, { id: { $in: allowed } }, { fields: ['id'] });
  const unknown = allowed.filter((id) => !known.some((c) => c.id === id));
  if (unknown.length) {
    throw new InvalidListingInputError(`未登记的社区：${unknown.join(', ')}`, `Unknown communities: ${unknown.join(', ')}`, 'allowedCommunityIds');
  }
  return [...allowed].sort();
}

function checkPeriod(from: Date, to: Date | null, now: Date): void {
  if (to && !(from < to)) {
    throw new InvalidListingInputError('发布期开始必须早于结束', 'availableFrom must be before availableTo', 'availableTo');
  }
  if (to && to <= now) {
    throw new InvalidListingInputError('发布期已结束', 'availableTo must be in the future', 'availableTo');
  }
}

function decodeListingCursor(cursor: string | null | undefined): { publishedAt: Date; id: string } | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [publishedAt, id] = key;
  const at = typeof publishedAt === 'string' ? new Date(publishedAt) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || typeof id !== 'string' || !isUuid(id)) {
    throw new BadInputError('分页游标无效', 'Invalid cursor', { argument: 'after' });
  }
  return { publishedAt: at, id };
}
