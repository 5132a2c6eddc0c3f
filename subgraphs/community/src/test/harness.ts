import { generateSigningKeys, IdentitySigner, type Viewer } from '@linli/subgraph-kit';
import { createTestDatabase, signedRequest, type GraphQLBody, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { createCommunitySubgraph, type CommunitySubgraph, type CommunitySubgraphOptions } from '../server.js';

export type { GraphQLBody };

export interface CommunityHarness {
  subgraph: CommunitySubgraph;
  database: TestDatabase;
  communityId: string;
  /** Signs as the gateway does; tests that forge or tamper with headers start from it. */
  signer: IdentitySigner;
  /** Posts a GraphQL request signed as the gateway would sign it for `viewer`. */
  request<T = unknown>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<{ status: number; body: GraphQLBody<T> }>;
  close(): Promise<void>;
}


/** One community subgraph on its own fresh database, listening on a free port. */
export async function startCommunity(communityId = 'test-a', options: CommunitySubgraphOptions = {}): Promise<CommunityHarness> {
  const keys = generateSigningKeys();
  const database = await createTestDatabase(`community_${communityId}`);
  const config = {
    communityId,
    databaseUrl: database.url,
    port: 0,
    host: '127.0.0.1',
    timezone: 'Asia/Shanghai',
    gatewayPublicKey: keys.publicKeyPem,
    logLevel: 'silent',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // Tests run checks with `subgraph.scheduler.tick()` after moving a ManualClock.
    schedulerIntervalMs: 3_600_000,
  };
  const subgraph = await createCommunitySubgraph(config, options).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const signer = new IdentitySigner(keys.privateKeyPem);
  return {
    subgraph,
    database,
    communityId,
    signer,
    request: (query, variables, viewer) => signedRequest(subgraph.server.url, signer, query, variables, viewer),
    async close() {
      await subgraph.close();
      await database.drop();
    },
  };
}
