import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { formatError } from '@linli/subgraph-kit/errors';
import { IdentitySigner } from '@linli/subgraph-kit/identity';
import { createLogger, type Logger } from '@linli/subgraph-kit/logger';
import { readSupergraph } from '@linli/schema';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.js';
import { explorerRouter, readPresets, type ExplorerPreset } from './explorer/explorer.js';
import { CommunityRouter } from './routing/community-router.js';
import { StaticDirectory, type CommunityDirectory } from './routing/directory.js';
import { ExchangeDirectory } from './routing/exchange-directory.js';
import { createHttpClient, type HttpClient } from './routing/http-client.js';
import { createContextFunction, type GatewayContext } from './security/context.js';
import { SignedDataSource } from './security/signed-data-source.js';
import { TokenVerifier } from './security/tokens.js';
import { createLiveServer, type LiveServer } from './live/server.js';
import type { Execute } from './live/registry.js';

export interface GatewayOptions {
  /**
   * Where communities are served. Default: `config.communityEndpoints` when set, else the
   * exchange's directory. A directory passed here is not closed by the gateway.
   */
  directory?: CommunityDirectory;
  /** Identity presets of the explorer. Default: read from `config.explorerPresetsFile`. */
  explorerPresets?: ExplorerPreset[];
  logger?: Logger;
}

export interface RunningGateway {
  /** The GraphQL endpoint, http://host:port/graphql; also graphql-ws (ws://host:port/graphql). */
  url: string;
  /** GraphQL over SSE: http://host:port/graphql/stream. */
  streamUrl: string;
  port: number;
  directory: CommunityDirectory;
  live: LiveServer;
  close(): Promise<void>;
}

/**
 * The federation's one entry point: @apollo/gateway over the committed supergraph, with the
 * community subgraph served by the community router. Verifies the caller's token and sends
 * every subgraph the verified identity, signed.
 */
export async function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const signer = new IdentitySigner(config.signingKey);
  const http = createHttpClient({ timeoutMs: config.subgraphTimeoutMs });
  const exchangeHttp = createHttpClient({ timeoutMs: config.exchangeTimeoutMs });
  const ownsDirectory = !options.directory;
  let directory: CommunityDirectory | undefined;
  let live: LiveServer | undefined;
  let stopWatchingDirectory: (() => void) | null = null;
  try {
    directory = options.directory ?? (await defaultDirectory(config, http, signer, logger));
    const router = new CommunityRouter({ directory, fetcher: http.fetcher, signer, logger });
    const exchange = new SignedDataSource(config.exchangeUrl, exchangeHttp.fetcher, signer);
    const gateway = new ApolloGateway({
      supergraphSdl: readSupergraph(),
      buildService: ({ name }) => {
        if (name === 'community') return router;
        if (name === 'exchange') return exchange;
        throw new Error(`the supergraph names a subgraph the gateway does not know: ${name}`);
      },
      logger,
    });

    const app = express();
    app.disable('x-powered-by');
    const httpServer = createServer(app);
    const apollo = new ApolloServer<GatewayContext>({
      gateway,
      formatError,
      introspection: true,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      logger,
      // main.ts owns shutdown; Apollo's own handler would re-raise the signal mid-close.
      stopOnTerminationSignals: false,
      plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    });
    const tokens = new TokenVerifier(config.jwtSecret, config.jwtIssuer);
    // Live payloads go through the same pipeline as HTTP queries: query plan, community router, formatError.
    const execute: Execute = async (request, viewer) => {
      const response = await apollo.executeOperation(
        { query: request.query, variables: request.variables ?? undefined, operationName: request.operationName ?? undefined },
        { contextValue: { viewer } },
      );
      if (response.body.kind !== 'single') return { data: null, errors: [{ message: 'Incremental delivery is not supported on live connections' }] };
      const { data, errors } = response.body.singleResult;
      return { data: data ?? null, ...(errors ? { errors } : {}) };
    };
    live = createLiveServer({ config: config.live, httpServer, execute, tokens, directory, logger });
    const liveServer = live;
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => liveServer.setSchema(apiSchema));
    stopWatchingDirectory = directory.onChange?.(() => liveServer.communitiesChanged()) ?? null;
    await apollo.start();
    // Events published before the gateway listens are not for it; without Redis it still serves queries.
    if (!(await live.ready(2_000))) logger.warn({ redisUrl: config.live.redisUrl }, 'live events: not subscribed to Redis yet; retrying in the background');

    app.get('/health', (_req, res) => {
      const { subscriptions, connections } = liveServer.metrics();
      res.json({ status: 'ok', service: 'gateway', live: { subscriptions, connections } });
    });
    // Counters of live delivery and this process's memory (for the subscriptions benchmark and operators).
    app.get('/live/metrics', (_req, res) => {
      res.json(liveServer.metrics());
    });
    app.use(explorerRouter(options.explorerPresets ?? readPresets(config.explorerPresetsFile)));
    app.all('/graphql/stream', (req, res) => void liveServer.sse(req, res));
    app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: createContextFunction(tokens) }));

    const port = await new Promise<number>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve((httpServer.address() as AddressInfo).port));
    }).catch(async (error: unknown) => {
      await liveServer.close();
      await apollo.stop();
      throw error;
    });
    const url = `http://${config.host}:${port}/graphql`;
    logger.info({ url }, 'gateway listening');
    const routed = directory;
    return {
      url,
      streamUrl: `${url}/stream`,
      port,
      directory: routed,
      live: liveServer,
      close: async () => {
        stopWatchingDirectory?.();
        await liveServer.close();
        await apollo.stop();
        if (ownsDirectory) await routed.close();
        await http.close();
        await exchangeHttp.close();
      },
    };
  } catch (error) {
    stopWatchingDirectory?.();
    await live?.close();
    if (ownsDirectory) await directory?.close();
    await http.close();
    await exchangeHttp.close();
    throw error;
  }
}

function defaultDirectory(config: GatewayConfig, http: HttpClient, signer: IdentitySigner, logger: Logger): Promise<CommunityDirectory> | CommunityDirectory {
  if (config.communityEndpoints) return new StaticDirectory(config.communityEndpoints);
  return ExchangeDirectory.start({ url: config.exchangeUrl, fetcher: http.fetcher, signer, logger, refreshMs: config.directoryRefreshMs });
}
