import { BadInputError, ConflictError, ErrorCode, ForbiddenError, LinliError, NotFoundError } from '@linli/subgraph-kit';

export class BookingNotFoundError extends NotFoundError {
  constructor(bookingId: string) {
    super({ zh: '预约', en: 'Booking' }, { bookingId });
  }
}

/** A booking rule was broken; `rule` names it so a client can point at the field. */
export class BookingRuleError extends BadInputError {
  constructor(rule: string, zh: string, en: string, details: Record<string, unknown> = {}) {
    super(zh, en, { rule, ...details });
  }
}

export class NotBookableByError extends ForbiddenError {
  constructor(listingId: string, communityId: string | null) {
    super('您所在的社区不在此资源的开放范围内', 'Residents of your community may not book this listing', {
      listingId,
      communityId,
      rule: 'audience',
    });
  }
}

export class BookingStateError extends ConflictError {
  constructor(bookingId: string, status: string, zh: string, en: string) {
    super(zh, en, { bookingId, status });
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super('幂等键已用于另一次预约', 'This idempotency key was already used for a different booking', { argument: 'idempotencyKey' });
  }
}

/**
 * An error as another service (or an earlier attempt) reported it: same code, message and
 * details. A failed booking's replay answers with it, so a retry sees what the first saw.
 */
export function errorFrom(code: string, message: string, details: Record<string, unknown> | null): LinliError {
  const { code: _code, http: _http, ...rest } = details ?? {};
  const known = (Object.values(ErrorCode) as string[]).includes(code) ? (code as ErrorCode) : ErrorCode.CONFLICT;
  const error = new LinliError(known, '', '', rest);
  error.message = message;
  return error;
}
