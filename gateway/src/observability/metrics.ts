import { LATENCY_BUCKETS_SECONDS, ServiceMetrics } from '@linli/subgraph-kit/observability/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { LiveMetrics } from '../live/server.js';
import type { CircuitState, CircuitStates } from '../routing/circuit-breakers.js';

/** How one subgraph fetch ended: answered, community unavailable, answer refused the request, or threw. */
export type FetchOutcomeLabel = 'ok' | 'unavailable' | 'refused' | 'error';

/** A community's circuit breaker as a gauge value: 0 closed, 1 half-open, 2 open. */
const BREAKER_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Prometheus registry: the GraphQL and HTTP series every service has, plus
 * each subgraph fetch by subgraph and community, and the live connections and
 * subscriptions. The `community` label only takes ids the directory routes (others are
 * `unregistered`), so it stays as small as the federation.
 */
export class GatewayMetrics {
  readonly service = new ServiceMetrics({ service: 'gateway' });
  private readonly fetches: Counter<'subgraph' | 'community' | 'outcome'>;
  private readonly fetchLatency: Histogram<'subgraph' | 'community'>;

  constructor() {
    const registers = [this.service.registry];
    this.fetches = new Counter({
      name: 'linli_gateway_subgraph_fetches_total',
      help: 'Fetches to subgraphs by subgraph, community and outcome',
      labelNames: ['subgraph', 'community', 'outcome'],
      registers,
    });
    this.fetchLatency = new Histogram({
      name: 'linli_gateway_subgraph_fetch_duration_seconds',
      help: 'Time of one fetch to a subgraph instance, by subgraph and community',
      labelNames: ['subgraph', 'community'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
  }

  recordFetch(subgraph: string, community: string, outcome: FetchOutcomeLabel, seconds: number): void {
    this.fetches.inc({ subgraph, community, outcome });
    this.fetchLatency.observe({ subgraph, community }, seconds);
  }

  /** Open subscriptions and connections, read from the live server at each scrape. */
  watchLive(read: () => LiveMetrics): void {
    const registers = [this.service.registry];
    new Gauge({
      name: 'linli_gateway_live_subscriptions',
      help: 'Open live subscriptions on this gateway',
      registers,
      collect() {
        this.set(read().subscriptions);
      },
    });
    new Gauge({
      name: 'linli_gateway_live_connections',
      help: 'Open live connections on this gateway, by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        const { connections } = read();
        this.set({ transport: 'ws' }, connections.ws);
        this.set({ transport: 'sse' }, connections.sse);
      },
    });
  }

  /** Each community's circuit breaker state, read at each scrape. */
  watchBreakers(circuits: CircuitStates): void {
    new Gauge({
      name: 'linli_gateway_community_breaker_state',
      help: 'Circuit breaker per community: 0 closed, 1 half-open, 2 open',
      labelNames: ['community'],
      registers: [this.service.registry],
      collect() {
        this.reset();
        for (const { communityId, state } of circuits.states()) this.set({ community: communityId }, BREAKER_VALUE[state]);
      },
    });
  }
}
