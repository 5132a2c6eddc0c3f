import { CombinedGraphQLErrors, ServerError, type ErrorLike } from '@apollo/client';
import type { TFunction } from 'i18next';
import type { Language } from '../i18n/languages';

/** What went wrong, in the reader's language, and the code the gateway gave it. */
export interface Problem {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const KNOWN_RULES = [
  'range',
  'past',
  'quantity',
  'listingPeriod',
  'slotAlignment',
  'minDuration',
  'maxDuration',
  'leadTime',
  'maxDaysAhead',
  'started',
  'resident',
  'audience',
] as const;
type KnownRule = (typeof KNOWN_RULES)[number];
const isKnownRule = (rule: unknown): rule is KnownRule => KNOWN_RULES.includes(rule as KnownRule);

/**
 * Turns an Apollo error into one clear sentence. The codes the booking flow expects
 * (CONFLICT, INSUFFICIENT_FUNDS, a broken policy rule, an unavailable community, the
 * gateway's rate and size limits) get the
 * client's own wording with the figures the gateway sent; anything else shows the server's
 * bilingual message in the reader's language.
 */
export function describeProblem(error: ErrorLike, t: TFunction, language: Language): Problem {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const details: Record<string, unknown> = { ...(first?.extensions ?? {}) };
    const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
    const server = first ? localizeServerMessage(first.message, language) : t('errors.unknown');
    return { code, details, message: messageFor(code, details, server, t) };
  }
  if (ServerError.is(error)) {
    // The gateway's 429 as a legacy application/json answer: the wait is in Retry-After.
    if (error.statusCode === 429) {
      const seconds = Number(error.response.headers.get('retry-after') ?? NaN);
      return { code: 'RATE_LIMITED', details: { status: 429 }, message: t('errors.rateLimited', { seconds: Number.isFinite(seconds) ? seconds : 60 }) };
    }
    return { code: 'NETWORK', details: { status: error.statusCode }, message: t('errors.network') };
  }
  return { code: 'NETWORK', details: {}, message: t('errors.network') };
}

function messageFor(code: string, details: Record<string, unknown>, server: string, t: TFunction): string {
  switch (code) {
    case 'INSUFFICIENT_FUNDS':
      return t('errors.insufficientFunds', { available: num(details.available ?? details.balance), required: num(details.required) });
    case 'CONFLICT':
      if (details.reason === 'CAPACITY') return t('errors.capacity');
      if (details.reason === 'LISTING_WITHDRAWN') return t('errors.listingWithdrawn');
      if (details.reason === 'RESOURCE_INACTIVE' || details.reason === 'RESOURCE_NOT_ACTIVE') return t('errors.resourceInactive');
      return server;
    case 'BAD_USER_INPUT':
    case 'FORBIDDEN':
      if (isKnownRule(details.rule)) return t(`errors.rules.${details.rule}`, { ...stringValues(details) });
      return code === 'FORBIDDEN' && !server ? t('errors.forbidden') : server;
    case 'COMMUNITY_UNAVAILABLE':
      return t('errors.communityUnavailable');
    case 'RATE_LIMITED':
      return t('errors.rateLimited', { seconds: num(details.retryAfterSeconds ?? 60) });
    case 'LIMIT_EXCEEDED':
      return t('errors.tooComplex');
    case 'UNAUTHENTICATED':
      return t('errors.unauthenticated');
    case 'NOT_FOUND':
      return t('errors.notFound');
    default:
      return server;
  }
}

/** Linli's messages read "中文 (English)": keep the half the reader asked for. */
export function localizeServerMessage(message: string, language: Language): string {
  const match = /^([\s\S]*\S)\s*\(([^()]*)\)\s*$/.exec(message);
  if (!match?.[1] || !match[2]) return message;
  return language === 'en' ? match[2] : match[1];
}

const num = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0));

function stringValues(details: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details)) if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  return out;
}
