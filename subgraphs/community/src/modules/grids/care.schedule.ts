import { DateTime } from 'luxon';
import type { RiskTier } from './care.entity.js';
import type { GridSettings } from './settings.entity.js';
import { visitIntervalDays } from './settings.service.js';

/*
 * When a resident in care is next due a visit: `interval(tier)` days after the day of the
 * last visit (or of enrolment, before the first), on the community's calendar. A visit
 * any time on the due day is on time; from the next day the resident is overdue. Nothing
 * is stored: changing a tier or the community's intervals moves every due date at once.
 */

export interface VisitSchedule {
  riskTier: RiskTier;
  enrolledAt: Date;
  lastVisitAt: Date | null;
}

/** YYYY-MM-DD of an instant on the community's calendar. */
export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

export function nextVisitDue(record: VisitSchedule, settings: GridSettings, timezone: string): string {
  const from = DateTime.fromJSDate(record.lastVisitAt ?? record.enrolledAt, { zone: timezone }).startOf('day');
  return from.plus({ days: visitIntervalDays(settings, record.riskTier) }).toISODate()!;
}

/** Whole days past the due date (0 when not overdue). */
export function daysOverdue(due: string, today: string): number {
  const days = DateTime.fromISO(today, { zone: 'UTC' }).diff(DateTime.fromISO(due, { zone: 'UTC' }), 'days').days;
  return Math.max(0, Math.round(days));
}
