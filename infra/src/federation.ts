import { mintDevToken } from '@linli/gateway';
import { Role } from '@linli/subgraph-kit/identity';
import type { FederationKeys } from './keys.js';
import { startService, type LaunchOptions, type ServiceProcess } from './services.js';

export interface CommunityDeployment {
  id: string;
  port: number;
  /** The community's own database; never shared with another community. */
  databaseUrl: string;
  /** Extra settings, e.g. SCHEDULER_INTERVAL_MS or a test's EXCHANGE_CALL_FAULT. */
  env?: Record<string, string>;
}

export interface FederationPlan {
  keys: FederationKeys;
  /** `env`: extra settings, e.g. BOOKING_APPROVAL_WINDOW_SECONDS or a test's SAGA_FAULT. */
  exchange: { port: number; databaseUrl: string; env?: Record<string, string> };
  communities: CommunityDeployment[];
  gateway: { port: number; directoryRefreshMs?: number; explorerPresetsFile?: string; env?: Record<string, string> };
  logLevel?: string;
  /**
   * Prefix of the Redis channels live events travel on (EVENT_CHANNEL_PREFIX). Default
   * `linli`; test federations sharing one Redis each take their own.
   */
  eventChannelPrefix?: string;
}

export const communityServiceName = (id: string) => `community:${id}`;

export function communityEndpoint(port: number): string {
  return `http://127.0.0.1:${port}/graphql`;
}

/**
 * A running federation: every community, the exchange and the gateway as separate
 * processes, as they would be deployed. The demo (`npm start`) and the end-to-end tests
 * both start it through here.
 */
export class Federation {
  readonly services = new Map<string, ServiceProcess>();

