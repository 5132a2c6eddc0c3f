import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatError } from './errors.js';
import type { IdentityVerifier, Viewer } from './identity.js';
import type { Logger } from './logger.js';
import { operabilityRoutes, type ReadinessCheck } from './observability/health.js';
import { ServiceMetrics } from './observability/metrics.js';
import { observeRequests } from './observability/requests.js';

export interface SubgraphHttpOptions<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  verifier: IdentityVerifier;
  /** Builds the per-request context once the gateway's signature is verified. */
  context: (viewer: Viewer) => Promise<TContext> | TContext;
  logger: Logger;
  /** Extra fields for GET /health. */
  health?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** What GET /readyz asks (the database, Redis where events are published). Default none. */
  readiness?: ReadinessCheck[];
  /** Labels on every metric of this instance, e.g. `{ community: 'qibao-a' }`. Default none. */
  metricLabels?: Record<string, string>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SubgraphHttp {
  app: Express;
  metrics: ServiceMetrics;
  /** Listens on the port (0 = any free port) and resolves once ready. */
  listen(port: number, host?: string): Promise<RunningServer>;
}

/**
 * The HTTP face every Linli subgraph shares: POST /graphql behind the gateway's
 * signature (401 without it), GET /health for the directory's health checks, the probes
 * GET /healthz and /readyz, GET /metrics, a log line per request, and a server span per
 * GraphQL request that continues the gateway's trace.
 */
export async function createSubgraphHttp<TContext extends BaseContext>(
  options: SubgraphHttpOptions<TContext>,
): Promise<SubgraphHttp> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const metrics = new ServiceMetrics({ service: options.name, labels: options.metricLabels });
  const observation = observeRequests({ metrics, logger: options.logger });
  app.use(observation.http);
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    // Masked errors are logged with their stack (never the request's variables).
    formatError: (formatted, error) =>
      formatError(formatted, error, (original) => options.logger.error({ err: original, path: formatted.path }, 'unexpected error')),
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), observation.plugin],
    logger: options.logger,
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    res.json({ status: 'ok', service: options.name, ...(await options.health?.()) });
  });
  app.use(operabilityRoutes({ service: options.name, checks: options.readiness ?? [], metrics, logger: options.logger }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    observation.graphql,
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context(options.verifier.verify(req.headers)),
    }),
  );

  return {
    app,
    metrics,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const url = `http://${host}:${address.port}/graphql`;
          options.logger.info({ url }, 'listening');
          resolve({
            url,
            port: address.port,
            close: async () => {
              await apollo.stop();
            },
          });
        });
      }),
  };
}
