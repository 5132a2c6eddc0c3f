import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../i18n/time';
import { placesFree, priceOf, run, slotCountChoices, weekOf, type Slot } from './week';

const hour = (h: number, left = 4): Slot => ({
  startsAt: `2026-11-26T${String(h - 8).padStart(2, '0')}:00:00.000Z`, // h o'clock in Shanghai
  endsAt: `2026-11-26T${String(h - 7).padStart(2, '0')}:00:00.000Z`,
  availableQuantity: left,
});
const policy = { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 180 };

describe('week of slots', () => {
  it('puts each slot on its Shanghai day, whatever zone the browser is in', () => {
    const days = weekOf(shanghaiDay(dayjs('2026-11-25T16:00:00.000Z')), [hour(8), hour(9)]);
    expect(days.map((d) => d.key)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(days[0]?.slots.map((s) => s.startsAt)).toEqual([hour(8).startsAt, hour(9).startsAt]);
  });

  it('offers only lengths whose slots follow each other and all have room', () => {
    const slots = [hour(8), hour(9), hour(10, 0), hour(11)];
    expect(slotCountChoices(slots, hour(8).startsAt, policy)).toEqual([1, 2]);
    expect(slotCountChoices(slots, hour(11).startsAt, policy)).toEqual([1]);
    expect(run([hour(8), hour(10)], hour(8).startsAt, 2)).toBeNull(); // a gap at 9:00
  });

  it('respects the minimum length and counts free places over the whole run', () => {
    expect(slotCountChoices([hour(8)], hour(8).startsAt, { ...policy, minDurationMinutes: 120 })).toEqual([]);
    expect(placesFree([hour(8, 3), hour(9, 1)], hour(8).startsAt, 2)).toBe(1);
    expect(priceOf(8, { slotCount: 2, quantity: 3 })).toBe(48);
  });
});
