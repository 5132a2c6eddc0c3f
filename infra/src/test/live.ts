import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A payload or the error that ended a subscription, as a client saw it. */
export interface Received {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }>;
}

/** One subscription of a real client, recording what it receives. */
export interface Subscriber {
  readonly received: Received[];
  /** Errors the subscription ended with (graphql-ws `error`, or a failed SSE request). */
  readonly failures: unknown[];
  readonly completed: boolean;
  /** Resolves with the first payload (from the start) that `match` accepts. */
  next(match?: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  /** Resolves once the subscription has ended (completed or failed). */
  ended(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

class Recorder implements Subscriber {
  readonly received: Received[] = [];
  readonly failures: unknown[] = [];
  completed = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly dispose: () => Promise<void> | void) {}

  push(r: Received): void {
    this.received.push(r);
    this.notify();
  }

  fail(error: unknown): void {
    this.failures.push(error);
    this.completed = true;
    this.notify();
  }

  complete(): void {
    this.completed = true;
    this.notify();
  }

  async next(match: (r: Received) => boolean = () => true, timeoutMs = 15_000): Promise<Received> {
    await this.until(() => this.received.some(match), timeoutMs, 'a matching payload');
    return this.received.find(match)!;
  }

  async ended(timeoutMs = 15_000): Promise<void> {
    await this.until(() => this.completed, timeoutMs, 'the subscription to end');
  }

  async close(): Promise<void> {
    await this.dispose();
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${JSON.stringify(this.received)}, failures ${JSON.stringify(this.failures.map(describe))}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function describe(error: unknown): unknown {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) return { code: (error as { code: unknown }).code, reason: (error as { reason?: unknown }).reason };
  return error;
}

export interface WsConnection {
  client: Client;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<number>;
  subscribe(query: string, variables?: Record<string, unknown>): Subscriber;
  close(): Promise<void>;
}

/** A graphql-ws client (the `graphql-transport-ws` protocol) on the gateway's `/graphql`. */
export function wsConnect(gatewayUrl: string, token?: string): WsConnection {
  let onClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createWsClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    shouldRetry: () => false,
    // Closes are what these tests look at; the client would print each one.
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  return {
    client,
    closed,
    subscribe(query, variables = {}) {
      const recorder: Recorder = new Recorder(() => dispose());
      const dispose = client.subscribe(
        { query, variables },
        {
          next: (value) => recorder.push(value as Received),
          error: (error) => recorder.fail(error),
          complete: () => recorder.complete(),
        },
      );
      return recorder;
    },
    close: async () => {
      await client.dispose();
    },
  };
}

/** A graphql-sse client (distinct connections mode) on the gateway's `/graphql/stream`. */
export function sseSubscribe(streamUrl: string, query: string, variables: Record<string, unknown> = {}, token?: string): Subscriber {
  const client = createSseClient({
    url: streamUrl,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    singleConnection: false,
  });
  const recorder: Recorder = new Recorder(() => {
    dispose();
    client.dispose();
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => recorder.push(value as Received),
      error: (error) => recorder.fail(error),
      complete: () => recorder.complete(),
    },
  );
  return recorder;
}

export interface LiveMetrics {
  events: number;
  matched: number;
  resolutions: number;
  deliveries: number;
  suppressed: number;
  failed: number;
  subscriptions: number;
  connections: { ws: number; sse: number };
  memory: { rssBytes: number; heapUsedBytes: number };
}

/** The gateway's live counters (`GET /live/metrics`). */
export async function liveMetrics(gatewayUrl: string): Promise<LiveMetrics> {
  const res = await fetch(new URL('/live/metrics', gatewayUrl));
  return (await res.json()) as LiveMetrics;
}

/** Waits until the gateway holds at least `count` open subscriptions. */
export async function untilSubscribed(gatewayUrl: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { subscriptions } = await liveMetrics(gatewayUrl);
    if (subscriptions >= count) return;
    if (Date.now() > deadline) throw new Error(`the gateway holds ${subscriptions} subscriptions, not ${count}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
