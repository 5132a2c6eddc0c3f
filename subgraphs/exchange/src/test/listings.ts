import { randomUUID } from 'node:crypto';
import type { Viewer } from '@linli/subgraph-kit';
import { viewers, type ExchangeHarness, type GraphQLBody } from './harness.js';

export const PUBLISH = `mutation($input: PublishListingInput!) {
  publishListing(input: $input) {
    id communityId resourceId kind title titleEn summary summaryEn priceCreditsPerSlot bookableBy allowedCommunityIds
    availableFrom availableTo status publishedAt withdrawnAt
  }
}`;

export interface ListingData {
  id: string;
  communityId: string;
  resourceId: string;
  kind: string;
  title: string;
  status: string;
  availableFrom: string;
  availableTo: string | null;
  publishedAt: string;
  withdrawnAt: string | null;
  allowedCommunityIds: string[];
  bookableBy: string;
}

/** A publication input for `communityId` with a fresh resource id and idempotency key. */
export function listingInput(communityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    communityId,
    resourceId: randomUUID(),
    kind: 'VENUE',
    title: '多功能活动室',
    titleEn: 'Multi-purpose room',
    priceCreditsPerSlot: 2,
    idempotencyKey: `key-${randomUUID()}`,
    ...overrides,
  };
}

/** Publishes as staff of the community (unless another viewer is given). */
export async function publish(
  h: ExchangeHarness,
  input: Record<string, unknown>,
  viewer: Viewer = viewers.staff(String(input.communityId)),
): Promise<GraphQLBody<{ publishListing: ListingData }>> {
  return (await h.request<{ publishListing: ListingData }>(PUBLISH, { input }, viewer)).body;
}

/** Publishes and fails the test on any error. */
export async function published(h: ExchangeHarness, input: Record<string, unknown>): Promise<ListingData> {
  const body = await publish(h, input);
  if (!body.data?.publishListing) throw new Error(`publishing failed: ${JSON.stringify(body.errors)}`);
  return body.data.publishListing;
}
