import { mintDevToken } from '@linli/gateway';
import { randomBytes } from 'node:crypto';
import { Role } from '@linli/subgraph-kit/identity';
import { createTestDatabase, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { DEMO_COMMUNITIES, seedDemo } from '../demo/index.js';
import { communityEndpoint, startFederation, type CommunityDeployment, type Federation } from '../federation.js';
import { generateKeys, type FederationKeys } from '../keys.js';
import { freePort } from '../ports.js';

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
}

/** A running demo federation on fresh databases, for one test file. */
export interface E2E {
  federation: Federation;
  keys: FederationKeys;
  exchangeDatabaseUrl: string;
  communities: CommunityDeployment[];
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  token(userId: string, homeCommunityId: string | null, roles: Role[]): string;
  /** A fresh database for an extra service (dropped at close). */
  database(label: string): Promise<string>;
  /** This federation's own Redis channel prefix (EVENT_CHANNEL_PREFIX). */
  eventChannelPrefix: string;
  close(): Promise<void>;
}

export async function startE2E(
  label: string,
  options: { exchangeEnv?: Record<string, string>; gatewayEnv?: Record<string, string>; communityEnv?: Record<string, string> } = {},
): Promise<E2E> {
  const keys = generateKeys();
  const databases: TestDatabase[] = [];
  const database = async (name: string) => {
    const db = await createTestDatabase(`${label}_${name}`);
    databases.push(db);
    return db.url;
  };
  const communities = await Promise.all(
    DEMO_COMMUNITIES.map(async (c) => ({ id: c.id, port: await freePort(), databaseUrl: await database(c.id), env: options.communityEnv })),
  );
  const exchange = { port: await freePort(), databaseUrl: await database('exchange'), env: options.exchangeEnv };
  await seedDemo({
    exchangeDatabaseUrl: exchange.databaseUrl,
    communities: communities.map((c) => ({ id: c.id, databaseUrl: c.databaseUrl, endpoint: communityEndpoint(c.port) })),
    today: new Date(),
  });
  // E2E_LOG=1 shows every service's log lines, prefixed by its name.
  const launch = process.env.E2E_LOG ? { log: (line: string) => console.log(line) } : {};
  // Test federations share one Redis: each listens and publishes on channels of its own.
  const eventChannelPrefix = `e2e-${label.replace(/[^A-Za-z0-9_-]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const federation = await startFederation(
    {
      keys,
      exchange,
      communities,
      gateway: { port: await freePort(), directoryRefreshMs: 60_000, env: options.gatewayEnv },
      logLevel: 'warn',
      eventChannelPrefix,
    },
    launch,
  );
  return {
    federation,
    keys,
    exchangeDatabaseUrl: exchange.databaseUrl,
    communities,
    async gql(query, variables = {}, token) {
      const res = await fetch(federation.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    token: (userId, homeCommunityId, roles) => mintDevToken(keys.jwtSecret, { userId, homeCommunityId, roles }),
    database,
    eventChannelPrefix,
    async close() {
      await federation.stop();
      await Promise.all(databases.map((d) => d.drop()));
    },
  };
}

export interface Admitted {
  status: string;
  rejectionReasons: string[] | null;
}

/**
 * Waits, as a federation admin watching the directory through the gateway, until the
 * gateway has decided a registered community's admission (no longer PENDING).
 */
export async function admissionDecided(e2e: E2E, communityId: string, timeoutMs = 10_000): Promise<Admitted> {
  const admin = e2e.token('fed-admin-admission', null, [Role.FEDERATION_ADMIN]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await e2e.gql<{ community: Admitted | null }>(`query($id: ID!) { community(id: $id) { status rejectionReasons } }`, { id: communityId }, admin);
    const community = res.data?.community;
    if (community && community.status !== 'PENDING') return community;
    if (Date.now() > deadline) throw new Error(`${communityId} still ${community?.status ?? 'unknown'} after ${timeoutMs} ms: ${JSON.stringify(res.errors ?? null)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { Role };
