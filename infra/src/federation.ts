import type { FederationKeys } from './keys.js';
import { startService, type LaunchOptions, type ServiceProcess } from './services.js';

export interface CommunityDeployment {
  id: string;
  port: number;
  /** The community's own database; never shared with another community. */
  databaseUrl: string;
}

export interface FederationPlan {
  keys: FederationKeys;
  exchange: { port: number; databaseUrl: string };
  communities: CommunityDeployment[];
  gateway: { port: number; directoryRefreshMs?: number; explorerPresetsFile?: string };
  logLevel?: string;
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

  async startCommunity(deployment: CommunityDeployment): Promise<void> {
    if (!this.plan.communities.some((c) => c.id === deployment.id)) this.plan.communities.push(deployment);
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
          },
          healthUrl: `http://127.0.0.1:${deployment.port}/health`,
        },
        this.launch,
      ),
    );
  }

  async startExchange(): Promise<void> {
    await this.add(
      startService(
        {
          name: 'exchange',
          entry: 'subgraphs/exchange/src/main.ts',
          env: { ...this.commonEnv(), DATABASE_URL: this.plan.exchange.databaseUrl, PORT: String(this.plan.exchange.port) },
          healthUrl: `http://127.0.0.1:${this.plan.exchange.port}/health`,
        },
        this.launch,
      ),
    );
  }

  async startGateway(): Promise<void> {
    const { gateway, keys } = this.plan;
    await this.add(
      startService(
        {
          name: 'gateway',
          entry: 'gateway/src/main.ts',
          env: {
            LOG_LEVEL: this.plan.logLevel ?? 'info',
            PORT: String(gateway.port),
            EXCHANGE_URL: this.exchangeUrl,
            GATEWAY_SIGNING_KEY: keys.signingKeyPem,
            JWT_SECRET: keys.jwtSecret,
            ...(gateway.directoryRefreshMs ? { DIRECTORY_REFRESH_MS: String(gateway.directoryRefreshMs) } : {}),
            ...(gateway.explorerPresetsFile ? { EXPLORER_PRESETS_FILE: gateway.explorerPresetsFile } : {}),
          },
          healthUrl: `http://127.0.0.1:${gateway.port}/health`,
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

  /** Stops the gateway first, so no request reaches a subgraph that is going away. */
  async stop(): Promise<void> {
    await this.stopService('gateway');
    await Promise.all([...this.services.keys()].map((name) => this.stopService(name)));
  }

  private commonEnv(): Record<string, string> {
    return { LOG_LEVEL: this.plan.logLevel ?? 'info', GATEWAY_PUBLIC_KEY: this.plan.keys.publicKeyPem };
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
    await Promise.all([federation.startExchange(), ...plan.communities.map((c) => federation.startCommunity(c))]);
    await federation.startGateway();
  } catch (error) {
    await federation.stop();
    throw error;
  }
  return federation;
}
