import { ErrorCode, LinliError } from '@linli/subgraph-kit/errors';

/** Which request limit was hit; a client finds it in `extensions.limit`, the maximum in `extensions.max`. */
export type RequestLimitName = 'depth' | 'aliases' | 'rootFields' | 'tokens' | 'cost' | 'directives' | 'bodyBytes';

const WHAT: Record<RequestLimitName, { zh: string; en: string }> = {
  depth: { zh: '查询嵌套过深', en: 'Query is nested too deeply' },
  aliases: { zh: '查询中的别名过多', en: 'Query has too many aliases' },
  rootFields: { zh: '查询的根字段过多', en: 'Query selects too many root fields' },
  tokens: { zh: '查询过长', en: 'Query has too many tokens' },
  cost: { zh: '查询开销过大', en: 'Query is too costly' },
  directives: { zh: '查询中的指令过多', en: 'Query has too many directives' },
  bodyBytes: { zh: '请求体过大', en: 'Request body is too large' },
};

/** One request asks for more than the gateway grants; HTTP 400 (413 for the body). */
export class RequestLimitError extends LinliError {
  constructor(limit: RequestLimitName, max: number, found?: number) {
    const what = WHAT[limit];
    const seen = found === undefined ? { zh: '', en: '' } : { zh: `，实际 ${found}`, en: `, found ${found}` };
    super(ErrorCode.LIMIT_EXCEEDED, `${what.zh}：上限 ${max}${seen.zh}`, `${what.en}: at most ${max}${seen.en}`, {
      limit,
      max,
      ...(found === undefined ? {} : { found }),
      http: { status: limit === 'bodyBytes' ? 413 : 400 },
    });
  }
}

export type RateLimitName = 'perUser' | 'perIp';

/** Too many requests in the window: HTTP 429 with `Retry-After`, as the whole request is refused. */
export class RequestRateLimitedError extends LinliError {
  constructor(limit: RateLimitName, max: number, windowSeconds: number, retryAfterSeconds: number) {
    const who = limit === 'perUser' ? { zh: '该用户', en: 'this user' } : { zh: '该地址', en: 'this address' };
    super(
      ErrorCode.RATE_LIMITED,
      `${who.zh}请求过于频繁（每 ${windowSeconds} 秒最多 ${max} 次），请 ${retryAfterSeconds} 秒后再试`,
      `Too many requests from ${who.en} (at most ${max} per ${windowSeconds} s); retry in ${retryAfterSeconds} s`,
      { limit, max, windowSeconds, retryAfterSeconds, http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } },
    );
  }
}

/** Persisted-only mode: the operation is not one the gateway was given to trust. */
export class PersistedQueryRequiredError extends LinliError {
  constructor() {
    super(
      ErrorCode.PERSISTED_QUERY_REQUIRED,
      '此网关只接受已登记的操作，请发送其哈希',
      'This gateway serves only registered operations; send the hash of one',
      { http: { status: 400 } },
    );
  }
}
