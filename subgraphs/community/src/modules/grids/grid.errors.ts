import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '@linli/subgraph-kit';
import type { CaseStatus } from './case.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot name a record, and must not reach a uuid column. */
export function isUuid(id: string | null | undefined): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/** The rule of grid work an input broke, in `extensions.rule`. */
export type GridRule =
  | 'boundary'
  | 'gridId'
  | 'visitedAt'
  | 'needs'
  | 'transition'
  | 'assignee'
  | 'note'
  | 'onlyAtRegistration'
  | 'evaluation'
  | 'month'
  | 'settings';

export class GridRuleError extends BadInputError {
  constructor(rule: GridRule, zh: string, en: string, details: Record<string, unknown> = {}) {
    super(zh, en, { rule, ...details });
  }
}

export class InvalidTransitionError extends GridRuleError {
  constructor(from: CaseStatus, to: CaseStatus) {
    super('transition', `事件不能从 ${from} 转为 ${to}`, `A case cannot move from ${from} to ${to}`, { from, to });
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(idempotencyKey: string) {
    super('该幂等键已用于另一请求', 'This idempotencyKey was already used for a different request', {
      reason: 'IDEMPOTENCY_KEY_REUSED',
      idempotencyKey,
    });
  }
}

export class GridForbiddenError extends ForbiddenError {
  constructor(zh: string, en: string, details: Record<string, unknown> = {}) {
    super(zh, en, details);
  }
}

type Kind = 'grid' | 'household' | 'resident' | 'careRecipient' | 'case';
const NAMES: Record<Kind, { zh: string; en: string }> = {
  grid: { zh: '网格', en: 'Grid' },
  household: { zh: '住户', en: 'Household' },
  resident: { zh: '居民', en: 'Resident' },
  careRecipient: { zh: '关爱对象', en: 'Resident in care' },
  case: { zh: '事件', en: 'Case' },
};

export class GridRecordNotFoundError extends NotFoundError {
  constructor(kind: Kind, id: string) {
    super(NAMES[kind], { [`${kind}Id`]: id });
  }
}
