import { describe, expect, it } from 'vitest';
import { bookableSlots, type DatedException, type SlotRules, type WeeklyWindow } from './slots.js';

// Asia/Shanghai is UTC+8 all year, so 08:00 local is 00:00Z of the same date.
// 2026-11-29 is a Sunday, 2026-11-30 a Monday, 2026-12-01 a Tuesday.
const MONDAY = { from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };
const LONG_BEFORE = new Date('2026-11-20T00:00:00Z');

const rules: SlotRules = { timezone: 'Asia/Shanghai', slotMinutes: 60, leadTimeMinutes: 0, maxDaysAhead: 30, capacity: 2 };

function slots(
  range: { from: Date; to: Date; now?: Date },
  weekly: WeeklyWindow[],
  exceptions: DatedException[] = [],
  overrides: Partial<SlotRules> = {},
) {
  return bookableSlots({ now: LONG_BEFORE, ...range }, { ...rules, ...overrides }, weekly, exceptions);
}

function starts(result: ReturnType<typeof bookableSlots>): string[] {
  return result.map((s) => s.startsAt.toISOString());
}

const monday = (opensAt: string, closesAt: string): WeeklyWindow => ({ weekday: 1, opensAt, closesAt });
const closed = (date: string, opensAt: string | null = null, closesAt: string | null = null): DatedException => ({
  date,
  kind: 'CLOSED',
  opensAt,
  closesAt,
});
const extra = (date: string, opensAt: string, closesAt: string): DatedException => ({ date, kind: 'EXTRA_OPENING', opensAt, closesAt });

