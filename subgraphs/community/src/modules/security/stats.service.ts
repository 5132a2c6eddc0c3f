import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { AlarmType } from './alarm.entity.js';
import { SecurityRuleError } from './security.errors.js';

export interface SafetyStats {
  month: string;
  totalAlarms: number;
  alarmsByType: Array<{ type: AlarmType; count: number }>;
  /** Median minutes from raise to acknowledgement over acknowledged alarms; null if none. */
  medianResponseMinutes: number | null;
}

/** [start, end) of a calendar month ('YYYY-MM') in the community's time zone. */
export function monthRange(month: string, timezone: string): { from: Date; to: Date } {
  const start = /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? DateTime.fromFormat(month, 'yyyy-MM', { zone: timezone }) : null;
  if (!start?.isValid) throw new SecurityRuleError('month', '月份格式应为 YYYY-MM', 'month must be YYYY-MM', { argument: 'month' });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/**
 * Aggregates only — counts and a median over alarms raised in the month (a folded alarm
 * counts once) — so they may be shown to anyone in the federation.
 */
export async function safetyStats(em: EntityManager, month: string, timezone: string): Promise<SafetyStats> {
  const { from, to } = monthRange(month, timezone);
  const byType = await em.execute<Array<{ type: AlarmType; count: string }>>(
    `select type, count(*) as count from security_alarm where raised_at >= ? and raised_at < ? group by type order by count(*) desc, type`,
    [from, to],
  );
  const [median] = await em.execute<Array<{ minutes: number | null }>>(
    `select percentile_cont(0.5) within group (order by extract(epoch from (acknowledged_at - raised_at)) / 60) as minutes
       from security_alarm where raised_at >= ? and raised_at < ? and acknowledged_at is not null`,
    [from, to],
  );
  const alarmsByType = byType.map((r) => ({ type: r.type, count: Number(r.count) }));
  const minutes = median?.minutes;
  return {
    month,
    totalAlarms: alarmsByType.reduce((sum, r) => sum + r.count, 0),
    alarmsByType,
    medianResponseMinutes: minutes === null || minutes === undefined ? null : Math.round(Number(minutes) * 10) / 10,
  };
}