  constructor(
    private readonly plan: FederationPlan,
    private readonly launch: LaunchOptions,
  ) {}

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.plan.gateway.port}/graphql`;
  }

  get exchangeUrl(): string {
    return `http://127.0.0.1:${this.plan.exchange.port}/graphql`;
  }

  communityUrl(id: string): string {
    const deployment = this.plan.communities.find((c) => c.id === id);
    if (!deployment) throw new Error(`no community ${id} in this federation`);
    return communityEndpoint(deployment.port);
  }

  /** `env` replaces the deployment's extra settings for this start (a restart without a fault, say). */
  async startCommunity(deployment: CommunityDeployment, env: Record<string, string> | undefined = deployment.env): Promise<void> {
    if (!this.plan.communities.some((c) => c.id === deployment.id)) this.plan.communities.push(deployment);
    // The community reaches the shared ledger (points → credit, time-bank hours) through the
    // gateway, as its own service: SERVICE, with the community as its home.
    const serviceToken = mintDevToken(
      this.plan.keys.jwtSecret,
      { userId: `service-${deployment.id}`, homeCommunityId: deployment.id, roles: [Role.SERVICE] },
      { ttlSeconds: 365 * 86_400 },
    );
    await this.add(
      startService(
        {
          name: communityServiceName(deployment.id),
          entry: 'subgraphs/community/src/main.ts',
          env: {
            ...this.commonEnv(),
            COMMUNITY_ID: deployment.id,
            DATABASE_URL: deployment.databaseUrl,
            PORT: String(deployment.port),
            GATEWAY_URL: this.gatewayUrl,
            GATEWAY_SERVICE_TOKEN: serviceToken,
            ...env,
          },
          healthUrl: `http://127.0.0.1:${deployment.port}/health`,
        },
        this.launch,
      ),
    );
  }

  /** `env` replaces the plan's extra settings for this start (a restart without a fault, say). */
  async startExchange(env: Record<string, string> | undefined = this.plan.exchange.env): Promise<void> {
    // The exchange reaches owning communities (holds) through the gateway, as a service.
    const serviceToken = mintDevToken(
      this.plan.keys.jwtSecret,
      { userId: 'exchange', homeCommunityId: null, roles: [Role.SERVICE] },
      { ttlSeconds: 365 * 86_400 },
    );
    await this.add(
      startService(
        {
          name: 'exchange',
          entry: 'subgraphs/exchange/src/main.ts',
          env: {
            ...this.commonEnv(),
            DATABASE_URL: this.plan.exchange.databaseUrl,
            PORT: String(this.plan.exchange.port),
            GATEWAY_URL: this.gatewayUrl,
            GATEWAY_SERVICE_TOKEN: serviceToken,
            ...env,
          },
          healthUrl: `http://127.0.0.1:${this.plan.exchange.port}/health`,
        },
        this.launch,
      ),
    );
  }

  /**
   * The gateway; `another` starts one more gateway process beside it (under its own name
   * and port), as a horizontally scaled deployment would run them.
   */
  async startGateway(another?: { name: string; port: number }): Promise<void> {
    const { gateway, keys } = this.plan;
    const port = another?.port ?? gateway.port;
    await this.add(
      startService(
        {
          name: another?.name ?? 'gateway',
          entry: 'gateway/src/main.ts',
          env: {
            ...this.eventEnv(),
            LOG_LEVEL: this.plan.logLevel ?? 'info',
            PORT: String(port),
            EXCHANGE_URL: this.exchangeUrl,
            GATEWAY_SIGNING_KEY: keys.signingKeyPem,
            JWT_SECRET: keys.jwtSecret,
            ...(gateway.directoryRefreshMs ? { DIRECTORY_REFRESH_MS: String(gateway.directoryRefreshMs) } : {}),
            ...(gateway.explorerPresetsFile ? { EXPLORER_PRESETS_FILE: gateway.explorerPresetsFile } : {}),
            ...gateway.env,
          },
          healthUrl: `http://127.0.0.1:${port}/health`,
        },
        this.launch,
      ),
    );
  }

  /** Stops one service (e.g. to see how the federation copes without a community). */
  async stopService(name: string): Promise<void> {
    const service = this.services.get(name);
    this.services.delete(name);
    await service?.stop();
  }

  /** Kills one service with SIGKILL, as a crash would (it may have died already). */
  async killService(name: string): Promise<void> {
    const service = this.services.get(name);
    this.services.delete(name);
    await service?.kill();
  }

  service(name: string): ServiceProcess | undefined {
    return this.services.get(name);
  }

  /** Stops the gateways first, so no request reaches a subgraph that is going away. */
  async stop(): Promise<void> {
    const gateways = [...this.services.values()].filter((s) => s.name === 'gateway' || s.name.startsWith('gateway:'));
    await Promise.all(gateways.map((g) => this.stopService(g.name)));
    await Promise.all([...this.services.keys()].map((name) => this.stopService(name)));
  }

  private commonEnv(): Record<string, string> {
    return { ...this.eventEnv(), LOG_LEVEL: this.plan.logLevel ?? 'info', GATEWAY_PUBLIC_KEY: this.plan.keys.publicKeyPem };
  }

  private eventEnv(): Record<string, string> {
    return this.plan.eventChannelPrefix ? { EVENT_CHANNEL_PREFIX: this.plan.eventChannelPrefix } : {};
  }

  private async add(started: Promise<ServiceProcess>): Promise<void> {
    const service = await started;
    this.services.set(service.name, service);
  }
}

/** Subgraphs first (in parallel), then the gateway, which reads the directory at start. */
export async function startFederation(plan: FederationPlan, launch: LaunchOptions = {}): Promise<Federation> {
  const federation = new Federation(plan, launch);
  try {
    // Every start settles before giving up: one that fails early must not leave the others
    // (still starting) running unowned once stop() has gone by.
    const started = await Promise.allSettled([federation.startExchange(), ...plan.communities.map((c) => federation.startCommunity(c))]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await federation.startGateway();
  } catch (error) {
    await federation.stop();
    throw error;
  }
  return federation;
}
