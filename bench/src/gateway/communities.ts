import * as exchange from '@linli/exchange';
import { mintDevToken } from '@linli/gateway';
import { communityEndpoint, startFederation, type CommunityDeployment } from '@linli/infra/federation';
import { generateKeys } from '@linli/infra/keys';
import { freePort } from '@linli/infra/ports';
import { ResourceKind } from '@linli/subgraph-kit';
import { openDatabase } from '@linli/subgraph-kit/database';
import { Role } from '@linli/subgraph-kit/identity';
import { createTestDatabase, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { randomBytes } from 'node:crypto';
import { load, type LoadSample } from './load.js';
import { treeCpuMs, treeRss, type BenchProcess } from './processes.js';

/**
 * Linli's own scenario: the catalogue query across communities. One exchange, one gateway
 * and `max(spreads)` community instances (processes, each on its own database). For every
 * spread S the same number of listings (`listingsPerSpread`) is published under a resource
 * kind of its own, spread evenly over S communities, so `listings(filter: { kind })` returns
 * equal data whether its resources come from 1, 3 or 10 communities.
 */
export const LISTINGS_QUERY = /* GraphQL */ `
  query Catalogue($kind: ResourceKind!, $first: Int!) {
    listings(first: $first, filter: { kind: $kind }) {
      edges { node { id title priceCreditsPerSlot communityId resource { name capacity location communityId } } }
    }
  }
`;

const KINDS = [ResourceKind.VENUE, ResourceKind.ROOM, ResourceKind.EQUIPMENT, ResourceKind.OTHER];

export interface CommunitiesBenchOptions {
  /** How many communities the listings come from, one measurement each. Default [1, 3, 10]. */
  spreads: number[];
  /** Listings per spread; divisible by every spread. Default 30. */
  listingsPerSpread: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  log?: (line: string) => void;
}

export interface SpreadMeasurement extends LoadSample {
  communities: number;
  round: number;
}

export interface CommunitiesBenchReport {
  /** Each spread's answer had every listing with its resource, no error. */
  complete: Record<number, boolean>;
  measurements: SpreadMeasurement[];
}

export async function runCommunitiesBench(options: CommunitiesBenchOptions): Promise<CommunitiesBenchReport> {
  const log = options.log ?? (() => {});
  if (options.spreads.length > KINDS.length) throw new Error(`at most ${KINDS.length} spreads`);
  const count = Math.max(...options.spreads);
  const label = `bench_gw_${randomBytes(3).toString('hex')}`;
  const databases: TestDatabase[] = [];
  const database = async (name: string) => {
    const db = await createTestDatabase(`${label}_${name}`);
    databases.push(db);
    return db.url;
  };
  let stopFederation: (() => Promise<void>) | null = null;
  try {
    const communities: CommunityDeployment[] = [];
    for (let i = 1; i <= count; i++) {
      const id = `bench-${String(i).padStart(2, '0')}`;
      communities.push({ id, port: await freePort(), databaseUrl: await database(id.replace('-', '_')), env: { SCHEDULER_INTERVAL_MS: '3600000', PSEUDONYM_SECRET: randomBytes(32).toString('base64url') } });
    }
    const exchangeDeployment = { port: await freePort(), databaseUrl: await database('exchange') };
    await register(exchangeDeployment.databaseUrl, communities);

    const keys = generateKeys();
    const gatewayPort = await freePort();
    log(`starting ${count} communities, the exchange and the gateway`);
    const federation = await startFederation({
      keys,
      exchange: exchangeDeployment,
      communities,
      gateway: {
        port: gatewayPort,
        // Routing from a fixed directory: what is measured is the routing, not admission.
        env: {
          COMMUNITY_ENDPOINTS: communities.map((c) => `${c.id}=${communityEndpoint(c.port)}`).join(','),
          // One load generator is one client address: it must not run out of allowance.
          RATE_LIMIT_PER_IP: '1000000000',
        },
      },
      logLevel: 'warn',
      eventChannelPrefix: `bench-${randomBytes(4).toString('hex')}`,
    }, { startTimeoutMs: 240_000 }); // eleven processes starting at once on two cores
    stopFederation = () => federation.stop();
    const pid = federation.service('gateway')?.pid ?? 0;
    const gateway: BenchProcess = { name: 'gateway', pid, url: federation.gatewayUrl, rssBytes: () => treeRss(pid), cpuMs: () => treeCpuMs(pid), stop: async () => {} };
    log(`publishing ${options.listingsPerSpread} listings per spread`);
    await publish(gateway.url, keys.jwtSecret, communities, options);

    const body = (spread: number) => JSON.stringify({ query: LISTINGS_QUERY, variables: { kind: KINDS[options.spreads.indexOf(spread)], first: options.listingsPerSpread } });
    const complete: Record<number, boolean> = {};
    for (const spread of options.spreads) {
      const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(spread) });
      const answer = (await res.json()) as { data?: { listings?: { edges: Array<{ node: { communityId: string; resource: { communityId: string } | null } }> } }; errors?: unknown[] };
      const edges = answer.data?.listings?.edges ?? [];
      const owners = new Set(edges.map((e) => e.node.communityId));
      complete[spread] = !answer.errors && edges.length === options.listingsPerSpread && owners.size === spread && edges.every((e) => e.node.resource?.communityId === e.node.communityId);
      if (!complete[spread]) log(`listings over ${spread} communities came back incomplete: ${JSON.stringify(answer).slice(0, 400)}`);
    }

    const measurements: SpreadMeasurement[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const spread of options.spreads) {
        const run = (seconds: number) => load(gateway, '', { connections: options.connections, seconds, body: body(spread) });
        if (options.warmupSeconds > 0) await run(options.warmupSeconds);
        const sample = await run(options.seconds);
        measurements.push({ communities: spread, round, ...sample });
        log(`round ${round} listings over ${String(spread).padStart(2)} communities ${sample.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms  errors ${sample.errors}`);
      }
    }
    return { complete, measurements };
  } finally {
    await stopFederation?.();
    await Promise.all(databases.map((d) => d.drop()));
  }
}

