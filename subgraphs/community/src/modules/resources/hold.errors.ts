import { BadInputError, ConflictError, NotFoundError } from '@linli/subgraph-kit';
import type { ResourceStatus } from './resource.entity.js';

/** The booking-policy rule a placement broke, in `extensions.rule`. */
export type HoldRule =
  | 'bookingRef'
  | 'quantity'
  | 'timeRange'
  | 'minDuration'
  | 'maxDuration'
  | 'slotAlignment'
  | 'leadTime'
  | 'maxDaysAhead'
  | 'openingHours'
  | 'expiresAt';

export class HoldRuleError extends BadInputError {
  constructor(rule: HoldRule, zh: string, en: string, details: Record<string, unknown> = {}) {
    super(zh, en, { rule, ...details });
  }
}

/** Why a hold could not be placed or moved on, in `extensions.reason`. */
export type HoldConflictReason = 'CAPACITY' | 'BOOKING_REF_REUSED' | 'HOLD_EXPIRED' | 'HOLD_RELEASED' | 'RESOURCE_NOT_ACTIVE';

export class CapacityExceededError extends ConflictError {
  constructor(details: { resourceId: string; requested: number; available: number }) {
    super(
      `该时段剩余 ${details.available} 份，不足 ${details.requested} 份`,
      `Only ${details.available} unit(s) left at the busiest moment of this range; ${details.requested} requested`,
      { reason: 'CAPACITY' satisfies HoldConflictReason, ...details },
    );
  }
}

export class BookingRefReusedError extends ConflictError {
  constructor(bookingRef: string) {
    super('该预约编号已用于另一预留', 'This bookingRef already holds a different resource, range or quantity', {
      reason: 'BOOKING_REF_REUSED' satisfies HoldConflictReason,
      bookingRef,
    });
  }
}

export class HoldExpiredError extends ConflictError {
  constructor(bookingRef: string) {
    super('预留已过期', 'The hold has expired', { reason: 'HOLD_EXPIRED' satisfies HoldConflictReason, bookingRef });
  }
}

export class HoldReleasedError extends ConflictError {
  constructor(bookingRef: string) {
    super('预留已释放', 'The hold has been released', { reason: 'HOLD_RELEASED' satisfies HoldConflictReason, bookingRef });
  }
}

export class ResourceNotActiveError extends ConflictError {
  constructor(resourceId: string, status: ResourceStatus) {
    super('资源当前不可预约', `The resource is ${status}, not open for booking`, {
      reason: 'RESOURCE_NOT_ACTIVE' satisfies HoldConflictReason,
      resourceId,
      status,
    });
  }
}

export class HoldNotFoundError extends NotFoundError {
  constructor(bookingRef: string) {
    super({ zh: '预留', en: 'Hold' }, { bookingRef });
  }
}
