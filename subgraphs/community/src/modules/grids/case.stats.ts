import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { CaseCategory, CaseUrgency } from './case.entity.js';
import { GridRuleError } from './grid.errors.js';

/** What the federation may know of a community's cases: counts for one month, nothing that names a case, a person or a grid. */
export interface CaseMonth {
  month: string;
  reported: number;
  resolved: number;
  resolvedOnTime: number;
  escalated: number;
  byCategory: Array<{ category: CaseCategory; count: number }>;
  byUrgency: Array<{ urgency: CaseUrgency; count: number }>;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

interface Row {
  category: CaseCategory;
  urgency: CaseUrgency;
  reported: string;
  resolved: string;
  on_time: string;
  escalated: string;
}

/** Counts of the cases reported in `month` (YYYY-MM on the community's calendar). */
export async function caseStats(em: EntityManager, month: string, timezone: string): Promise<CaseMonth> {
  const match = MONTH.exec(month);
  if (!match) throw new GridRuleError('month', '月份格式应为 YYYY-MM', 'month must look like YYYY-MM', { month });
  const start = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: 1 }, { zone: timezone });
  const rows = await em.execute<Row[]>(
    `select category, urgency, count(*) as reported,
            count(*) filter (where resolved_at is not null) as resolved,
            count(*) filter (where resolved_at is not null and resolved_at <= resolve_by) as on_time,
            count(*) filter (where escalation_level > 0) as escalated
       from grid_case where reported_at >= ? and reported_at < ?
      group by category, urgency`,
    [start.toJSDate(), start.plus({ months: 1 }).toJSDate()],
  );
  const sum = (pick: (r: Row) => string, where: (r: Row) => boolean = () => true) =>
    rows.filter(where).reduce((n, r) => n + Number(pick(r)), 0);
  return {
    month,
    reported: sum((r) => r.reported),
    resolved: sum((r) => r.resolved),
    resolvedOnTime: sum((r) => r.on_time),
    escalated: sum((r) => r.escalated),
    byCategory: Object.values(CaseCategory).map((category) => ({ category, count: sum((r) => r.reported, (r) => r.category === category) })),
    byUrgency: Object.values(CaseUrgency).map((urgency) => ({ urgency, count: sum((r) => r.reported, (r) => r.urgency === urgency) })),
  };
}
