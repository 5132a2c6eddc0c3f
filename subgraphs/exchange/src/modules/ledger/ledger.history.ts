import { BadInputError, decodeCursor, encodeCursor, pageSize } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../listings/listing.errors.js';
import { Transfer } from './transfer.entity.js';

export interface TransferPage {
  transfers: Transfer[];
  hasNextPage: boolean;
}

export function transferCursor(transfer: Transfer): string {
  return encodeCursor([transfer.createdAt.toISOString(), transfer.id]);
}

/** Transfers on either side of the account, newest first, by keyset on (created_at, id). */
export async function listAccountTransfers(
  em: EntityManager,
  accountId: string,
  args: { first?: number | null; after?: string | null },
): Promise<TransferPage> {
  const limit = pageSize(args.first);
  const after = decodeTransferCursor(args.after);
  const rows = await em.find(
    Transfer,
    {
      $and: [
        { $or: [{ debitAccount: accountId }, { creditAccount: accountId }] },
        after ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] } : {},
      ],
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1, refresh: true },
  );
  return { transfers: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

function decodeTransferCursor(cursor: string | null | undefined): { createdAt: Date; id: string } | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  const at = typeof createdAt === 'string' ? new Date(createdAt) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || typeof id !== 'string' || !isUuid(id)) {
    throw new BadInputError('分页游标无效', 'Invalid cursor', { argument: 'after' });
  }
  return { createdAt: at, id };
}
