import { BadInputError } from '@linli/subgraph-kit';
import { DateTime } from 'luxon';

/**
 * The community's wall calendar: caps by day and month, and monthly statistics, count days
 * as residents live them (in the community's timezone), not UTC days.
 */

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD of `at` in `timezone`. */
export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

/** YYYY-MM of a YYYY-MM-DD date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** First day of the month and first day of the next, as YYYY-MM-DD. */
export function monthDays(month: string): { first: string; next: string } {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  return { first: start.toISODate()!, next: start.plus({ months: 1 }).toISODate()! };
}

/** The instants the month starts and ends at (exclusive) in `timezone`. */
export function monthRange(month: string, timezone: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(`${month}-01`, { zone: timezone });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** Validates a `YYYY-MM` argument (BAD_USER_INPUT otherwise). */
export function parseMonth(month: string, argument = 'month'): string {
  if (!MONTH.test(month)) throw new BadInputError('月份格式应为 YYYY-MM', 'month must be YYYY-MM', { argument });
  return month;
}

/** Validates a real `YYYY-MM-DD` date (BAD_USER_INPUT otherwise). */
export function parseDate(date: string, argument: string): string {
  if (!DATE.test(date) || !DateTime.fromISO(date, { zone: 'UTC' }).isValid) {
    throw new BadInputError('日期格式应为 YYYY-MM-DD', 'date must be YYYY-MM-DD', { argument });
  }
  return date;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days;
}
