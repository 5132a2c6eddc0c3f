import type { Viewer } from '@linli/subgraph-kit/identity';
import { getOperationAST, GraphQLError, parse, type DocumentNode } from './graphql.js';
import type { Authentication, TokenVerifier } from '../security/tokens.js';
import { toExecutionResult } from './errors.js';
import type { LiveRequest } from './operation.js';
import type { Execute, LiveRegistry } from './registry.js';
import type { LiveConnection, LiveResult, LiveSubscription } from './subscription.js';

/** What a transport does with one operation a client sent. */
export type Outcome =
  | { kind: 'stream'; subscription: LiveSubscription; document: DocumentNode }
  | { kind: 'result'; result: LiveResult; document: DocumentNode }
  | { kind: 'refused'; errors: readonly GraphQLError[] };

/** Close code (WebSocket) for a missing, invalid or expired token, as graphql-ws uses it. */
export const UNAUTHORIZED_CLOSE = 4401;

/**
 * What graphql-ws and SSE have in common: who the client is, and what becomes of each
 * operation — subscriptions go to the registry, queries and mutations through the
 * gateway's ordinary pipeline as the connection's viewer.
 */
export class LiveSessions {
  constructor(
    private readonly registry: LiveRegistry,
    private readonly execute: Execute,
    private readonly tokens: TokenVerifier,
  ) {}

  /** Throws UNAUTHENTICATED for an invalid or expired token; no token is an anonymous visitor. */
  authenticate(authorization: unknown): Promise<Authentication> {
    return this.tokens.authenticate(typeof authorization === 'string' ? authorization : undefined);
  }

  /**
   * Calls `onEnd` when the connection's token stops being good: at its expiry or, for a
   * community identity provider's token, as soon as the directory stops trusting that
   * community. Returns a function that stops watching.
   */
  watch(auth: Authentication, onEnd: (reason: string) => void): () => void {
    const cancelExpiry = onTokenExpiry(auth.expiresAt, () => onEnd('Token expired'));
    const { stillTrusted } = auth;
    const stopWatching = stillTrusted
      ? this.tokens.onDirectoryChange(() => {
          if (!stillTrusted()) onEnd('Token issuer no longer trusted');
        })
      : () => {};
    return () => {
      cancelExpiry();
      stopWatching();
    };
  }

  async operation(request: LiveRequest, viewer: Viewer, connection: LiveConnection): Promise<Outcome> {
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return { kind: 'refused', errors: [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')] };
    }
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (operation?.operation === 'subscription') {
      const accepted = await this.registry.subscribe(request, viewer, connection);
      return accepted.ok ? { kind: 'stream', subscription: accepted.subscription, document } : { kind: 'refused', errors: accepted.errors };
    }
    return { kind: 'result', result: toExecutionResult(await this.execute(request, viewer)), document };
  }
}

/**
 * Calls `onExpiry` when the token runs out (long connections outlive short tokens);
 * returns a function that cancels it.
 */
function onTokenExpiry(expiresAt: Date | null, onExpiry: () => void): () => void {
  if (!expiresAt) return () => {};
  // setTimeout takes at most 2^31-1 ms (~24.8 days); a longer token is re-armed on the way.
  const arm = (): NodeJS.Timeout => {
    const left = expiresAt.getTime() - Date.now();
    const t = setTimeout(() => (expiresAt.getTime() > Date.now() ? (timer = arm()) : onExpiry()), Math.max(0, Math.min(left, 2_147_483_647)));
    t.unref();
    return t;
  };
  let timer = arm();
  return () => clearTimeout(timer);
}
