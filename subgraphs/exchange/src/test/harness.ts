import { ANONYMOUS, generateSigningKeys, IdentitySigner, Role, type Viewer } from '@linli/subgraph-kit';
import { createTestDatabase, signedRequest, type GraphQLBody, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import type { CommunityRegistration } from '../modules/directory/directory.service.js';
import { createExchangeSubgraph, type ExchangeSubgraph } from '../server.js';

export type { GraphQLBody };

export interface ExchangeHarness {
  subgraph: ExchangeSubgraph;
  database: TestDatabase;
  /** Posts a GraphQL request signed as the gateway would sign it for `viewer`. */
  request<T = unknown>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<{ status: number; body: GraphQLBody<T> }>;
  /**
   * Registers communities as a federation admin would and admits them as the gateway would
   * after its checks, so they are ACTIVE (fails the test on any error).
   */
  register(...communities: Array<Partial<CommunityRegistration> & { id: string }>): Promise<void>;
  close(): Promise<void>;
}


export type { CommunityRegistration };

export const viewers = {
  anonymous: ANONYMOUS,
  federationAdmin: { userId: 'fed-admin', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] } as Viewer,
  gateway: { userId: 'gateway', homeCommunityId: null, roles: [Role.SERVICE] } as Viewer,
  resident: (communityId: string, userId = `resident-${communityId}`): Viewer => ({ userId, homeCommunityId: communityId, roles: [Role.RESIDENT] }),
  staff: (communityId: string, userId = `staff-${communityId}`): Viewer => ({ userId, homeCommunityId: communityId, roles: [Role.COMMUNITY_STAFF] }),
};

/** A plausible registration for `id`, in the shape of the Qibao demo communities. */
export function registration(id: string, overrides: Partial<CommunityRegistration> = {}): CommunityRegistration {
  return {
    id,
    name: `七宝${id}社区`,
    nameEn: `Qibao ${id} Community`,
    district: '闵行区',
    districtEn: 'Minhang District',
    street: '七宝镇',
    streetEn: 'Qibao Town',
    endpoint: `http://127.0.0.1:4101/${id}/graphql`,
    ...overrides,
  };
}

const REGISTER = `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id } }`;
const ADMIT = `mutation($id: ID!) { recordAdmission(id: $id, accepted: true) { id status } }`;

/** The exchange subgraph on its own fresh database, listening on a free port. */
export async function startExchange(label = 'exchange'): Promise<ExchangeHarness> {
  const keys = generateSigningKeys();
  const database = await createTestDatabase(label);
  let subgraph: ExchangeSubgraph;
  try {
    subgraph = await createExchangeSubgraph({
      databaseUrl: database.url,
      port: 0,
      host: '127.0.0.1',
      gatewayPublicKey: keys.publicKeyPem,
      logLevel: 'silent',
      gateway: null,
      bookings: { holdSeconds: 300, approvalWindowSeconds: 48 * 3600, recoveryIntervalMs: 1_000 },
      sagaFault: null,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const signer = new IdentitySigner(keys.privateKeyPem);
  const harness: ExchangeHarness = {
    subgraph,
    database,
    request: (query, variables, viewer) => signedRequest(subgraph.server.url, signer, query, variables, viewer),
    async register(...communities) {
      for (const c of communities) {
        const res = await harness.request(REGISTER, { input: registration(c.id, c) }, viewers.federationAdmin);
        if (res.body.errors) throw new Error(`registering ${c.id} failed: ${JSON.stringify(res.body.errors)}`);
        const admitted = await harness.request(ADMIT, { id: c.id }, viewers.gateway);
        if (admitted.body.errors) throw new Error(`admitting ${c.id} failed: ${JSON.stringify(admitted.body.errors)}`);
      }
    },
    async close() {
      await subgraph.close();
      await database.drop();
    },
  };
  return harness;
}
