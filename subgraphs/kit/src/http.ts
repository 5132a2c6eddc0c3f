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

export interface SubgraphHttpOptions<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  verifier: IdentityVerifier;
  /** Builds the per-request context once the gateway's signature is verified. */
  context: (viewer: Viewer) => Promise<TContext> | TContext;
  logger: Logger;
  /** Extra fields for GET /health. */
  health?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SubgraphHttp {
  app: Express;
  /** Listens on the port (0 = any free port) and resolves once ready. */
  listen(port: number, host?: string): Promise<RunningServer>;
}

/**
 * The HTTP face every Linli subgraph shares: POST /graphql behind the gateway's
 * signature (401 without it) and GET /health for the directory's health checks.
 */
export async function createSubgraphHttp<TContext extends BaseContext>(
  options: SubgraphHttpOptions<TContext>,
): Promise<SubgraphHttp> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    // Masked errors are logged with their stack (never the request's variables).
    formatError: (formatted, error) =>
      formatError(formatted, error, (original) => options.logger.error({ err: original, path: formatted.path }, 'unexpected error')),
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    logger: options.logger,
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    res.json({ status: 'ok', service: options.name, ...(await options.health?.()) });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context(options.verifier.verify(req.headers)),
    }),
  );

  return {
    app,
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
