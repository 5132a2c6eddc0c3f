import { BadInputError, CommunityUnavailableError, ErrorCode } from '@linli/subgraph-kit/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type Path = ReadonlyArray<string | number>;

/** What a failed fetch to one community means for the fields it carried. */
export type Failure =
  /** The community cannot answer: each of its fields or entities gets null and COMMUNITY_UNAVAILABLE. */
  | { kind: 'unavailable'; reason: string }
  /** The community answered, but refused the request itself (e.g. 400): pass its errors on. */
  | { kind: 'refused'; errors: GraphQLFormattedError[] };

/** `reason` (e.g. `timed out`, `circuit open`) tells a client whether trying again soon can help. */
export function unavailableError(communityId: string, reason: string, path: Path): GraphQLFormattedError {
  const error = new CommunityUnavailableError(communityId, reason);
  return { message: error.message, path, extensions: { code: error.code, communityId, reason } };
}

export function unroutableError(path: Path): GraphQLFormattedError {
  const error = new BadInputError('无法确定社区：缺少 communityId', 'Cannot route: no communityId', { argument: 'communityId' });
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, path, extensions };
}

/**
 * Sorts what a failed sub-fetch threw. Connection failures, timeouts and 5xx answers mean
 * the community is unavailable; so does 401/403, because the instance then does not accept
 * this gateway, which the client can do nothing about. Other answers carry errors about the
 * request, which the client should see.
 */
export function classifyFailure(error: unknown): Failure {
  if (isGraphQLError(error)) {
    const response = error.extensions.response as { status?: unknown; body?: unknown } | undefined;
    const status = typeof response?.status === 'number' ? response.status : undefined;
    if (status === undefined) return { kind: 'unavailable', reason: 'invalid answer' };
    if (status >= 500) return { kind: 'unavailable', reason: `answered HTTP ${status}` };
    if (status === 401 || status === 403) return { kind: 'unavailable', reason: 'refused the gateway' };
    return { kind: 'refused', errors: bodyErrors(response?.body) ?? [{ message: error.message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] };
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'unavailable', reason: 'timed out' };
  }
  // undici reports refused, reset and unresolvable connections as TypeError ("fetch failed").
  if (error instanceof TypeError) return { kind: 'unavailable', reason: 'unreachable' };
  return { kind: 'unavailable', reason: 'invalid answer' };
}

/**
 * The data source's GraphQLError, recognised by shape: @apollo/gateway is CommonJS, and where
 * `graphql` is loaded twice (ESM and CommonJS, as under vitest) `instanceof` says no.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError' && typeof (error as Partial<GraphQLError>).extensions === 'object');
}

function bodyErrors(body: unknown): GraphQLFormattedError[] | null {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return null;
  return body.errors.map((e: unknown) => {
    const { message, extensions } = (typeof e === 'object' && e !== null ? e : {}) as { message?: unknown; extensions?: Record<string, unknown> };
    return { message: typeof message === 'string' ? message : 'Subgraph error', ...(extensions ? { extensions } : {}) };
  });
}
