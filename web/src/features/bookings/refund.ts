import type { BookingStatus } from '../../gql/graphql';

export interface RefundPreview {
  /** `release`: never charged (awaiting approval), the held credit is freed. */
  kind: 'release' | 'refund';
  credits: number;
  percent: number;
}

interface Cancellable {
  status: BookingStatus;
  startsAt: string;
  priceCredits: number;
  listing: { fullRefundHoursBefore: number; lateCancellationRefundPercent: number };
}

export const canCancel = (booking: Cancellable, now: Date): boolean =>
  (booking.status === 'CONFIRMED' || booking.status === 'AWAITING_APPROVAL') && Date.parse(booking.startsAt) > now.getTime();

/**
 * What cancelling now gives back, by the exchange's rule: in full up to
 * `fullRefundHoursBefore` before the start, then `lateCancellationRefundPercent`, rounded down.
 */
export function refundPreview(booking: Cancellable, now: Date): RefundPreview {
  if (booking.status === 'AWAITING_APPROVAL') return { kind: 'release', credits: booking.priceCredits, percent: 100 };
  const hoursBefore = (Date.parse(booking.startsAt) - now.getTime()) / 3_600_000;
  const percent = hoursBefore >= booking.listing.fullRefundHoursBefore ? 100 : booking.listing.lateCancellationRefundPercent;
  return { kind: 'refund', credits: Math.floor((booking.priceCredits * percent) / 100), percent };
}
