import type { ExchangeContext } from '../../context.js';
import type { Account } from './account.entity.js';
import { requireAccountVisible } from './ledger.access.js';
import { ledgerLoaders } from './ledger.loaders.js';

/**
 * Batched, and guarded as `account(id)` is: an entity fetch is no back door to someone
 * else's balance.
 */
export const ledgerAccountReference = {
  async __resolveReference(ref: { id: string }, ctx: ExchangeContext): Promise<Account | null> {
    const account = await ledgerLoaders(ctx).account.load(ref.id);
    return account && requireAccountVisible(ctx.viewer, account);
  },
};
