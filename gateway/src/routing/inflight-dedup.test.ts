import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, generateSigningKeys, IdentitySigner, Role, type Viewer } from '@linli/subgraph-kit/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignedDataSource } from '../security/signed-data-source.js';
import { FaultProxy } from '../test/fault-proxy.js';
import { CommunityFleet, CREATE_RESOURCE, resourceInput, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { replies, ScriptedServer } from '../test/scripted-server.js';
import { StaticDirectory } from './directory.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { InflightDeduplication } from './inflight-dedup.js';

/** Identical subgraph queries in flight together, through the real data source and pooled client to a real server. */
let server: ScriptedServer;
let http: HttpClient;
let source: InflightDeduplication;

beforeAll(async () => {
  server = await ScriptedServer.start();
  http = createHttpClient({ timeoutMs: 5000 });
  source = new InflightDeduplication(new SignedDataSource(server.url, http.fetcher, new IdentitySigner(generateSigningKeys().privateKeyPem)));
});

afterAll(async () => {
  await http?.close();
  await server?.close();
});

beforeEach(() => server.play(replies.later(150, replies.data({ resource: { id: 'r1', tags: ['篮球'] } }))));

const resident = (userId: string): Viewer => ({ userId, homeCommunityId: 'qibao-a', roles: [Role.RESIDENT] });

/** What the gateway hands a data source for one fetch of a client's operation. */
function fetchOf(viewer: Viewer, operation: 'query' | 'mutation' = 'query', variables: Record<string, unknown> = { id: 'r1' }) {
  const query = `${operation} ($id: ID!) { resource(id: $id) { id tags } }`;
  // The request-kind enum is not exported by @apollo/gateway; the data source reads the request and context.
  const options = {
    kind: 'incoming operation',
    request: { query, variables, http: { method: 'POST', url: server.url, headers: new Map() } },
    context: { viewer },
    incomingRequestContext: { operation: { operation } },
  } as unknown as GraphQLDataSourceProcessOptions;
  return source.process(options);
}

describe('identical subgraph queries in flight', () => {
  it('go to the subgraph once, and every request gets an answer of its own to merge into', async () => {
    const viewer = resident('u1');
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetchOf(viewer)));
    expect(server.requests).toBe(1);
    for (const answer of answers) expect(answer.data).toEqual({ resource: { id: 'r1', tags: ['篮球'] } });
    // The planner merges later fetches into these objects: one request's merge must not show in another's.
    (answers[0]!.data!.resource as { tags: string[] }).tags.push('羽毛球');
    expect(new Set(answers.map((a) => a.data!.resource)).size).toBe(5);
    expect(answers.slice(1).every((a) => (a.data!.resource as { tags: string[] }).tags.length === 1)).toBe(true);
    expect(source.inFlight).toBe(0);
  });

  it('are sent again once the first has been answered: nothing is cached', async () => {
    await fetchOf(ANONYMOUS);
    await fetchOf(ANONYMOUS);
    expect(server.requests).toBe(2);
  });

  it('are sent once per viewer: an answer never reaches someone who might have been told something else', async () => {
    const staff: Viewer = { userId: 'u1', homeCommunityId: 'qibao-a', roles: [Role.COMMUNITY_STAFF] };
    await Promise.all([fetchOf(resident('u1')), fetchOf(resident('u1')), fetchOf(resident('u2')), fetchOf(staff), fetchOf(ANONYMOUS)]);
    expect(server.requests).toBe(4);
  });

  it('are told apart by their variables', async () => {
    await Promise.all([fetchOf(ANONYMOUS, 'query', { id: 'r1' }), fetchOf(ANONYMOUS, 'query', { id: 'r2' })]);
    expect(server.requests).toBe(2);
  });

  it('never include mutations: each is sent', async () => {
    const viewer = resident('u1');
    await Promise.all([fetchOf(viewer, 'mutation'), fetchOf(viewer, 'mutation'), fetchOf(viewer, 'mutation')]);
    expect(server.requests).toBe(3);
  });

  it('share a failure, and the next query after it is sent afresh', async () => {
    server.play(replies.later(100, replies.status(500)), replies.data({ resource: { id: 'r1', tags: [] } }));
    const failed = await Promise.allSettled([fetchOf(ANONYMOUS), fetchOf(ANONYMOUS), fetchOf(ANONYMOUS)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(server.requests).toBe(1);
    expect((await fetchOf(ANONYMOUS)).data).toEqual({ resource: { id: 'r1', tags: [] } });
    expect(server.requests).toBe(2);
  });
});

describe('through the gateway', () => {
  const fleet = new CommunityFleet();
  let proxy: FaultProxy;
  let gw: GatewayUnderTest;
  const LIST = `{ resources(communityId: "dedup-a") { edges { node { name } } } }`;

  beforeAll(async () => {
    proxy = await FaultProxy.start((await fleet.start('dedup-a')).url);
    gw = await startGateway(fleet, { directory: new StaticDirectory({ 'dedup-a': proxy.url }) });
    const staff = gw.token('staff-dedup-a', 'dedup-a', [Role.COMMUNITY_STAFF]);
    expect((await gw.request(CREATE_RESOURCE, { communityId: 'dedup-a', input: resourceInput('共享会议室 Meeting room') }, staff)).body.errors).toBeUndefined();
  });

  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await fleet.close();
  });

  it('asks the community once for the same page opened by many at once, and answers each of them in full', async () => {
    proxy.delayMs = 200;
    const before = proxy.received.query;
    const answers = await Promise.all(Array.from({ length: 8 }, () => gw.request(LIST)));
    expect(proxy.received.query - before).toBe(1);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ resources: { edges: [{ node: { name: '共享会议室 Meeting room' } }] } });
    }
  });

  it('asks once per viewer when different people open it at once', async () => {
    proxy.delayMs = 200;
    const before = proxy.received.query;
    const tokens = ['r1', 'r2', 'r3'].map((id) => gw.token(id, 'dedup-a', [Role.RESIDENT]));
    await Promise.all([...tokens, ...tokens].map((token) => gw.request(LIST, {}, token)));
    expect(proxy.received.query - before).toBe(3);
  });
});