/** The directory entries, admitted as seeded: admission is not what this benchmark measures. */
async function register(exchangeDatabaseUrl: string, communities: CommunityDeployment[]): Promise<void> {
  const orm = await openDatabase({ url: exchangeDatabaseUrl, entities: exchange.entities, migrations: exchange.migrations });
  try {
    for (const [index, deployment] of communities.entries()) {
      const em = orm.em.fork();
      await exchange.directoryService.registerCommunity(em, {
        id: deployment.id,
        name: `基准社区 ${index + 1}`,
        nameEn: `Bench community ${index + 1}`,
        district: '闵行区',
        districtEn: 'Minhang District',
        street: '七宝镇',
        streetEn: 'Qibao Town',
        endpoint: communityEndpoint(deployment.port),
      });
      await exchange.directoryService.recordAdmission(em, { id: deployment.id, accepted: true, reasons: [] });
    }
  } finally {
    await orm.close();
  }
}

/** Each community's staff creates its resources and publishes them, through the gateway as in use. */
async function publish(url: string, jwtSecret: string, communities: CommunityDeployment[], options: CommunitiesBenchOptions): Promise<void> {
  const call = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await res.json()) as { data?: Record<string, { id: string } | null> | null; errors?: unknown[] };
    const created = Object.values(answer.data ?? {})[0];
    if (!created) throw new Error(`seeding failed: ${JSON.stringify(answer.errors)}`);
    return created.id;
  };
  await Promise.all(
    communities.map(async (deployment, index) => {
      const staff = mintDevToken(jwtSecret, { userId: `staff-${deployment.id}`, homeCommunityId: deployment.id, roles: [Role.COMMUNITY_STAFF] });
      for (const [spreadIndex, spread] of options.spreads.entries()) {
        if (index >= spread) continue;
        const kind = KINDS[spreadIndex]!;
        for (let n = 1; n <= options.listingsPerSpread / spread; n++) {
          const name = `${deployment.id} ${kind} ${n}`;
          const resourceId = await call(staff, `mutation($c: ID!, $input: CreateResourceInput!) { createResource(communityId: $c, input: $input) { id } }`, {
            c: deployment.id,
            input: {
              name: `共享${name}`,
              nameEn: `Shared ${name}`,
              kind,
              location: '七宝镇',
              capacity: 10,
              weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '20:00' })),
            },
          });
          await call(staff, `mutation($input: PublishListingInput!) { publishListing(input: $input) { id } }`, {
            input: { communityId: deployment.id, resourceId, kind, title: `共享${name}`, titleEn: `Shared ${name}`, priceCreditsPerSlot: 1, idempotencyKey: `bench-${resourceId}` },
          });
        }
      }
    }),
  );
}
