import type { Dayjs } from 'dayjs';
import { shanghaiDateKey, shanghaiDay } from '../../i18n';

export interface Slot {
  startsAt: string;
  endsAt: string;
  availableQuantity: number;
}

export interface Day {
  /** YYYY-MM-DD in Shanghai. */
  key: string;
  start: Dayjs;
  slots: Slot[];
}

/** What the person picked: a start slot, how many slots in a row, how many places. */
export interface Selection {
  startsAt: string;
  slotCount: number;
  quantity: number;
}

export const DAYS_SHOWN = 7;

/** Seven Shanghai days from `first`, each with its slots in time order. */
export function weekOf(first: Dayjs, slots: readonly Slot[]): Day[] {
  const days: Day[] = Array.from({ length: DAYS_SHOWN }, (_, i) => {
    const start = shanghaiDay(first.add(i, 'day'));
    return { key: start.format('YYYY-MM-DD'), start, slots: [] };
  });
  const byKey = new Map(days.map((d) => [d.key, d]));
  for (const slot of [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    byKey.get(shanghaiDateKey(slot.startsAt))?.slots.push(slot);
  }
  return days;
}

/** The `count` slots from `startsAt` if they follow each other without a gap; else null. */
export function run(slots: readonly Slot[], startsAt: string, count: number): Slot[] | null {
  const sorted = [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const first = sorted.findIndex((s) => s.startsAt === startsAt);
  if (first < 0) return null;
  const picked = sorted.slice(first, first + count);
  if (picked.length !== count) return null;
  for (let i = 1; i < picked.length; i++) {
    if (Date.parse(picked[i]?.startsAt ?? '') !== Date.parse(picked[i - 1]?.endsAt ?? '')) return null;
  }
  return picked;
}

/**
 * How many slots in a row a booking from `startsAt` may take: between the policy's minimum
 * and maximum duration, every slot contiguous and with at least one free place.
 */
export function slotCountChoices(slots: readonly Slot[], startsAt: string, policy: { slotMinutes: number; minDurationMinutes: number; maxDurationMinutes: number }): number[] {
  const min = Math.max(1, Math.ceil(policy.minDurationMinutes / policy.slotMinutes));
  const max = Math.max(min, Math.floor(policy.maxDurationMinutes / policy.slotMinutes));
  const choices: number[] = [];
  for (let count = min; count <= max; count++) {
    const picked = run(slots, startsAt, count);
    if (picked && picked.every((s) => s.availableQuantity > 0)) choices.push(count);
  }
  return choices;
}

/** The most places free in every slot of the run (0 when the run is not bookable). */
export function placesFree(slots: readonly Slot[], startsAt: string, count: number): number {
  const picked = run(slots, startsAt, count);
  return picked ? Math.min(...picked.map((s) => s.availableQuantity)) : 0;
}

export function priceOf(pricePerSlot: number, selection: Pick<Selection, 'slotCount' | 'quantity'>): number {
  return pricePerSlot * selection.slotCount * selection.quantity;
}
