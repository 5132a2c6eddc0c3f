import type { CommunityContext } from '../../context.js';
import type { SharedResource } from './resource.entity.js';

/**
 * Batched through the request's DataLoader: the gateway sends many representations in one
 * `_entities` fetch, and they become one SQL query.
 */
export const sharedResourceReference = {
  __resolveReference(ref: { communityId: string; id: string }, ctx: CommunityContext): Promise<SharedResource | null> | null {
    if (ref.communityId !== ctx.communityId) return null;
    return ctx.loaders.resource.load(ref.id);
  },
};
