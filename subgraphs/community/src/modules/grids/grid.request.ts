import DataLoader from 'dataloader';
import type { CommunityContext } from '../../context.js';
import { recordRead } from '../audit/audit.service.js';
import { loadScope, mayReadPersonal, type CareSubject, type GridScope, type PersonalField } from './grid.access.js';
import { GridForbiddenError } from './grid.errors.js';
import type { GridSettings } from './settings.entity.js';
import { readSettings } from './settings.service.js';

/*
 * What the grid resolvers of one request share, kept beside the request's context (not in
 * it, so the context stays the community's): the viewer's scope and the settings, each
 * read once, and the audit of personal reads, written in one batch per tick.
 */

interface PerRequest {
  scope?: Promise<GridScope>;
  settings?: Promise<GridSettings>;
  audit?: DataLoader<string, true>;
}
const perRequest = new WeakMap<CommunityContext, PerRequest>();

function slot(ctx: CommunityContext): PerRequest {
  let s = perRequest.get(ctx);
  if (!s) perRequest.set(ctx, (s = {}));
  return s;
}

export function gridScope(ctx: CommunityContext): Promise<GridScope> {
  const s = slot(ctx);
  return (s.scope ??= loadScope(ctx.em, ctx.viewer, ctx.communityId));
}

export function gridSettings(ctx: CommunityContext): Promise<GridSettings> {
  const s = slot(ctx);
  return (s.settings ??= readSettings(ctx.em));
}

/** Kinds of record whose personal fields are audited, as they appear in the audit log. */
export type PersonalSubjectType = 'CareRecipient' | 'Resident' | 'Household' | 'CareVisit';

const SEP = '\u0000';

function auditLoader(ctx: CommunityContext): DataLoader<string, true> {
  const s = slot(ctx);
  return (s.audit ??= new DataLoader<string, true>(async (keys) => {
    // One audit row per record, naming every field of it read in this batch.
    const fieldsBySubject = new Map<string, Set<string>>();
    for (const key of keys) {
      const [type, id, field] = key.split(SEP) as [string, string, string];
      const subject = `${type}${SEP}${id}`;
      const fields = fieldsBySubject.get(subject) ?? new Set<string>();
      fields.add(field);
      fieldsBySubject.set(subject, fields);
    }
    const groups = new Map<string, { subjectType: string; fields: string[]; subjectIds: string[] }>();
    for (const [subject, fields] of fieldsBySubject) {
      const [subjectType, subjectId] = subject.split(SEP) as [string, string];
      const sorted = [...fields].sort();
      const group = `${subjectType}${SEP}${sorted.join(',')}`;
      const entry = groups.get(group) ?? { subjectType, fields: sorted, subjectIds: [] };
      entry.subjectIds.push(subjectId);
      groups.set(group, entry);
    }
    const at = ctx.clock.now();
    for (const read of groups.values()) await recordRead(ctx.em, ctx.viewer, read, at);
    return keys.map(() => true as const);
  }));
}

/**
 * The gate of every personal field: allowed by the rules of grid.access.ts, or FORBIDDEN
 * (the field is null and the error names it). An allowed read is written to the audit log
 * before the value is returned; if the log cannot be written, the read fails.
 */
export async function readPersonal<T>(
  ctx: CommunityContext,
  subjectType: PersonalSubjectType,
  subjectId: string,
  subject: CareSubject,
  field: PersonalField,
  value: () => T,
): Promise<T> {
  const scope = await gridScope(ctx);
  if (!mayReadPersonal(scope, subject, field)) {
    throw new GridForbiddenError('无权查看该个人信息', 'You may not read this personal detail', { field, subjectType });
  }
  await auditLoader(ctx).load([subjectType, subjectId, field].join(SEP));
  return value();
}
