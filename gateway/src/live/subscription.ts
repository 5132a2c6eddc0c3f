import type { Viewer } from '@linli/subgraph-kit/identity';
import type { ExecutionResult } from './graphql.js';
import { LimitExceededError } from './errors.js';
import type { LiveField } from './fields.js';
import type { LiveRequest, ResolutionPlan } from './operation.js';

/** One payload as a client receives it. */
export type LiveResult = ExecutionResult;

/** A client connection (a WebSocket, or one SSE stream) as the registry sees it. */
export interface LiveConnection {
  readonly id: number;
  readonly transport: 'ws' | 'sse';
  /** The client's address, for the per-IP limit and anonymous users' per-user limit. */
  readonly ip: string;
  /** False once the client has gone (or been dropped). */
  readonly open: boolean;
  /** Ends the connection (a slow consumer, a token that expired). */
  drop(code: number, reason: string): void;
}

/** Close code for a client too slow to take what it subscribed to ("try again later"). */
export const SLOW_CONSUMER_CLOSE = 1013;

export interface LiveSubscriptionInit {
  id: number;
  connection: LiveConnection;
  viewer: Viewer;
  field: LiveField;
  args: Record<string, unknown>;
  /** As the client sent it: re-checked against every new schema. */
  request: LiveRequest;
  plan: ResolutionPlan;
  routeKey: string;
  /** Who the payload is read as (see `Sharing`): equal scope + equal plan = one resolution. */
  scopeKey: string;
  /** Deliveries waiting to be taken before the client counts as too slow. */
  maxQueued: number;
  onEnd: (subscription: LiveSubscription) => void;
}

/**
 * One open subscription: an async iterator over its payloads, fed by the registry in event
 * order. Each queued entry is the (shared) resolution of one event, so a delivery waits
 * for its own resolution and never overtakes an earlier one; a resolution that comes back
 * empty (the subscriber may not, or no longer, see the entity) is skipped.
 */
export class LiveSubscription implements AsyncIterableIterator<LiveResult> {
  readonly id: number;
  readonly connection: LiveConnection;
  readonly viewer: Viewer;
  readonly field: LiveField;
  readonly args: Record<string, unknown>;
  readonly request: LiveRequest;
  readonly routeKey: string;
  readonly scopeKey: string;
  plan: ResolutionPlan;

  private readonly queue: Array<Promise<LiveResult | null>> = [];
  private readonly maxQueued: number;
  private readonly onEnd: (subscription: LiveSubscription) => void;
  private wake: (() => void) | null = null;
  private ending: { error: Error | null; thrown: boolean } | null = null;

  constructor(init: LiveSubscriptionInit) {
    this.id = init.id;
    this.connection = init.connection;
    this.viewer = init.viewer;
    this.field = init.field;
    this.args = init.args;
    this.request = init.request;
    this.plan = init.plan;
    this.routeKey = init.routeKey;
    this.scopeKey = init.scopeKey;
    this.maxQueued = init.maxQueued;
    this.onEnd = init.onEnd;
  }

  get open(): boolean {
    return this.ending === null;
  }

  /** Queues the delivery of one event. A client that lets too many pile up is dropped. */
  enqueue(delivery: Promise<LiveResult | null>): void {
    if (this.ending) return;
    if (!this.connection.open) {
      this.end();
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.end(new LimitExceededError('queuedEvents', this.maxQueued));
      this.connection.drop(SLOW_CONSUMER_CLOSE, 'Slow consumer: too many undelivered events');
      return;
    }
    this.queue.push(delivery);
    this.wakeUp();
  }

  /** Ends the subscription; with an error, the client is told why (after nothing else). */
  end(error: Error | null = null): void {
    if (this.ending) return;
    this.ending = { error, thrown: false };
    this.queue.length = 0;
    this.onEnd(this);
    this.wakeUp();
  }

  async next(): Promise<IteratorResult<LiveResult>> {
    for (;;) {
      if (this.ending) {
        if (this.ending.error && !this.ending.thrown) {
          this.ending.thrown = true;
          throw this.ending.error;
        }
        return { done: true, value: undefined };
      }
      const head = this.queue[0];
      if (head) {
        const result = await head;
        if (this.queue[0] === head) this.queue.shift();
        if (result && !this.ending) return { done: false, value: result };
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<LiveResult>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(): Promise<IteratorResult<LiveResult>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
