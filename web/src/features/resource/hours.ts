export interface WeeklyWindow {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  opensAt: string;
  closesAt: string;
}

/**
 * Opening hours as a person says them: days with the same hours together, runs of days as a
 * range ("周一–周五 08:00–16:00", "周二、周四 09:00–11:30").
 */
export function describeWeeklyHours(windows: readonly WeeklyWindow[], dayName: (weekday: number) => string, listSeparator: string): string[] {
  const byDay = new Map<number, string>();
  for (let day = 1; day <= 7; day++) {
    const today = windows
      .filter((w) => w.weekday === day)
      .sort((a, b) => a.opensAt.localeCompare(b.opensAt))
      .map((w) => `${w.opensAt}–${w.closesAt}`);
    if (today.length > 0) byDay.set(day, today.join(', '));
  }
  const groups = new Map<string, number[]>();
  for (const [day, hours] of byDay) groups.set(hours, [...(groups.get(hours) ?? []), day]);
  return [...groups.entries()].map(([hours, days]) => `${runs(days, dayName).join(listSeparator)} ${hours}`);
}

function runs(days: number[], dayName: (weekday: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === (days[j] ?? 0) + 1) j++;
    const first = days[i] ?? 1;
    const last = days[j] ?? first;
    if (last - first >= 2) out.push(`${dayName(first)}–${dayName(last)}`);
    else for (let d = first; d <= last; d++) out.push(dayName(d));
    i = j + 1;
  }
  return out;
}
