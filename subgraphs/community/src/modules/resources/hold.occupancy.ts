import type { EntityManager } from '@mikro-orm/postgresql';
import type { Slot } from './slots.js';

/** What a live hold occupies: `quantity` units over [startsAt, endsAt). */
export interface Occupancy {
  startsAt: Date;
  endsAt: Date;
  quantity: number;
}

/** Quantity in use as a step function: `level` from `at` (epoch ms) until the next step. */
export interface Step {
  at: number;
  level: number;
}

/**
 * Live holds of a resource overlapping [from, to): CONFIRMED, or HELD and not yet expired
 * at `now`. Liveness is decided here and nowhere else, by the database's clock unless the
 * caller passes the instant it read under its lock. An expired HELD row counts as free
 * whether or not the sweep has marked it.
 */
export async function liveHolds(
  em: EntityManager,
  resourceId: string,
  range: { from: Date; to: Date },
  now: Date | null = null,
): Promise<Occupancy[]> {
  const rows = await em.execute<Array<{ starts_at: Date; ends_at: Date; quantity: number }>>(
    `select starts_at, ends_at, quantity from resource_hold
      where resource_id = ? and status in ('HELD', 'CONFIRMED') and ends_at > ? and starts_at < ?
        and (status = 'CONFIRMED' or expires_at > coalesce(?::timestamptz, clock_timestamp()))`,
    [resourceId, range.from, range.to, now],
  );
  return rows.map((r) => ({ startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at), quantity: r.quantity }));
}

/**
 * The sweep of boundaries: +quantity at each start, −quantity at each end. Ranges are
 * half-open, so a hold ending when another starts nets out at that instant.
 */
export function occupancyProfile(holds: readonly Occupancy[]): Step[] {
  const deltas = new Map<number, number>();
  for (const h of holds) {
    deltas.set(h.startsAt.getTime(), (deltas.get(h.startsAt.getTime()) ?? 0) + h.quantity);
    deltas.set(h.endsAt.getTime(), (deltas.get(h.endsAt.getTime()) ?? 0) - h.quantity);
  }
  let level = 0;
  return [...deltas.keys()]
    .sort((a, b) => a - b)
    .map((at) => {
      level += deltas.get(at)!;
      return { at, level };
    });
}

/** The highest quantity in use at any instant of [from, to). */
export function peakWithin(profile: readonly Step[], from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  let lo = 0;
  let hi = profile.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (profile[mid]!.at <= start) lo = mid + 1;
    else hi = mid;
  }
  let peak = lo > 0 ? profile[lo - 1]!.level : 0;
  for (let i = lo; i < profile.length && profile[i]!.at < end; i++) peak = Math.max(peak, profile[i]!.level);
  return peak;
}

/** Each slot's `availableQuantity` less the peak of live holds over it; one query for all slots. */
export async function subtractLiveHolds(em: EntityManager, resourceId: string, slots: Slot[]): Promise<Slot[]> {
  if (slots.length === 0) return slots;
  const from = new Date(Math.min(...slots.map((s) => s.startsAt.getTime())));
  const to = new Date(Math.max(...slots.map((s) => s.endsAt.getTime())));
  const holds = await liveHolds(em, resourceId, { from, to });
  if (holds.length === 0) return slots;
  const profile = occupancyProfile(holds);
  return slots.map((s) => ({ ...s, availableQuantity: Math.max(0, s.availableQuantity - peakWithin(profile, s.startsAt, s.endsAt)) }));
}
