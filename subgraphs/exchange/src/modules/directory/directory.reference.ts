import type { ExchangeContext } from '../../context.js';
import type { Community } from './community.entity.js';

/** Batched: an `_entities` fetch with many communities becomes one SQL query. */
export const communityReference = {
  __resolveReference(ref: { id: string }, ctx: ExchangeContext): Promise<Community | null> {
    return ctx.loaders.community.load(ref.id);
  },
};
