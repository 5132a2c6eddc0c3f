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
  /** The GraphQL endpoint, http://host:port/graphql. */
  url: string;
  port: number;
  directory: CommunityDirectory;
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
    await apollo.start();

    app.get('/health', (_req, res) => {
      res.json({ status: 'ok', service: 'gateway' });
    });
    app.use(explorerRouter(options.explorerPresets ?? readPresets(config.explorerPresetsFile)));
    app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: createContextFunction(new TokenVerifier(config.jwtSecret, config.jwtIssuer)) }));

    const port = await new Promise<number>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve((httpServer.address() as AddressInfo).port));
    }).catch(async (error: unknown) => {
      await apollo.stop();
      throw error;
    });
    const url = `http://${config.host}:${port}/graphql`;
    logger.info({ url }, 'gateway listening');
    const routed = directory;
    return {
      url,
      port,
      directory: routed,
      close: async () => {
        await apollo.stop();
        if (ownsDirectory) await routed.close();
        await http.close();
        await exchangeHttp.close();
      },
    };
  } catch (error) {
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
