import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '@linli/subgraph-kit';
import { notMemberMessage, type NotMemberReason } from '../directory/directory.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export class ListingNotFoundError extends NotFoundError {
  constructor(listingId: string) {
    super({ zh: '发布', en: 'Listing' }, { listingId });
  }
}

export class NotStaffOfCommunityError extends ForbiddenError {
  constructor(communityId: string) {
    super('只有该社区的工作人员可以管理其发布', 'Only staff of the owning community may manage its listings', { communityId });
  }
}

/**
 * The publishing community is not a member that may publish: unknown to the directory or
 * SUSPENDED. Always BAD_USER_INPUT (never NOT_FOUND): the community is a value in the
 * input, and the client has to change the request, not look elsewhere for the target.
 */
export class CommunityCannotPublishError extends BadInputError {
  constructor(communityId: string, reason: NotMemberReason) {
    const message = notMemberMessage(communityId, reason);
    super(
      message.zh,
      message.en,
      { argument: 'communityId', communityId, reason },
    );
  }
}

export class ListingAlreadyPublishedError extends ConflictError {
  constructor(communityId: string, resourceId: string, listingId: string | null) {
    super('该资源已有一条发布', 'This resource already has a published listing', { communityId, resourceId, listingId });
  }
}

/** A key identifies one publication; reusing it for another resource is a client bug. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super('幂等键已用于另一次发布', 'This idempotency key was already used for a different publication', {
      argument: 'idempotencyKey',
    });
  }
}

export class InvalidListingInputError extends BadInputError {
  constructor(zh: string, en: string, argument: string) {
    super(zh, en, { argument });
  }
}
