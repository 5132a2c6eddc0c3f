import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The deadline of the subgraph fetch in progress. RemoteGraphQLDataSource calls its fetcher
 * with a RequestInit it builds itself, so a caller cannot hand it a signal; the pooled
 * fetcher reads it from here instead, which keeps the deadline per fetch (and shared by
 * its retries) rather than per connection.
 */
const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `fetch` with `signal` as the deadline of every subgraph request it makes. */
export function withDeadline<T>(signal: AbortSignal, fetch: () => Promise<T>): Promise<T> {
  return current.run(signal, fetch);
}

/** The deadline set by `withDeadline` around the current call, if any. */
export function currentDeadline(): AbortSignal | undefined {
  return current.getStore();
}
