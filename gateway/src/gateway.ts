import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { formatError } from '@linli/subgraph-kit/errors';
import { LiveEventType } from '@linli/subgraph-kit/events';
import { IdentitySigner } from '@linli/subgraph-kit/identity';
import { createLogger, type Logger } from '@linli/subgraph-kit/logger';
import { operabilityRoutes } from '@linli/subgraph-kit/observability/health';
import { observeRequests } from '@linli/subgraph-kit/observability/requests';
import { readContract, readSupergraph } from '@linli/schema';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Admission } from './admission/admission.js';
import type { GatewayConfig } from './config.js';
import { legacyJsonStatusPlugin } from './legacy-json-status.js';
import { explorerRouter, readPresets, type ExplorerPreset } from './explorer/explorer.js';
import type { CircuitStates } from './routing/circuit-breakers.js';
import { CommunityRouter } from './routing/community-router.js';
import { StaticDirectory, type CommunityDirectory } from './routing/directory.js';
import { ExchangeDirectory } from './routing/exchange-directory.js';
import { createHttpClient, type HttpClient } from './routing/http-client.js';
import { DeadlineDataSource } from './routing/read-retry.js';
import { createContextFunction, type GatewayContext } from './security/context.js';
import { SignedDataSource } from './security/signed-data-source.js';
import { ReusingSigner } from './security/signature-reuse.js';
import { EntityDeduplication } from './routing/entity-dedup.js';
import { InflightDeduplication } from './routing/inflight-dedup.js';
import { TokenVerifier } from './security/tokens.js';
import { createLiveServer, type LiveServer } from './live/server.js';
import { communityFetchObserver, ObservedDataSource } from './observability/fetches.js';
import { GatewayMetrics } from './observability/metrics.js';
import { createRequestLimits, type RequestLimits } from './limits/request-limits.js';
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
  /**
   * Serve this supergraph instead of the committed one (benchmarks). Subgraphs other than
   * `community` and `exchange` are fetched, signed, at the URL the supergraph gives them.
   * Default: `schema/supergraph.graphql`.
   */
  supergraphSdl?: string;
}

export interface RunningGateway {
  /** The GraphQL endpoint, http://host:port/graphql; also graphql-ws (ws://host:port/graphql). */
  url: string;
  /** GraphQL over SSE: http://host:port/graphql/stream. */
  streamUrl: string;
  port: number;
  directory: CommunityDirectory;
  live: LiveServer;
  /** Each community's circuit breaker (state, recent counts, changes). */
  breakers: CircuitStates;
  close(): Promise<void>;
}

/**
 * The federation's one entry point: @apollo/gateway over the committed supergraph, with the
 * community subgraph served by the community router. Verifies the caller's token and sends
 * every subgraph the verified identity, signed.
 */
