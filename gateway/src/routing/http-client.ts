import { Agent, fetch } from 'undici';
import type { Fetcher } from '../security/signed-data-source.js';

export interface HttpClientOptions {
  /** Whole-request deadline (connect, send, answer). */
  timeoutMs: number;
  /** Open connections per origin. Default 64. */
  connectionsPerOrigin?: number;
}

export interface HttpClient {
  fetcher: Fetcher;
  close(): Promise<void>;
}

/**
 * One pooled keep-alive client for every subgraph fetch: the stock data source opens a
 * connection per request, which costs more than the query itself on a local network.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connections: options.connectionsPerOrigin ?? 64,
    connect: { timeout: options.timeoutMs },
  });
  const fetcher: Fetcher = (url, init) =>
    fetch(url, {
      method: init?.method,
      headers: init?.headers,
      body: init?.body,
      dispatcher: agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  return {
    fetcher,
    close: () => agent.close(),
  };
}
