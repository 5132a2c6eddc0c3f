import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ServiceMetricsOptions {
  /** `service` label on every series (`gateway`, `community`, `exchange`). */
  service: string;
  /** More labels on every series, e.g. `{ community: 'qibao-a' }`. Default none. */
  labels?: Record<string, string>;
  /**
   * Distinct operation names kept as labels; later names count as `other`. Operation names
   * come from clients, so without a cap one client could grow the series without bound.
   * Default 200.
   */
  maxOperationNames?: number;
  /** Default process metrics (CPU, memory, event loop, GC). Default true. */
  processMetrics?: boolean;
}

/** Latency buckets in seconds: a local query takes milliseconds, a federated booking up to seconds. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

/**
 * Keeps label values of client-chosen names bounded: the first `max` distinct well-formed
 * values are kept, anything else becomes `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly pattern: RegExp = NAME,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (!this.pattern.test(value) || this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/**
 * One service's Prometheus registry: GraphQL operations by name and type, errors by
 * `extensions.code`, latency by operation, HTTP requests by route and status, and the
 * process's own metrics. A registry per service instance, not the global one, so several
 * services in one process (tests) keep apart.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operationNames: BoundedLabel;
  private readonly codes = new BoundedLabel(64, CODE);
  private readonly operations: Counter<'operation' | 'type'>;
  private readonly errors: Counter<'operation' | 'code'>;
  private readonly latency: Histogram<'operation' | 'type'>;
  private readonly http: Counter<'method' | 'route' | 'status'>;

  constructor(options: ServiceMetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service, ...options.labels });
    this.operationNames = new BoundedLabel(options.maxOperationNames ?? 200);
    const registers = [this.registry];
    this.operations = new Counter({
      name: 'linli_graphql_operations_total',
      help: 'GraphQL operations by operation name and type',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.errors = new Counter({
      name: 'linli_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by operation and extensions.code',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'linli_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its answer',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.http = new Counter({
      name: 'linli_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'linli_' });
  }

  /** The label of an operation name: `anonymous` without one, `other` past the cap. */
  operationLabel(name: string | null | undefined): string {
    return name ? this.operationNames.of(name) : 'anonymous';
  }

  /** One answered GraphQL operation with the codes of the errors it carried. */
  recordOperation(operation: string, type: OperationType, seconds: number, errorCodes: readonly string[]): void {
    this.operations.inc({ operation, type });
    this.latency.observe({ operation, type }, seconds);
    for (const code of errorCodes) this.recordError(operation, code);
  }

  recordError(operation: string, code: string): void {
    this.errors.inc({ operation, code: this.codes.of(code) });
  }

  recordHttp(method: string, route: string, status: number): void {
    this.http.inc({ method, route, status: String(status) });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
