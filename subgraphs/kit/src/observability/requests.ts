import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OperationType, ServiceMetrics } from './metrics.js';
import { extractTraceContext, traceIdOf, tracer } from './tracing.js';

/** What is learnt about one HTTP request while it is served, for its log line and metrics. */
interface RequestRecord {
  startedAt: number;
  operation?: string;
  type?: OperationType;
  span?: Span;
}

const records = new WeakMap<Request, RequestRecord>();
const current = new AsyncLocalStorage<RequestRecord>();

/** Paths counted under their own name; anything else is `other`, so a scanner cannot grow the series. */
export const KNOWN_ROUTES = ['/graphql', '/graphql/stream', '/health', '/healthz', '/readyz', '/metrics', '/live/metrics'];
const PROBES = new Set(['/health', '/healthz', '/readyz', '/metrics']);

export interface RequestObservationOptions {
  metrics: ServiceMetrics;
  logger: Logger;
  /** Paths counted by name. Default `KNOWN_ROUTES`. */
  routes?: readonly string[];
}

export interface RequestObservation {
  /** Mount first, app-wide: times every request, counts it and logs one line when it ends. */
  http: RequestHandler;
  /**
   * Mount on the GraphQL route after the body parser (a body parser loses the async
   * context): opens the request's server span, continuing the caller's trace.
   */
  graphql: RequestHandler;
  /** Names the span and the log line after the operation; records operations, latency and error codes. */
  plugin: ApolloServerPlugin<BaseContext>;
}

/**
 * One request log line, HTTP counts, a server span per GraphQL request and GraphQL metrics.
 * The log line holds method, path (without query string), status, duration, operation name
 * and trace id — never headers, variables or the query string, which may carry tokens and
 * personal data.
 */
export function observeRequests(options: RequestObservationOptions): RequestObservation {
  const { metrics, logger } = options;
  const routes = new Set(options.routes ?? KNOWN_ROUTES);

  const http: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const record: RequestRecord = { startedAt: performance.now() };
    records.set(req, record);
    // req.path is read now: later middleware (routers) rewrite it.
    const path = req.path;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const durationMs = Math.round((performance.now() - record.startedAt) * 10) / 10;
      const route = routes.has(path) ? path : 'other';
      const status = res.headersSent ? res.statusCode : 499;
      metrics.recordHttp(req.method, route, status);
      if (record.span) {
        record.span.setAttribute('http.response.status_code', status);
        if (status >= 500) record.span.setStatus({ code: SpanStatusCode.ERROR });
        record.span.end();
      }
      const line = { method: req.method, path: route === 'other' ? path.slice(0, 200) : route, status, durationMs, operation: record.operation, traceId: traceIdOf(record.span) };
      // Probes arrive every few seconds; they would drown the requests worth reading.
      if (PROBES.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };

  const graphql: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
    const record = records.get(req) ?? { startedAt: performance.now() };
    const parent = extractTraceContext(req.headers);
    // Named after the operation once it is known (the plugin's didResolveOperation).
    const span = tracer().startSpan(`${req.method} ${req.baseUrl || req.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    record.span = span;
    current.run(record, () => context.with(trace.setSpan(parent, span), next));
  };

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const startedAt = performance.now();
      const record = current.getStore();
      let operation = 'invalid';
      let type: OperationType = 'unknown';
      return {
        async didResolveOperation({ operationName, operation: definition }) {
          operation = metrics.operationLabel(operationName);
          type = definition?.operation ?? 'unknown';
          if (record) {
            record.operation = operation;
            record.type = type;
          }
          const span = trace.getActiveSpan();
          span?.updateName(`${type} ${operation}`);
          span?.setAttributes({ 'graphql.operation.name': operation, 'graphql.operation.type': type });
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((error) => {
            const code = error.extensions?.code;
            return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
          });
          metrics.recordOperation(operation, type, (performance.now() - startedAt) / 1000, codes);
        },
      };
    },
    // A request refused before it is an operation (e.g. a subgraph's 401 for a bad signature).
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      metrics.recordError('none', typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR);
    },
  };

  return { http, graphql, plugin };
}