describe('bookableSlots: weekly hours', () => {
  it('cuts a weekly window into slots at the exact UTC instants of Shanghai local time', () => {
    const result = slots(MONDAY, [monday('08:00', '11:00')]);
    expect(result).toEqual([
      { startsAt: new Date('2026-11-30T00:00:00Z'), endsAt: new Date('2026-11-30T01:00:00Z'), availableQuantity: 2 },
      { startsAt: new Date('2026-11-30T01:00:00Z'), endsAt: new Date('2026-11-30T02:00:00Z'), availableQuantity: 2 },
      { startsAt: new Date('2026-11-30T02:00:00Z'), endsAt: new Date('2026-11-30T03:00:00Z'), availableQuantity: 2 },
    ]);
  });

  it('uses slotMinutes and drops the tail of a window too short for a whole slot', () => {
    const result = slots(MONDAY, [monday('08:00', '12:00')], [], { slotMinutes: 90 });
    expect(result.map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([
      ['2026-11-30T00:00:00.000Z', '2026-11-30T01:30:00.000Z'],
      ['2026-11-30T01:30:00.000Z', '2026-11-30T03:00:00.000Z'],
    ]);
  });

  it('offers a window only on its ISO weekday, and every window of that day', () => {
    const week = { from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-12-06T16:00:00Z') }; // Mon 30 Nov – Sun 6 Dec
    const result = slots(week, [monday('08:00', '09:00'), monday('14:00', '15:00'), { weekday: 3, opensAt: '10:00', closesAt: '11:00' }]);
    expect(starts(result)).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T06:00:00.000Z', '2026-12-02T02:00:00.000Z']);
  });

  it('reads weekdays in local time: Monday 00:00–02:00 Shanghai is Sunday evening in UTC', () => {
    const result = slots(MONDAY, [monday('00:00', '02:00')]);
    expect(starts(result)).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-29T17:00:00.000Z']);
  });

  it("treats '24:00' as the end of the local day", () => {
    const result = slots(MONDAY, [monday('22:00', '24:00')]);
    expect(result.map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([
      ['2026-11-30T14:00:00.000Z', '2026-11-30T15:00:00.000Z'],
      ['2026-11-30T15:00:00.000Z', '2026-11-30T16:00:00.000Z'],
    ]);
  });

  it('yields nothing for a window shorter than one slot', () => {
    expect(slots(MONDAY, [monday('08:00', '08:45')])).toEqual([]);
    expect(slots(MONDAY, [monday('08:00', '09:00')], [], { slotMinutes: 120 })).toEqual([]);
  });

  it('yields nothing without weekly hours or exceptions', () => {
    expect(slots(MONDAY, [])).toEqual([]);
  });
});

describe('bookableSlots: exceptions', () => {
  const twoMondays = { from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-12-07T16:00:00Z') };

  it('removes the whole day for a CLOSED exception without a window, and only that date', () => {
    const result = slots(twoMondays, [monday('08:00', '10:00')], [closed('2026-11-30')]);
    expect(starts(result)).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-07T01:00:00.000Z']);
  });

  it('matches an exception by local date, not UTC date', () => {
    // 00:00–02:00 on local Monday 30 Nov falls on 29 Nov in UTC; the closure still applies.
    expect(slots(MONDAY, [monday('00:00', '02:00')], [closed('2026-11-30')])).toEqual([]);
    expect(starts(slots(MONDAY, [monday('00:00', '02:00')], [closed('2026-11-29')]))).toHaveLength(2);
  });

  it('removes only the closed window from a CLOSED exception with one', () => {
    const result = slots(MONDAY, [monday('08:00', '12:00')], [closed('2026-11-30', '09:00', '10:00')]);
    expect(starts(result)).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T02:00:00.000Z', '2026-11-30T03:00:00.000Z']);
  });

  it('restarts the slot grid after a closure that is not aligned to it', () => {
    // Open 08:00–09:30 and 10:00–12:00: 09:00–10:00 would cross the closure.
    const result = slots(MONDAY, [monday('08:00', '12:00')], [closed('2026-11-30', '09:30', '10:00')]);
    expect(starts(result)).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T02:00:00.000Z', '2026-11-30T03:00:00.000Z']);
  });

  it('adds an EXTRA_OPENING on a day without weekly hours', () => {
    const sunday = { from: new Date('2026-11-28T16:00:00Z'), to: new Date('2026-11-29T16:00:00Z') };
    const result = slots(sunday, [monday('08:00', '12:00')], [extra('2026-11-29', '14:00', '16:00')]);
    expect(starts(result)).toEqual(['2026-11-29T06:00:00.000Z', '2026-11-29T07:00:00.000Z']);
  });

  it('merges an EXTRA_OPENING that overlaps the weekly window without duplicate slots', () => {
    const result = slots(MONDAY, [monday('08:00', '12:00')], [extra('2026-11-30', '10:00', '14:00')]);
    expect(starts(result)).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2026-11-30T01:00:00.000Z',
      '2026-11-30T02:00:00.000Z',
      '2026-11-30T03:00:00.000Z',
      '2026-11-30T04:00:00.000Z',
      '2026-11-30T05:00:00.000Z',
    ]);
  });

  it('applies closures to the weekly hours and then adds extra openings, whatever order the exceptions come in', () => {
    const exceptions = [closed('2026-11-30'), extra('2026-11-30', '14:00', '16:00')];
    const expected = ['2026-11-30T06:00:00.000Z', '2026-11-30T07:00:00.000Z'];
    expect(starts(slots(MONDAY, [monday('08:00', '12:00')], exceptions))).toEqual(expected);
    expect(starts(slots(MONDAY, [monday('08:00', '12:00')], [...exceptions].reverse()))).toEqual(expected);
  });
});

describe('bookableSlots: booking window and range', () => {
  it('drops slots that start before now plus the lead time, keeping one that starts exactly then', () => {
    const now = new Date('2026-11-30T00:30:00Z'); // 08:30 local
    const result = slots({ ...MONDAY, now }, [monday('08:00', '12:00')], [], { leadTimeMinutes: 90 });
    expect(starts(result)).toEqual(['2026-11-30T02:00:00.000Z', '2026-11-30T03:00:00.000Z']);
  });

  it('drops slots that start more than maxDaysAhead after now, keeping one that starts exactly then', () => {
    const now = new Date('2026-11-20T02:00:00Z'); // 10:00 local, ten days before
    const result = slots({ ...MONDAY, now }, [monday('08:00', '12:00')], [], { maxDaysAhead: 10 });
    expect(starts(result)).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T01:00:00.000Z', '2026-11-30T02:00:00.000Z']);
  });

  it('excludes slots that start before `from` or end after `to`', () => {
    const range = { from: new Date('2026-11-30T00:30:00Z'), to: new Date('2026-11-30T02:30:00Z') };
    expect(starts(slots(range, [monday('08:00', '12:00')]))).toEqual(['2026-11-30T01:00:00.000Z']);
  });

  it('includes a slot that starts exactly at `from` and one that ends exactly at `to`', () => {
    const range = { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-11-30T02:00:00Z') };
    expect(starts(slots(range, [monday('08:00', '12:00')]))).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T01:00:00.000Z']);
  });

  it('covers every local day the range touches, including one that starts before `from` in UTC', () => {
    // From 07:00 local Monday (Sunday 23:00Z) to Tuesday 09:00 local.
    const range = { from: new Date('2026-11-29T23:00:00Z'), to: new Date('2026-12-01T01:00:00Z') };
    const result = slots(range, [monday('08:00', '09:00'), { weekday: 2, opensAt: '08:00', closesAt: '10:00' }]);
    expect(starts(result)).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });
});
