import { createCommunitySubgraph, type CommunitySubgraph } from '@linli/community';
import { generateSigningKeys, type Role } from '@linli/subgraph-kit/identity';
import { createLogger } from '@linli/subgraph-kit/logger';
import { createTestDatabase, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { randomBytes } from 'node:crypto';
import type { GatewayConfig } from '../config.js';
import { createGateway, type GatewayOptions, type RunningGateway } from '../gateway.js';
import { StaticDirectory } from '../routing/directory.js';
import { mintDevToken } from '../security/tokens.js';
import { DEFAULT_LIVE_LIMITS } from '../live/limits.js';
import { defaultLimits } from '../limits/options.js';
import { DEFAULT_RESILIENCE } from '../routing/resilience.js';
import { DEFAULT_ADMISSION } from '../admission/admission.js';

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
}

export interface Answer<T> {
  status: number;
  body: GraphQLBody<T>;
}

export interface RunningCommunity {
  id: string;
  url: string;
  subgraph: CommunitySubgraph;
  database: TestDatabase;
  /** Stops the instance but keeps its database, as a crashed process would. */
  stop(): Promise<void>;
}

/** Real community instances on fresh databases, all trusting one gateway key pair. */
export class CommunityFleet {
  readonly keys = generateSigningKeys();
  readonly communities = new Map<string, RunningCommunity>();

  async start(id: string): Promise<RunningCommunity> {
    const database = await createTestDatabase(`gw_${id}`);
    const subgraph = await createCommunitySubgraph({
      communityId: id,
      databaseUrl: database.url,
      port: 0,
      host: '127.0.0.1',
      timezone: 'Asia/Shanghai',
      gatewayPublicKey: this.keys.publicKeyPem,
      logLevel: 'silent',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      schedulerIntervalMs: 3_600_000,
    });
    let stopped = false;
    const community: RunningCommunity = {
      id,
      url: subgraph.server.url,
      subgraph,
      database,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await subgraph.close();
      },
    };
    this.communities.set(id, community);
    return community;
  }

  endpoints(): Record<string, string> {
    return Object.fromEntries([...this.communities.values()].map((c) => [c.id, c.url]));
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.communities.values()].map(async (c) => {
        await c.stop();
        await c.database.drop();
      }),
    );
  }
}

/** A gateway config for tests: free port, fresh JWT secret, the fleet's signing key. */
export function testConfig(fleet: CommunityFleet, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    // Nothing listens on port 1: the exchange placeholder is never needed by these tests.
    exchangeUrl: 'http://127.0.0.1:1/graphql',
    jwtSecret: randomBytes(32).toString('base64url'),
    jwtIssuer: 'linli-dev',
    jwksTimeoutMs: 2000,
    signingKey: fleet.keys.privateKeyPem,
    subgraphTimeoutMs: 1000,
    exchangeTimeoutMs: 5000,
    resilience: DEFAULT_RESILIENCE,
    directoryRefreshMs: 60_000,
    admission: DEFAULT_ADMISSION,
    logLevel: 'silent',
    trustProxy: false,
    deduplicateInflight: true,
    // A prefix of its own: events of other test runs on the same Redis never reach it.
    live: { redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', channelPrefix: `gwtest-${randomBytes(6).toString('hex')}`, limits: DEFAULT_LIVE_LIMITS },
    // Rate counters and APQ hashes of their own, likewise.
    limits: defaultLimits(`gwtest-${randomBytes(6).toString('hex')}`),
    ...overrides,
  };
}

export interface GatewayUnderTest {
  gateway: RunningGateway;
  config: GatewayConfig;
  token(userId: string, homeCommunityId: string | null, roles: Role[]): string;
  request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<Answer<T>>;
  close(): Promise<void>;
}

/**
 * The gateway in front of the fleet, routing by a StaticDirectory of the fleet unless told
 * otherwise; `directory: undefined` given explicitly leaves the choice to the config, as in
 * production (the exchange's directory).
 */
export async function startGateway(
  fleet: CommunityFleet,
  options: GatewayOptions & { config?: Partial<GatewayConfig> } = {},
): Promise<GatewayUnderTest> {
  const config = testConfig(fleet, options.config);
  const gateway = await createGateway(config, {
    directory: 'directory' in options ? options.directory : new StaticDirectory(fleet.endpoints()),
    explorerPresets: options.explorerPresets,
    logger: options.logger ?? createLogger('gateway', 'silent'),
  });
  return {
    gateway,
    config,
    token: (userId, homeCommunityId, roles) => mintDevToken(config.jwtSecret, { userId, homeCommunityId, roles }),
    request: (query, variables, token) => postGraphQL(gateway.url, query, variables, token),
    close: () => gateway.close(),
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLBody<T> };
}

export const CREATE_RESOURCE = /* GraphQL */ `
  mutation Create($communityId: ID!, $input: CreateResourceInput!) {
    createResource(communityId: $communityId, input: $input) { id name communityId }
  }
`;

export function resourceInput(name: string, kind = 'VENUE'): Record<string, unknown> {
  return {
    name,
    nameEn: `${name} (en)`,
    kind,
    location: '七宝镇',
    capacity: 2,
    weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '20:00' })),
  };
}
