import { DEFAULT_CIRCUIT, type CircuitOptions } from './circuit-breakers.js';
import { DEFAULT_READ_RETRY, type ReadRetryOptions } from './read-retry.js';

/** How the gateway keeps one slow or failing community from costing the others. */
export interface ResilienceOptions {
  /** Timeouts of single communities, overriding `subgraphTimeoutMs` (COMMUNITY_TIMEOUTS_MS). Default none. */
  communityTimeoutsMs: Record<string, number>;
  /** Retries of reads that failed transiently, community and exchange alike (READ_RETRIES, READ_RETRY_BACKOFF_MS). */
  readRetry: ReadRetryOptions;
  /** Each community's circuit breaker and in-flight cap (CIRCUIT_*). */
  circuit: CircuitOptions;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  communityTimeoutsMs: {},
  readRetry: DEFAULT_READ_RETRY,
  circuit: DEFAULT_CIRCUIT,
};
