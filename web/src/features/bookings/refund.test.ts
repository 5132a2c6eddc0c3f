import { describe, expect, it } from 'vitest';
import { canCancel, refundPreview } from './refund';

const now = new Date('2026-11-25T00:00:00Z');
const booking = (hoursAhead: number, status: 'CONFIRMED' | 'AWAITING_APPROVAL' = 'CONFIRMED') => ({
  status,
  startsAt: new Date(now.getTime() + hoursAhead * 3_600_000).toISOString(),
  priceCredits: 25,
  listing: { fullRefundHoursBefore: 24, lateCancellationRefundPercent: 50 },
});

describe('what cancelling gives back', () => {
  it('refunds in full up to the listing’s deadline, then its percentage rounded down', () => {
    expect(refundPreview(booking(24), now)).toEqual({ kind: 'refund', credits: 25, percent: 100 });
    expect(refundPreview(booking(23.9), now)).toEqual({ kind: 'refund', credits: 12, percent: 50 });
  });

  it('releases the held price of a booking still awaiting approval', () => {
    expect(refundPreview(booking(2, 'AWAITING_APPROVAL'), now)).toEqual({ kind: 'release', credits: 25, percent: 100 });
  });

  it('offers cancelling only before the start', () => {
    expect(canCancel(booking(1), now)).toBe(true);
    expect(canCancel(booking(0), now)).toBe(false);
    expect(canCancel({ ...booking(5), status: 'CANCELLED' as never }, now)).toBe(false);
  });
});
