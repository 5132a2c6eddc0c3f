import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The one vocabulary of error codes a Linli client sees in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** A ledger account would go below its limit; extensions carry the balance. */
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  COMMUNITY_UNAVAILABLE = 'COMMUNITY_UNAVAILABLE',
  /** Too many requests from one caller (e.g. a device); extensions carry `retryAfterMs`. */
  RATE_LIMITED = 'RATE_LIMITED',
  /**
   * A limit on what one request or connection may ask for (query depth, aliases, cost, body
   * size; live subscriptions per connection or per user); extensions name the `limit` and its `max`.
   */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** The gateway serves only operations it already knows (persisted-only mode); send a known hash. */
  PERSISTED_QUERY_REQUIRED = 'PERSISTED_QUERY_REQUIRED',
  /**
   * An open subscription the gateway can no longer serve (the schema changed under it, its
   * community left the federation); extensions carry the `reason`.
   */
  SUBSCRIPTION_INVALIDATED = 'SUBSCRIPTION_INVALIDATED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
};

/**
 * Every expected failure is a LinliError: a zh-CN message with the English beside it,
 * a code, and optional details a client can act on (never personal data).
 */
export class LinliError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    zh: string,
    en: string,
    details: Record<string, unknown> = {},
  ) {
    super(`${zh} (${en})`, {
      extensions: { code, ...details, ...(HTTP_STATUS[code] ? { http: { status: HTTP_STATUS[code] } } : {}) },
    });
    this.name = new.target.name;
  }
}

export class BadInputError extends LinliError {
  constructor(zh: string, en: string, details?: Record<string, unknown>) {
    super(ErrorCode.BAD_USER_INPUT, zh, en, details);
  }
}

export class UnauthenticatedError extends LinliError {
  constructor(zh = '请先登录', en = 'Sign-in required', details?: Record<string, unknown>) {
    super(ErrorCode.UNAUTHENTICATED, zh, en, details);
  }
}

export class ForbiddenError extends LinliError {
  constructor(zh = '无权执行此操作', en = 'You are not allowed to do this', details?: Record<string, unknown>) {
    super(ErrorCode.FORBIDDEN, zh, en, details);
  }
}

export class NotFoundError extends LinliError {
  constructor(what: { zh: string; en: string }, details?: Record<string, unknown>) {
    super(ErrorCode.NOT_FOUND, `${what.zh}不存在`, `${what.en} not found`, details);
  }
}

export class ConflictError extends LinliError {
  constructor(zh: string, en: string, details?: Record<string, unknown>) {
    super(ErrorCode.CONFLICT, zh, en, details);
  }
}

export class InsufficientFundsError extends LinliError {
  constructor(details: { accountId: string; unit: string; balance: number; available: number; required: number }) {
    super(
      ErrorCode.INSUFFICIENT_FUNDS,
      `余额不足：可用 ${details.available}，需要 ${details.required}`,
      `Insufficient funds: ${details.available} available, ${details.required} required`,
      details,
    );
  }
}

/**
 * The caller has used up its request allowance. Deliberately not HTTP 429: like every
 * other field error it fails only its own field, not the whole response.
 */
export class RateLimitedError extends LinliError {
  constructor(details: { retryAfterMs: number } & Record<string, unknown>) {
    super(ErrorCode.RATE_LIMITED, `请求过于频繁，请 ${Math.ceil(details.retryAfterMs / 1000)} 秒后再试`, `Too many requests; retry in ${details.retryAfterMs} ms`, details);
  }
}

export class CommunityUnavailableError extends LinliError {
  constructor(communityId: string, reason: string) {
    super(ErrorCode.COMMUNITY_UNAVAILABLE, `社区 ${communityId} 暂不可用`, `Community ${communityId} is unavailable: ${reason}`, {
      communityId,
    });
  }
}

/**
 * Maps whatever a resolver threw to what a client may see. Typed errors pass through;
 * type-graphql's validation errors become BAD_USER_INPUT; anything else is masked so
 * that internals (SQL, stack traces, personal data in messages) never leave the service.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  /** Told of every error that is masked, so that operators see what clients cannot. */
  onMasked?: (original: unknown) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof LinliError) {
    const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
    return { ...formatted, message: original.message, extensions };
  }
  const code = formatted.extensions?.code;
  if (isValidationError(original)) {
    return {
      ...formatted,
      message: '输入无效 (Invalid input)',
      extensions: { code: ErrorCode.BAD_USER_INPUT, validation: describeValidation(original) },
    };
  }
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // GraphQL's own errors (parse, validation, variable coercion) are about the request: keep them.
    return formatted;
  }
  onMasked?.(original);
  return {
    message: '服务器内部错误 (Internal server error)',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

interface ValidationLike {
  name: string;
  extensions?: { validationErrors?: Array<{ property: string; constraints?: Record<string, string>; children?: unknown[] }> };
  validationErrors?: Array<{ property: string; constraints?: Record<string, string> }>;
}

/**
 * type-graphql's ArgumentValidationError is a GraphQLError whose `name` is 'GraphQLError';
 * what marks it is the class validator's errors in its extensions.
 */
function isValidationError(e: unknown): e is ValidationLike {
  if (typeof e !== 'object' || e === null) return false;
  const v = e as ValidationLike;
  return v.name === 'ArgumentValidationError' || v.constructor?.name === 'ArgumentValidationError' || Array.isArray(v.extensions?.validationErrors);
}

function describeValidation(e: ValidationLike): Array<{ property: string; constraints: string[] }> {
  type Node = { property: string; constraints?: Record<string, string>; children?: Node[] };
  const roots = (e.extensions?.validationErrors ?? e.validationErrors ?? []) as Node[];
  const out: Array<{ property: string; constraints: string[] }> = [];
  const walk = (nodes: Node[], prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix}.${n.property}` : n.property;
      if (n.constraints) out.push({ property: path, constraints: Object.keys(n.constraints) });
      if (n.children?.length) walk(n.children, path);
    }
  };
  walk(roots, '');
  return out;
}
