import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingHttpHeaders } from 'node:http';

export interface TracingOptions {
  /** `service.name` of every span, e.g. `linli-gateway`. */
  serviceName: string;
  /**
   * OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to
   * `<endpoint>/v1/traces`. Default none: tracing stays off and costs nothing.
   */
  otlpEndpoint?: string | null;
  /**
   * Share of traces kept, 0–1, decided where a trace starts (a request without a sampled
   * `traceparent`); a continued trace follows its caller's decision. Default 1.
   */
  sampleRatio?: number;
  /** Export here instead, span by span (tests: an in-memory exporter). Default none. */
  exporter?: SpanExporter;
}

/** What a service's config says about tracing (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT). */
export type TracingConfig = Pick<TracingOptions, 'serviceName' | 'otlpEndpoint' | 'sampleRatio'>;

export interface Tracing {
  enabled: boolean;
  /** Flushes what is buffered and unregisters the provider. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process: a global tracer provider with W3C trace-context
 * propagation and an async-local context, so spans started anywhere in a request nest under
 * its span. Spans are made by hand through @opentelemetry/api (require-hook
 * auto-instrumentation does not see ES modules reliably). Call once, from `main.ts`.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : options.otlpEndpoint
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }))
      : null;
  if (!processor) return { enabled: false, shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    enabled: true,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * The tracer of Linli's own spans; a no-op until `startTracing` registers a provider. Asked
 * for at each use: a tracer taken before registration stays a no-op when the provider
 * registers through another copy of @opentelemetry/api.
 */
export function tracer(): Tracer {
  return trace.getTracer('linli');
}

/** The trace context a request arrived with (`traceparent`), or none. */
export function extractTraceContext(headers: IncomingHttpHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Writes the active span's `traceparent` into outgoing headers, so the callee continues the trace. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** The trace id to log beside a request, if it is traced. */
export function traceIdOf(span: Span | undefined): string | undefined {
  const spanContext = span?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * Runs `work` inside a client span: what it sends carries this span's context, and a throw
 * marks the span as failed.
 */
export async function inClientSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span as failed, with a reason fit for a trace view (never personal data). */
export function markFailed(span: Span, reason: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}
