import { BadInputError, ConflictError, ErrorCode, ForbiddenError, LinliError, NotFoundError } from '@linli/subgraph-kit';

/** Which cap an award ran into, in `extensions.cap`. */
export type PointsCap = 'RULE_DAILY' | 'RULE_MONTHLY' | 'DAILY' | 'MONTHLY';

/** Nothing is left under some cap for the activity's day or month. */
export class PointsCapReachedError extends ConflictError {
  constructor(cap: PointsCap, details: { residentId: string; earnedOn: string; limit: number }) {
    const what = cap.endsWith('DAILY') ? { zh: '今日', en: 'daily' } : { zh: '本月', en: 'monthly' };
    super(`已达${what.zh}积分上限 ${details.limit}`, `The ${what.en} points cap (${details.limit}) is reached`, {
      reason: 'POINTS_CAP',
      cap,
      ...details,
    });
  }
}

export class NotEnoughPointsError extends LinliError {
  constructor(details: { balance: number; required: number }) {
    super(ErrorCode.INSUFFICIENT_FUNDS, `积分不足：现有 ${details.balance}，需要 ${details.required}`, `Not enough points: ${details.balance} held, ${details.required} required`, details);
  }
}

export class OutOfStockError extends ConflictError {
  constructor(rewardId: string) {
    super('礼品已兑完', 'This reward is out of stock', { reason: 'OUT_OF_STOCK', rewardId });
  }
}

export class RewardInactiveError extends ConflictError {
  constructor(rewardId: string) {
    super('礼品已下架', 'This reward is no longer offered', { reason: 'REWARD_INACTIVE', rewardId });
  }
}

export class RedemptionLimitError extends ConflictError {
  constructor(rewardId: string, limit: number) {
    super(`每人限兑 ${limit} 次`, `At most ${limit} per resident`, { reason: 'REDEMPTION_LIMIT', rewardId, limit });
  }
}

export class VoucherUsedError extends ConflictError {
  constructor(code: string) {
    super('兑换券已使用', 'This voucher was already used', { reason: 'VOUCHER_USED', voucherCode: code });
  }
}

export class ClaimDecidedError extends ConflictError {
  constructor(claimId: string, status: string) {
    super('该申请已处理', `The claim is already ${status}`, { reason: 'CLAIM_DECIDED', claimId, status });
  }
}

export class RuleInactiveError extends ConflictError {
  constructor(ruleId: string) {
    super('该积分规则已停用', 'This earning rule is no longer active', { reason: 'RULE_INACTIVE', ruleId });
  }
}

/** An idempotency key already names a different request. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(key: string) {
    super('幂等键已用于另一请求', 'This idempotency key was already used for a different request', { reason: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: key });
  }
}

export class ConversionCapError extends ConflictError {
  constructor(details: { capCredits: number; convertedCredits: number; requestedCredits: number }) {
    super(`超过本月兑换上限 ${details.capCredits}`, `Over this month's conversion cap of ${details.capCredits} credits`, { reason: 'CONVERSION_CAP', ...details });
  }
}

export class ConversionAmountError extends BadInputError {
  constructor(pointsPerCredit: number) {
    super(`积分须为 ${pointsPerCredit} 的整数倍`, `points must be a whole multiple of ${pointsPerCredit}`, { argument: 'points', pointsPerCredit });
  }
}

export class RuleNotFoundError extends NotFoundError {
  constructor(ruleId: string) {
    super({ zh: '积分规则', en: 'Earning rule' }, { ruleId });
  }
}

export class ClaimNotFoundError extends NotFoundError {
  constructor(claimId: string) {
    super({ zh: '积分申请', en: 'Claim' }, { claimId });
  }
}

export class RewardNotFoundError extends NotFoundError {
  constructor(rewardId: string) {
    super({ zh: '礼品', en: 'Reward' }, { rewardId });
  }
}

export class VoucherNotFoundError extends NotFoundError {
  constructor(code: string) {
    super({ zh: '兑换券', en: 'Voucher' }, { voucherCode: code });
  }
}

export class SelfAwardError extends ForbiddenError {
  constructor() {
    super('不能给自己发放或审批积分', 'You may not award or approve points for yourself');
  }
}
