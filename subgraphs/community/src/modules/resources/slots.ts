import { DateTime, Interval } from 'luxon';

/** Weekly hours and dated exceptions, as plain values (no ORM), so the rule is testable alone. */
export interface WeeklyWindow {
  weekday: number;
  opensAt: string;
  closesAt: string;
}

export interface DatedException {
  date: string;
  kind: 'CLOSED' | 'EXTRA_OPENING';
  opensAt: string | null;
  closesAt: string | null;
}

export interface SlotRules {
  timezone: string;
  slotMinutes: number;
  leadTimeMinutes: number;
  maxDaysAhead: number;
  capacity: number;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
  availableQuantity: number;
}

/** The widest range one availability query may cover, which bounds the work per request. */
export const MAX_RANGE_DAYS = 31;

/**
 * Bookable slots in [from, to): the weekly windows of each local day, minus closures, plus
 * extra openings, cut into slots of `slotMinutes`, no earlier than the lead time and no
 * later than `maxDaysAhead` from now. Times are computed in the community's zone.
 */
export function bookableSlots(
  range: { from: Date; to: Date; now: Date },
  rules: SlotRules,
  weekly: readonly WeeklyWindow[],
  exceptions: readonly DatedException[],
): Slot[] {
  const zone = rules.timezone;
  const from = DateTime.fromJSDate(range.from, { zone });
  const to = DateTime.fromJSDate(range.to, { zone });
  const earliest = DateTime.fromJSDate(range.now, { zone }).plus({ minutes: rules.leadTimeMinutes });
  const latest = DateTime.fromJSDate(range.now, { zone }).plus({ days: rules.maxDaysAhead });

  const slots: Slot[] = [];
  for (let day = from.startOf('day'); day < to; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    const today = exceptions.filter((x) => x.date === date);
    let open = weekly.filter((w) => w.weekday === day.weekday).map((w) => window(day, w.opensAt, w.closesAt));
    // Closures first, then extra openings: the result must not depend on the order rows come in.
    for (const e of today) {
      if (e.kind !== 'CLOSED') continue;
      const closed = e.opensAt && e.closesAt ? window(day, e.opensAt, e.closesAt) : Interval.fromDateTimes(day, day.plus({ days: 1 }));
      open = open.flatMap((w) => w.difference(closed));
    }
    for (const e of today) {
      if (e.kind === 'EXTRA_OPENING' && e.opensAt && e.closesAt) open.push(window(day, e.opensAt, e.closesAt));
    }
    for (const w of Interval.merge(open.filter((i) => i.isValid && !i.isEmpty()))) {
      for (let start = w.start!; ; start = start.plus({ minutes: rules.slotMinutes })) {
        const end = start.plus({ minutes: rules.slotMinutes });
        if (end > w.end!) break;
        if (start < from || end > to || start < earliest || start > latest) continue;
        slots.push({ startsAt: start.toJSDate(), endsAt: end.toJSDate(), availableQuantity: rules.capacity });
      }
    }
  }
  return slots;
}

function window(day: DateTime, opensAt: string, closesAt: string): Interval {
  return Interval.fromDateTimes(at(day, opensAt), closesAt === '24:00' ? day.plus({ days: 1 }) : at(day, closesAt));
}

function at(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}
