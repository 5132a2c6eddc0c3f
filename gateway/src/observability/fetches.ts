import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { inClientSpan, markFailed } from '@linli/subgraph-kit/observability/tracing';
import { performance } from 'node:perf_hooks';
import type { GatewayMetrics } from './metrics.js';

/** What the community router tells an observer about one sub-fetch. */
export type CommunityFetchOutcome = { ok: true } | { ok: false; failure: { kind: string; reason?: string } };

/** Sees each fetch the community router sends to one community. */
export interface CommunityFetchObserver {
  /** Runs `fetch` (which never throws) and passes its outcome through. */
  communityFetch<T extends CommunityFetchOutcome>(communityId: string, fetch: () => Promise<T>): Promise<T>;
}

/**
 * A client span per community fetch (the request carries its `traceparent`, so the
 * community's server span is its child) and the fetch's count and latency.
 */
export function communityFetchObserver(metrics: GatewayMetrics): CommunityFetchObserver {
  return {
    communityFetch: (communityId, fetch) =>
      inClientSpan('fetch community', { 'linli.subgraph': 'community', 'linli.community': communityId }, async (span) => {
        const started = performance.now();
        const outcome = await fetch();
        const seconds = (performance.now() - started) / 1000;
        if (outcome.ok) {
          metrics.recordFetch('community', communityId, 'ok', seconds);
          return outcome;
        }
        const { kind, reason } = outcome.failure;
        markFailed(span, reason ?? kind);
        // An id the directory does not know came from the client: not a label value.
        const community = reason === 'not registered' ? 'unregistered' : communityId;
        metrics.recordFetch('community', community, kind === 'refused' ? 'refused' : 'unavailable', seconds);
        return outcome;
      }),
  };
}

/** A subgraph data source (the exchange) whose every fetch gets a client span, a count and a latency. */
export class ObservedDataSource implements GraphQLDataSource {
  constructor(
    private readonly subgraph: string,
    private readonly source: GraphQLDataSource,
    private readonly metrics: GatewayMetrics,
  ) {}

  process(options: GraphQLDataSourceProcessOptions): ReturnType<GraphQLDataSource['process']> {
    return inClientSpan(`fetch ${this.subgraph}`, { 'linli.subgraph': this.subgraph }, async () => {
      const started = performance.now();
      try {
        const response = await this.source.process(options);
        this.metrics.recordFetch(this.subgraph, '', 'ok', (performance.now() - started) / 1000);
        return response;
      } catch (error) {
        this.metrics.recordFetch(this.subgraph, '', 'error', (performance.now() - started) / 1000);
        throw error;
      }
    });
  }
}
