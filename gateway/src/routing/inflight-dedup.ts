import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { viewerOf } from '../security/context.js';
import { isRead } from './read-retry.js';
import type { SubgraphResponse } from './community-router.js';

interface InFlight {
  answer: Promise<SubgraphResponse>;
  /** Requests that joined this fetch instead of sending their own. */
  joined: number;
}

/**
 * Sends one subgraph query for identical ones in flight at the same moment. Many people
 * opening the same page send the same operation, and the planner turns each into the same
 * subgraph fetches: while one is on the wire, the others wait for its answer instead of
 * repeating it. "Identical" includes who asks: the key holds the viewer's identity (user,
 * home community, roles), so an answer only reaches requests that would have been given the
 * same one. Mutations and subscriptions' setup never share.
 *
 * The planner merges later fetches into the objects of an answer, so whenever an answer is
 * shared every request gets a copy of its own and the original stays untouched.
 */
export class InflightDeduplication implements GraphQLDataSource {
  private readonly inflight = new Map<string, InFlight>();

  constructor(private readonly source: GraphQLDataSource) {}

  get inFlight(): number {
    return this.inflight.size;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<SubgraphResponse> {
    if (!isRead(options)) return this.source.process(options);
    const { query, variables, operationName } = options.request;
    const viewer = viewerOf(options.context);
    const key = JSON.stringify([query, operationName ?? null, variables ?? null, viewer.userId, viewer.homeCommunityId, viewer.roles]);
    const running = this.inflight.get(key);
    if (running) {
      running.joined++;
      return copy(await running.answer);
    }
    const entry: InFlight = { answer: this.source.process(options).finally(() => this.inflight.delete(key)), joined: 0 };
    this.inflight.set(key, entry);
    const answer = await entry.answer;
    // Settled: nobody joins any more, and the joiners copy the original after this returns.
    return entry.joined > 0 ? copy(answer) : answer;
  }
}

function copy(response: SubgraphResponse): SubgraphResponse {
  return {
    ...response,
    ...(response.data ? { data: structuredClone(response.data) } : {}),
    ...(response.errors ? { errors: structuredClone(response.errors) } : {}),
  };
}
