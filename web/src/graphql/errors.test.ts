import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../i18n/locales/en';
import { zhCN } from '../i18n/locales/zh-CN';
import { describeProblem, localizeServerMessage } from './errors';

const t = i18next.createInstance();
beforeAll(async () => {
  await t.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const graphQLError = (message: string, extensions: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message, extensions }] });

describe('errors, said plainly', () => {
  it('keeps the half of a bilingual server message the reader asked for', () => {
    expect(localizeServerMessage('预约状态已变化，请刷新后重试 (The booking is now CONFIRMED; reload and retry)', 'zh-CN')).toBe('预约状态已变化，请刷新后重试');
    expect(localizeServerMessage('预约状态已变化，请刷新后重试 (The booking is now CONFIRMED; reload and retry)', 'en')).toBe('The booking is now CONFIRMED; reload and retry');
    expect(localizeServerMessage('plain', 'en')).toBe('plain');
  });

  it('gives INSUFFICIENT_FUNDS with what is available and what is needed', () => {
    const problem = describeProblem(graphQLError('x (y)', { code: 'INSUFFICIENT_FUNDS', balance: 100, available: 80, required: 90 }), t.t, 'zh-CN');
    expect(problem).toMatchObject({ code: 'INSUFFICIENT_FUNDS', message: '积分不足：可用 80，需要 90' });
  });

  it('names the capacity conflict and the policy rule broken, with its figure', () => {
    expect(describeProblem(graphQLError('x (y)', { code: 'CONFLICT', reason: 'CAPACITY' }), t.t, 'zh-CN').message).toBe('该时段名额刚刚被约满，请选择其他时段');
    const rule = describeProblem(graphQLError('x (y)', { code: 'BAD_USER_INPUT', rule: 'maxDuration', maxDurationMinutes: 120 }), t.getFixedT('en'), 'en');
    expect(rule.message).toBe('Book at most 120 minutes');
  });

  it('falls back to the server’s own words for codes it has no wording for', () => {
    const problem = describeProblem(graphQLError('幂等键已用于另一次预约 (This idempotency key was already used)', { code: 'CONFLICT', argument: 'idempotencyKey' }), t.t, 'zh-CN');
    expect(problem.message).toBe('幂等键已用于另一次预约');
  });

  it('says how long to wait when the gateway refuses for too many requests, from the error or from Retry-After', () => {
    const refused = describeProblem(graphQLError('请求过于频繁 (Too many requests)', { code: 'RATE_LIMITED', retryAfterSeconds: 17 }), t.t, 'zh-CN');
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: '操作过于频繁，请 17 秒后再试' });
    const response = new Response('{}', { status: 429, headers: { 'retry-after': '42' } });
    const legacy = new ServerError('429', { response, bodyText: '{}' });
    expect(describeProblem(legacy, t.getFixedT('en'), 'en')).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many requests; try again in 42 s' });
  });

  it('asks for a smaller request when an operation is over the gateway’s limits', () => {
    const problem = describeProblem(graphQLError('查询嵌套过深 (Query is nested too deeply)', { code: 'LIMIT_EXCEEDED', limit: 'depth', max: 12, found: 13 }), t.t, 'zh-CN');
    expect(problem.message).toBe('这次请求过大或过于复杂，请缩小范围后再试');
  });
});
