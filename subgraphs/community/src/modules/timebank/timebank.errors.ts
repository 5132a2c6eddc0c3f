import { BadInputError, ConflictError, ErrorCode, ForbiddenError, LinliError, NotFoundError } from '@linli/subgraph-kit';

export class RecipientNotFoundError extends NotFoundError {
  constructor(recipientId: string) {
    super({ zh: '服务对象', en: 'Service recipient' }, { recipientId });
  }
}

export class RequestNotFoundError extends NotFoundError {
  constructor(requestId: string) {
    super({ zh: '服务需求', en: 'Service request' }, { requestId });
  }
}

export class RecordNotFoundError extends NotFoundError {
  constructor(recordId: string) {
    super({ zh: '服务记录', en: 'Service record' }, { recordId });
  }
}

export class HoursHoldNotFoundError extends NotFoundError {
  constructor(holdId: string) {
    super({ zh: '时间预留', en: 'Hours hold' }, { holdId });
  }
}

export class NotAVolunteerError extends ForbiddenError {
  constructor() {
    super('请先登记为本社区志愿者', 'Register as a volunteer of this community first');
  }
}

/** Only the recipient or their registered proxy; never the volunteer who did the service. */
export class NotRecipientOrProxyError extends ForbiddenError {
  constructor(recordId: string) {
    super('只有服务对象或其代办人可以确认，志愿者不能确认自己的服务', 'Only the recipient or their proxy may confirm; never the volunteer', { recordId });
  }
}

export class SelfServiceError extends ForbiddenError {
  constructor() {
    super('不能为自己登记服务', 'You may not log a service to yourself');
  }
}

export class RecordDecidedError extends ConflictError {
  constructor(recordId: string, status: string) {
    super('该服务记录已处理', `The service record is already ${status}`, { reason: 'RECORD_DECIDED', recordId, status });
  }
}

export class RequestNotOpenError extends ConflictError {
  constructor(requestId: string) {
    super('该需求已有人服务', 'This request is already served', { reason: 'REQUEST_NOT_OPEN', requestId });
  }
}

export class HoldMismatchError extends ConflictError {
  constructor(holdId: string, details: Record<string, unknown>) {
    super('时间预留与需求不符', 'The hours hold does not match the request', { reason: 'HOLD_MISMATCH', holdId, ...details });
  }
}

export class LivingAloneFirstError extends ConflictError {
  constructor(waiting: number) {
    super(`尚有 ${waiting} 位独居老人未获分配`, `${waiting} elder(s) living alone have no allocated hours yet: they come first`, { reason: 'LIVING_ALONE_FIRST', waiting });
  }
}

export class FundShortError extends ConflictError {
  constructor(details: { available: number; outstanding: number; requested: number }) {
    super(`社区基金不足：可用 ${details.available}，已分配未用 ${details.outstanding}`, `The fund is short: ${details.available} available, ${details.outstanding} already allocated`, {
      reason: 'FUND_SHORT',
      ...details,
    });
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(key: string) {
    super('幂等键已用于另一请求', 'This idempotency key was already used for a different request', { reason: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: key });
  }
}

export class ServiceTimeError extends BadInputError {
  constructor(zh: string, en: string) {
    super(zh, en, { argument: 'startsAt/endsAt' });
  }
}

/** The shared ledger could not be asked now (a read this request needs); try again. */
export class LedgerUnavailableError extends LinliError {
  constructor(reason: string) {
    super(ErrorCode.COMMUNITY_UNAVAILABLE, '共享账本暂不可用，请稍后重试', `The shared ledger is unavailable: ${reason}`, { service: 'exchange' });
  }
}
