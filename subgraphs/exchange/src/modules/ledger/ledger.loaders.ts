import DataLoader from 'dataloader';
import type { ExchangeContext } from '../../context.js';
import type { Account } from './account.entity.js';
import { getAccounts } from './ledger.service.js';

export interface LedgerLoaders {
  /** Accounts by id, one SQL query per tick however many representations ask. */
  account: DataLoader<string, Account | null>;
}

// Kept per request beside the context rather than in it, so that the ledger plugs into the
// exchange without the context knowing about it.
const perRequest = new WeakMap<ExchangeContext, LedgerLoaders>();

export function ledgerLoaders(ctx: ExchangeContext): LedgerLoaders {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = {
      account: new DataLoader(async (ids) => {
        const rows = await getAccounts(ctx.em, ids);
        const byId = new Map(rows.map((a) => [a.id, a]));
        return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
      }),
    };
    perRequest.set(ctx, loaders);
  }
  return loaders;
}
