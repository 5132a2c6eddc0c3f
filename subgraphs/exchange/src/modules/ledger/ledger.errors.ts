import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '@linli/subgraph-kit';
import { notMemberMessage, type NotMemberReason } from '../directory/directory.errors.js';

export { InsufficientFundsError } from '@linli/subgraph-kit';

export class AccountNotFoundError extends NotFoundError {
  constructor(accountId: string) {
    super({ zh: '账户', en: 'Account' }, { accountId });
  }
}

export class PendingTransferNotFoundError extends NotFoundError {
  constructor(pendingId: string) {
    super({ zh: '待定转账', en: 'Pending transfer' }, { pendingId });
  }
}

/** A request the ledger can never carry out as given; `argument` names what to change. */
export class InvalidLedgerInputError extends BadInputError {
  constructor(zh: string, en: string, argument: string, details: Record<string, unknown> = {}) {
    super(zh, en, { argument, ...details });
  }
}

/** An account of a community that is not in the directory. */
export class UnknownCommunityError extends BadInputError {
  constructor(communityId: string) {
    super(`社区 ${communityId} 未登记`, `Community ${communityId} is not registered`, {
      argument: 'communityId',
      communityId,
      reason: 'UNKNOWN',
    });
  }
}

/**
 * A transfer id names one transfer forever: a retry with the same fields gets the first
 * result, anything else under that id is a client bug.
 */
export class TransferIdReusedError extends ConflictError {
  constructor(transferId: string) {
    super('转账 ID 已用于另一笔转账', 'This transfer id was already used for a different transfer', {
      reason: 'TRANSFER_ID_REUSED',
      transferId,
    });
  }
}

export type PendingConflictReason = 'PENDING_EXPIRED' | 'PENDING_POSTED' | 'PENDING_VOIDED';

const PENDING_CONFLICT: Record<PendingConflictReason, { zh: string; en: string }> = {
  PENDING_EXPIRED: { zh: '待定转账已过期', en: 'The pending transfer has expired' },
  PENDING_POSTED: { zh: '待定转账已入账', en: 'The pending transfer is already posted' },
  PENDING_VOIDED: { zh: '待定转账已撤销', en: 'The pending transfer is already voided' },
};

/** The pending transfer was already resolved the other way. */
export class PendingTransferConflictError extends ConflictError {
  constructor(pendingId: string, reason: PendingConflictReason) {
    super(PENDING_CONFLICT[reason].zh, PENDING_CONFLICT[reason].en, { reason, pendingId });
  }
}

/** A limit may not be set so low that the account already breaks it. */
export class LimitBelowBalanceError extends ConflictError {
  constructor(accountId: string, available: number, limit: number) {
    super('额度低于当前透支', 'The limit is below what the account already owes', {
      reason: 'LIMIT_BELOW_BALANCE',
      accountId,
      available,
      limit,
    });
  }
}

export class AccountHiddenError extends ForbiddenError {
  constructor(accountId: string) {
    super('无权查看此账户', 'You may not see this account', { accountId });
  }
}

export class NotCommunityAdminError extends ForbiddenError {
  constructor() {
    super('只有社区管理员可以发放积分', 'Only a community admin may issue credit');
  }
}

/** The admin's community is not an ACTIVE member of the directory. */
export class CommunityCannotIssueError extends ForbiddenError {
  constructor(communityId: string, reason: NotMemberReason) {
    const message = notMemberMessage(communityId, reason);
    super(
      message.zh,
      message.en,
      { communityId, reason },
    );
  }
}

/** The resident's account belongs to another home community. */
export class ResidentOfAnotherCommunityError extends ForbiddenError {
  constructor(residentId: string, communityId: string) {
    super('该居民不属于本社区', 'This resident does not belong to your community', { residentId, communityId });
  }
}

/** An issue would take a resident over the cap their community set on banked hours. */
export class BalanceCapError extends ConflictError {
  constructor(accountId: string, balance: number, amount: number, maxBalance: number) {
    super(`超过存储上限：现有 ${balance}，上限 ${maxBalance}`, `Over the cap: balance ${balance} + ${amount} would exceed ${maxBalance}`, {
      reason: 'BALANCE_CAP',
      accountId,
      balance,
      amount,
      maxBalance,
    });
  }
}

/** Not a pending hours payment into this community's account (or none at all). */
export class NotAnHoursHoldError extends NotFoundError {
  constructor(holdId: string, communityId: string) {
    super({ zh: '时间支付预留', en: 'Hours hold' }, { holdId, communityId });
  }
}

/** Only the community's own service may move its community's hours and credit this way. */
export class NotCommunityServiceError extends ForbiddenError {
  constructor(communityId: string) {
    super('只有该社区自己的服务可以执行此操作', 'Only the community\'s own service may do this', { communityId });
  }
}
