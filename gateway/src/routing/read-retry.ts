import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDeadline } from './fetch-deadline.js';
import { isGraphQLError } from './failures.js';
import type { SubgraphResponse } from './community-router.js';

type ProcessOptions = GraphQLDataSourceProcessOptions;
type SubgraphRequest = ProcessOptions['request'];

export interface ReadRetryOptions {
  /** Further attempts after a transient failure of a read; 0 turns retries off. Default 2. */
  retries: number;
  /** Pause before the first retry, doubled for each next one and jittered ±50 %. Default 50. */
  backoffMs: number;
}

export const DEFAULT_READ_RETRY: ReadRetryOptions = { retries: 2, backoffMs: 50 };

export interface FetchPolicy extends ReadRetryOptions {
  /** Deadline of the whole fetch, retries and pauses included. */
  timeoutMs: number;
}

/**
 * Sends one subgraph fetch under one deadline. A fetch of a query operation that failed
 * transiently (see `isTransient`) is sent again, after a jittered pause, while the deadline
 * allows; anything else fails at once. Only queries: GraphQL promises they change nothing,
 * while a mutation whose answer was lost may already have taken effect.
 *
 * `request` is called per attempt because the data source rewrites `request.http`.
 */
export async function processWithin(
  source: GraphQLDataSource,
  options: ProcessOptions,
  request: () => SubgraphRequest,
  policy: FetchPolicy,
): Promise<SubgraphResponse> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const deadlineAt = Date.now() + policy.timeoutMs;
  const retries = isRead(options) ? policy.retries : 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await withDeadline(deadline, () => source.process({ ...options, request: request() }));
    } catch (error) {
      if (attempt >= retries || !isTransient(error)) throw error;
      const pauseMs = policy.backoffMs * 2 ** attempt * (0.5 + Math.random());
      if (Date.now() + pauseMs >= deadlineAt) throw error;
      try {
        await sleep(pauseMs, undefined, { signal: deadline });
      } catch {
        throw error;
      }
    }
  }
}

/** A fetch made for a client's query operation (not a mutation, nor the gateway's own fetches). */
export function isRead(options: ProcessOptions): boolean {
  // The request-kind enum is not exported by @apollo/gateway; compare its value.
  return (options.kind as string) === 'incoming operation' && 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
}

/**
 * A failure worth one more try: the connection failed (undici's "fetch failed" TypeError), or
 * a proxy or the instance said it is briefly unable to serve (502, 503, 504). Not a timeout:
 * it has used the deadline up. Not an answer with GraphQL errors: the same request would get
 * the same answer.
 */
export function isTransient(error: unknown): boolean {
  if (isGraphQLError(error)) {
    const status = (error.extensions.response as { status?: unknown } | undefined)?.status;
    return status === 502 || status === 503 || status === 504;
  }
  return error instanceof TypeError;
}

/** A copy of a subgraph request that a data source may rewrite without touching the original. */
export function freshRequest(request: SubgraphRequest, overrides: Pick<SubgraphRequest, 'query' | 'variables'> = {}): SubgraphRequest {
  return {
    query: overrides.query ?? request.query,
    variables: overrides.variables ?? request.variables,
    operationName: request.operationName,
    extensions: request.extensions,
    http: request.http && {
      method: request.http.method,
      url: request.http.url,
      headers: new Headers([...request.http.headers]),
    },
  };
}

/**
 * A data source with a deadline per fetch and read retries (the exchange's). The wrapped
 * source must fetch through the pooled client, which honours the deadline.
 */
export class DeadlineDataSource implements GraphQLDataSource {
  constructor(
    private readonly source: GraphQLDataSource,
    private readonly policy: FetchPolicy,
  ) {}

  process(options: ProcessOptions): Promise<SubgraphResponse> {
    return processWithin(this.source, options, () => freshRequest(options.request), this.policy);
  }
}
