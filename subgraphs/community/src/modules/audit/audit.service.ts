import { decodeCursor, encodeCursor, pageSize, type Viewer } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from './audit.entity.js';

export interface AuditedRead {
  subjectType: string;
  subjectIds: readonly string[];
  fields: readonly string[];
}

/**
 * Records that `viewer` read personal data. Call it from the resolver that returns the
 * data, before returning it: if the log cannot be written the read fails, so no read goes
 * unrecorded. One row per record read.
 */
export async function recordRead(em: EntityManager, viewer: Viewer, read: AuditedRead, at: Date): Promise<void> {
  if (read.subjectIds.length === 0) return;
  const fork = em.fork();
  for (const subjectId of read.subjectIds) {
    fork.create(AuditEntry, {
      at,
      actorId: viewer.userId ?? 'anonymous',
      actorRoles: [...viewer.roles],
      action: 'READ',
      subjectType: read.subjectType,
      subjectId,
      fields: [...read.fields],
    });
  }
  await fork.flush();
}

export interface AuditPage {
  entries: AuditEntry[];
  hasNextPage: boolean;
}

export function cursorOf(e: AuditEntry): string {
  return encodeCursor([e.at.toISOString(), e.id]);
}

/** Newest first, by keyset on (at desc, id desc), optionally for one kind or one record. */
export async function listAudit(
  em: EntityManager,
  args: { subjectType?: string | null; subjectId?: string | null; first?: number | null; after?: string | null },
): Promise<AuditPage> {
  const limit = pageSize(args.first);
  const after = decodeCursor(args.after, 2) as [string, string] | null;
  const where: Record<string, unknown> = {};
  if (args.subjectType) where.subjectType = args.subjectType;
  if (args.subjectId) where.subjectId = args.subjectId;
  if (after) {
    const at = new Date(after[0]);
    where.$or = [{ at: { $lt: at } }, { at, id: { $lt: after[1] } }];
  }
  const rows = await em.find(AuditEntry, where, { orderBy: { at: 'desc', id: 'desc' }, limit: limit + 1 });
  return { entries: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