export async function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const signer = new ReusingSigner(config.signingKey);
  const http = createHttpClient({ timeoutMs: config.subgraphTimeoutMs });
  const exchangeHttp = createHttpClient({ timeoutMs: config.exchangeTimeoutMs });
  const metrics = new GatewayMetrics();
  const ownsDirectory = !options.directory;
  let directory: CommunityDirectory | undefined;
  let live: LiveServer | undefined;
  let limits: RequestLimits | undefined;
  let stopWatchingDirectory: (() => void) | null = null;
  let admission: Admission | null = null;
  try {
    directory = options.directory ?? (await defaultDirectory(config, http, signer, logger));
    // Only the exchange's directory has registrations to admit and changes to follow.
    const exchangeDirectory = directory instanceof ExchangeDirectory ? directory : null;
    const router = new CommunityRouter({ directory, fetcher: http.fetcher, signer, logger, observer: communityFetchObserver(metrics), timeoutMs: config.subgraphTimeoutMs, resilience: config.resilience });
    const exchange = new DeadlineDataSource(new SignedDataSource(config.exchangeUrl, exchangeHttp.fetcher, signer), {
      timeoutMs: config.exchangeTimeoutMs,
      ...config.resilience.readRetry,
    });
    const gateway = new ApolloGateway({
      supergraphSdl: options.supergraphSdl ?? readSupergraph(),
      buildService: ({ name, url }) => {
        // Repeated representations go once per fetch, then identical fetches in flight go once.
        const deduplicated = (source: GraphQLDataSource) => new EntityDeduplication(config.deduplicateInflight ? new InflightDeduplication(source) : source);
        if (name === 'community') return deduplicated(router);
        if (name === 'exchange') return deduplicated(new ObservedDataSource('exchange', exchange, metrics));
        if (options.supergraphSdl && url) return deduplicated(new SignedDataSource(url, http.fetcher, signer));
        throw new Error(`the supergraph names a subgraph the gateway does not know: ${name}`);
      },
      logger,
    });

    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    const httpServer = createServer(app);
    const observation = observeRequests({ metrics: metrics.service, logger });
    app.use(observation.http);
    limits = createRequestLimits(config.limits, { redisUrl: config.live.redisUrl, logger });
    const bounds = limits;
    const apollo = new ApolloServer<GatewayContext>({
      gateway,
      formatError: bounds.formatError(formatError),
      validationRules: bounds.apollo.validationRules,
      parseOptions: bounds.apollo.parseOptions,
      persistedQueries: bounds.apollo.persistedQueries,
      hideSchemaDetailsFromClientErrors: bounds.apollo.hideSchemaDetailsFromClientErrors,
      introspection: true,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      logger,
      // main.ts owns shutdown; Apollo's own handler would re-raise the signal mid-close.
      stopOnTerminationSignals: false,
      plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), observation.plugin, legacyJsonStatusPlugin(), ...bounds.apollo.plugins],
    });
    const tokens = new TokenVerifier({ secret: config.jwtSecret, issuer: config.jwtIssuer, directory, jwksTimeoutMs: config.jwksTimeoutMs, logger });
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
    live = createLiveServer({
      config: config.live,
      httpServer,
      execute,
      tokens,
      directory,
      logger,
      checks: bounds.checks,
      // Admission, suspension and reactivation take effect on the exchange's event, not at the next refresh.
      onEvent: (event) => {
        if (event.type === LiveEventType.DIRECTORY_CHANGED) {
          void exchangeDirectory?.announced(event.communityId, typeof event.data?.status === 'string' ? event.data.status : undefined);
        }
      },
    });
    const liveServer = live;
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => liveServer.setSchema(apiSchema));
    let supergraphLoaded = false;
    gateway.onSchemaLoadOrUpdate(() => (supergraphLoaded = true));
    stopWatchingDirectory = directory.onChange?.(() => liveServer.communitiesChanged()) ?? null;
    await apollo.start();
    // Events published before the gateway listens are not for it; without Redis it still serves queries.
    if (!(await live.ready(2_000))) logger.warn({ redisUrl: config.live.redisUrl }, 'live events: not subscribed to Redis yet; retrying in the background');
    if (exchangeDirectory) {
      admission = new Admission({
        directory: exchangeDirectory,
        exchangeUrl: config.exchangeUrl,
        fetcher: exchangeHttp.fetcher,
        signer,
        logger,
        contractSdl: readContract('community'),
        settings: config.admission,
      });
      admission.start();
    }
    const admitting = admission;

    app.get('/health', (_req, res) => {
      const { subscriptions, connections } = liveServer.metrics();
      res.json({ status: 'ok', service: 'gateway', live: { subscriptions, connections } });
    });
    // Counters of live delivery and this process's memory (for the subscriptions benchmark and operators).
    app.get('/live/metrics', (_req, res) => {
      res.json(liveServer.metrics());
    });
    metrics.watchLive(() => liveServer.metrics());
    metrics.watchBreakers(router.breakers);
    // Without Redis the gateway still answers queries, but live subscriptions would hear nothing.
    const readiness = [
      { name: 'supergraph', check: () => supergraphLoaded },
      { name: 'redis', check: () => liveServer.eventsConnected() },
    ];
    app.use(operabilityRoutes({ service: 'gateway', checks: readiness, metrics: metrics.service, logger }));
    app.use(explorerRouter(options.explorerPresets ?? readPresets(config.explorerPresetsFile)));
    app.all('/graphql/stream', (req, res) => void liveServer.sse(req, res));
    app.use('/graphql', ...bounds.body, observation.graphql, expressMiddleware(apollo, { context: bounds.context(createContextFunction(tokens)) }));

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
      breakers: router.breakers,
      close: async () => {
        stopWatchingDirectory?.();
        await admitting?.close();
        await liveServer.close();
        await apollo.stop();
        await bounds.close();
        router.close();
        if (ownsDirectory) await routed.close();
        await http.close();
        await exchangeHttp.close();
      },
    };
  } catch (error) {
    stopWatchingDirectory?.();
    await admission?.close();
    await live?.close();
    await limits?.close();
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
