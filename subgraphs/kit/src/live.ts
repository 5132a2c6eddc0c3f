import type { PubSub } from 'type-graphql';
import { ErrorCode, LinliError } from './errors.js';

/**
 * Subscription fields live in the subgraph that owns the event, so that they compose into
 * the supergraph, but the gateway serves them: it receives the subgraphs' events from Redis
 * and resolves each subscriber's selection through ordinary queries. A subgraph never runs
 * a subscription itself; these stand in where type-graphql wants a pub/sub and a
 * `subscribe` function.
 */
export class ServedByGatewayError extends LinliError {
  constructor() {
    super(ErrorCode.BAD_USER_INPUT, '订阅请通过网关 (graphql-ws / SSE) 进行', 'Subscriptions are served by the gateway over graphql-ws or SSE');
  }
}

/** Pass as `pubSub` to type-graphql's buildSchema: nothing is ever published through it. */
export const gatewayServedPubSub: PubSub = {
  publish: () => {
    throw new ServedByGatewayError();
  },
  subscribe: () => {
    throw new ServedByGatewayError();
  },
};

/** `@Subscription(() => T, { subscribe: servedByGateway })`: refuses to run in the subgraph. */
export function servedByGateway(): never {
  throw new ServedByGatewayError();
}
