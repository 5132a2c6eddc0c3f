import { Agent } from 'undici';
import type { Fetcher } from '../security/signed-data-source.js';
import { currentDeadline } from './fetch-deadline.js';
import { leanFetch } from './lean-fetch.js';

export interface HttpClientOptions {
  /** Whole-request deadline (connect, send, answer) when the caller set none with `withDeadline`. */
  timeoutMs: number;
  /**
   * Open connections per origin. Default 64. Every community instance is its own origin
   * (host:port), so a slow one fills only its own pool; two communities served from one
   * origin would share it.
   */
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
  const fetcher: Fetcher = leanFetch(agent, () => currentDeadline() ?? AbortSignal.timeout(options.timeoutMs));
  return {
    fetcher,
    close: () => agent.close(),
  };
}
