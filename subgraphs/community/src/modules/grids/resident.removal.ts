import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { GridRecordNotFoundError, isUuid } from './grid.errors.js';

export interface ResidentRemovalResult {
  residentId: string;
  /** The id the resident's history now carries instead of theirs; it leads back to no one. */
  pseudonym: string;
  visitsPseudonymised: number;
  casesPseudonymised: number;
}

/**
 * A resident leaves: their personal data goes, their history stays without them. In one
 * transaction, under the resident's row lock (and the care record's, which orders it
 * against a visit being recorded):
 *  - visits to them keep date, mode, worker and grid, but their notes and needs found are
 *    deleted and the care record is replaced by a fresh pseudonym;
 *  - cases about them lose the link to the care record (pseudonym instead), their
 *    description and the notes of their history;
 *  - where their own user id appears — as reporter, actor in a case's history, assignee,
 *    visitor, helper or grid worker — it becomes the pseudonym (or the helper/worker link
 *    goes); cases they reported lose their description and the reporter's comment;
 *  - the care record and the resident are deleted. The household (a dwelling) stays.
 * The audit log is left as it is: it names records by id only, and is the community's
 * account of who read what.
 */
export async function removeResident(em: EntityManager, residentId: string): Promise<ResidentRemovalResult> {
  if (!isUuid(residentId)) throw new GridRecordNotFoundError('resident', residentId);
  return em.transactional(async (tx) => {
    const [resident] = await tx.execute<Array<{ user_id: string | null }>>('select user_id from resident where id = ? for update', [residentId]);
    if (!resident) throw new GridRecordNotFoundError('resident', residentId);
    const [care] = await tx.execute<Array<{ id: string }>>('select id from care_record where resident_id = ? for update', [residentId]);
    const pseudonym = `anon-${randomUUID()}`;
    let visits = 0;
    const cases = new Set<string>();

    if (care) {
      const visited = await tx.execute<Array<{ id: string }>>(
        `update care_visit set care_record_id = null, subject_pseudonym = ?, notes = null, needs = '{}' where care_record_id = ? returning id`,
        [pseudonym, care.id],
      );
      visits += visited.length;
      const about = await tx.execute<Array<{ id: string }>>(
        `update grid_case set care_record_id = null, subject_pseudonym = ?, description = '' where care_record_id = ? returning id`,
        [pseudonym, care.id],
      );
      about.forEach((c) => cases.add(c.id));
      if (about.length) await tx.execute(`update grid_case_transition set note = '' where case_id in (${about.map(() => '?').join(', ')})`, about.map((c) => c.id));
    }

    const userId = resident.user_id;
    if (userId) {
      const reported = await tx.execute<Array<{ id: string }>>(
        `update grid_case set reporter_id = ?, description = '', evaluation_comment = null where reporter_id = ? returning id`,
        [pseudonym, userId],
      );
      reported.forEach((c) => cases.add(c.id));
      const assigned = await tx.execute<Array<{ id: string }>>(`update grid_case set assignee_id = ? where assignee_id = ? returning id`, [pseudonym, userId]);
      assigned.forEach((c) => cases.add(c.id));
      const acted = await tx.execute<Array<{ case_id: string }>>(`update grid_case_transition set actor_id = ? where actor_id = ? returning case_id`, [pseudonym, userId]);
      acted.forEach((t) => cases.add(t.case_id));
      const visitedBy = await tx.execute<Array<{ id: string }>>(`update care_visit set worker_id = ? where worker_id = ? returning id`, [pseudonym, userId]);
      visits += visitedBy.length;
      await tx.execute('update care_record set helper_id = null where helper_id = ?', [userId]);
      await tx.execute('delete from grid_worker where user_id = ?', [userId]);
    }

    if (care) await tx.execute('delete from care_record where id = ?', [care.id]);
    await tx.execute('delete from resident where id = ?', [residentId]);
    return { residentId, pseudonym, visitsPseudonymised: visits, casesPseudonymised: cases.size };
  });
}
