import { RedisEventPublisher, LiveEventType } from '@linli/subgraph-kit/events';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { communityEndpoint } from './federation.js';
import { freePort } from './ports.js';
import { bookingInput, createListedResource, issue, type Listed } from './test/bookings.js';
import { admissionDecided, Role, startE2E, type E2E } from './test/e2e.js';
import { liveMetrics, sseSubscribe, untilSubscribed, wsConnect, type WsConnection } from './test/live.js';

/**
 * Live subscriptions through real gateway processes, with the real graphql-ws and
 * graphql-sse clients: events published by the exchange to Redis, resolved by the gateway
 * through the federation as each subscriber, delivered over WebSocket and SSE.
 */
let e2e: E2E;
let seats: Listed; // qibao-b, needs approval, 4 credits
const open: Array<{ close(): Promise<void> | void }> = [];

const resident = (id: string, home = 'qibao-a') => e2e.token(id, home, [Role.RESIDENT]);
const staffB = () => e2e.token('staff-b', 'qibao-b', [Role.COMMUNITY_STAFF]);
const adminA = () => e2e.token('admin-a', 'qibao-a', [Role.COMMUNITY_ADMIN]);
const gatewayUrl = () => e2e.federation.gatewayUrl;
const streamUrl = () => `${e2e.federation.gatewayUrl}/stream`;

function connect(token?: string, url = gatewayUrl()): WsConnection {
  const connection = wsConnect(url, token);
  open.push(connection);
  return connection;
}

async function subscriptionsNow(url = gatewayUrl()): Promise<number> {
  return (await liveMetrics(url)).subscriptions;
}

const BOOK = `mutation($input: BookSharedResourceInput!) { bookSharedResource(input: $input) { id status } }`;

/** Publishes a listing of a new resource of `communityId`, as its staff, through the gateway. */
async function publishListing(communityId: string, name: string, extra: Record<string, unknown> = {}): Promise<Listed> {
  return createListedResource(e2e, communityId, { name, capacity: 1, price: 0, requiresApproval: false, ...extra });
}

beforeAll(async () => {
  e2e = await startE2E('e2e_live', { gatewayEnv: { LIVE_MAX_BUFFERED_BYTES: String(256 * 1024), LIMIT_MAX_ALIASES: '200' } });
  seats = await createListedResource(e2e, 'qibao-b', { name: '直播测试学位', capacity: 5, price: 4, requiresApproval: true });
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await e2e?.close();
}, 60_000);

describe('live subscriptions through the gateway', () => {
  it('tells the resident over graphql-ws that B approved their booking, with the resource and its community resolved', async () => {
    await issue(e2e, adminA(), 'live-parent', 20);
    const booked = await e2e.gql<{ bookSharedResource: { id: string; status: string } }>(
      BOOK,
      { input: { ...bookingInput(seats, { hoursAhead: 30 }), idempotencyKey: `live-${randomUUID()}` } },
      resident('live-parent'),
    );
    expect(booked.data?.bookSharedResource.status).toBe('AWAITING_APPROVAL');
    const id = booked.data!.bookSharedResource.id;

    const before = await subscriptionsNow();
    const ws = connect(resident('live-parent'));
    const watch = ws.subscribe(
      `subscription($id: ID!) { bookingUpdated(id: $id) { id status resource { name community { name nameEn } } } }`,
      { id },
    );
    const balance = ws.subscribe(`subscription { accountBalanceChanged(unit: CREDIT) { holderId balance pending } }`);
    const staff = connect(staffB()).subscribe(`subscription { communityBookingsUpdated(communityId: "qibao-b") { id status residentId } }`);
    const mine = sseSubscribe(streamUrl(), `subscription { myBookingsUpdated { id status } }`, {}, resident('live-parent'));
    open.push(mine);
    await untilSubscribed(gatewayUrl(), before + 4).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify([watch, balance, staff, mine].map((s) => s.failures))}`);
    });

    const approved = await e2e.gql(`mutation($id: ID!) { approveBooking(id: $id) { status } }`, { id }, staffB());
    expect(approved.errors).toBeUndefined();

    const update = await watch.next((r) => (r.data?.bookingUpdated as { status?: string } | null)?.status === 'CONFIRMED');
    expect(update).toEqual({
      data: { bookingUpdated: { id, status: 'CONFIRMED', resource: { name: '直播测试学位', community: { name: '七宝沪星社区', nameEn: expect.any(String) } } } },
    });
    expect((await staff.next()).data?.communityBookingsUpdated).toEqual({ id, status: 'CONFIRMED', residentId: 'live-parent' });
    expect((await mine.next()).data?.myBookingsUpdated).toEqual({ id, status: 'CONFIRMED' });
    // Approval posted the held 4 credits: 20 − 4, nothing pending.
    expect((await balance.next((r) => (r.data?.accountBalanceChanged as { pending?: number })?.pending === 0)).data).toEqual({
      accountBalanceChanged: { holderId: 'live-parent', balance: 16, pending: 0 },
    });
  }, 60_000);

  it('refuses a resident of A watching B\'s bookings with FORBIDDEN, over graphql-ws and over SSE', async () => {
    const query = `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }`;
    const ws = connect(resident('nosy-a')).subscribe(query);
    await ws.ended();
    expect(ws.failures).toHaveLength(1);
    expect(ws.failures[0]).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', communityId: 'qibao-b' }) })]);

    const sse = sseSubscribe(streamUrl(), query, {}, resident('nosy-a'));
    open.push(sse);
    const refused = await sse.next();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await sse.ended();
  }, 30_000);

  it('never lets a resident of A watch B\'s alarms (FORBIDDEN), while B\'s security staff may', async () => {
    const nosy = connect(resident('nosy-alarms')).subscribe(`subscription { alarmRaised(communityId: "qibao-b") { id } }`);
    await nosy.ended();
    expect(nosy.failures[0]).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', communityId: 'qibao-b' }) })]);

    const before = await subscriptionsNow();
    const guard = connect(e2e.token('guard-b', 'qibao-b', [Role.SECURITY_STAFF])).subscribe(`subscription { alarmUpdated(communityId: "qibao-b") { id status } }`);
    await untilSubscribed(gatewayUrl(), before + 1);
    expect(guard.failures).toEqual([]);
    await guard.close();
  }, 30_000);

  it('refuses an invalid token: close 4401 on graphql-ws, HTTP 401 on SSE', async () => {
    const ws = connect('not-a-token');
    ws.subscribe(`subscription { listingPublished { id } }`);
    expect(await ws.closed).toBe(4401);

    const res = await fetch(streamUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: `subscription { listingPublished { id } }` }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  }, 30_000);

  it('delivers an event published once to subscribers of two gateway processes', async () => {
    const port = await freePort();
    await e2e.federation.startGateway({ name: 'gateway:2', port });
    const secondUrl = `http://127.0.0.1:${port}/graphql`;
    const query = `subscription { listingPublished(kind: VENUE) { title community { id } } }`;
    const [before1, before2] = [await subscriptionsNow(), await subscriptionsNow(secondUrl)];
    const [first, second] = [connect(undefined).subscribe(query), connect(undefined, secondUrl).subscribe(query)];
    await Promise.all([untilSubscribed(gatewayUrl(), before1 + 1), untilSubscribed(secondUrl, before2 + 1)]);

    await publishListing('qibao-c', '双网关测试场地');
    const expected = { data: { listingPublished: { title: '双网关测试场地', community: { id: 'qibao-c' } } } };
    expect(await first.next((r) => JSON.stringify(r).includes('双网关'))).toEqual(expected);
    expect(await second.next((r) => JSON.stringify(r).includes('双网关'))).toEqual(expected);
    await e2e.federation.stopService('gateway:2');
  }, 90_000);

  it('keeps a subscription open while a fourth community joins, and serves it that community\'s resources', async () => {
    const ws = connect(undefined);
    const before = await subscriptionsNow();
    const catalogue = ws.subscribe(`subscription { listingPublished { title resource { name } community { id name } } }`);
    await untilSubscribed(gatewayUrl(), before + 1);

    await publishListing('qibao-a', '加入前的场地');
    await catalogue.next((r) => JSON.stringify(r).includes('加入前的场地'));

    const id = 'qibao-e';
    const port = await freePort();
    await e2e.federation.startCommunity({ id, port, databaseUrl: await e2e.database('qibao_e') });
    const registered = await e2e.gql(
      `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id } }`,
      {
        input: {
          id,
          name: '七宝E社区',
          nameEn: 'Qibao E Community',
          district: '闵行区',
          districtEn: 'Minhang District',
          street: '七宝镇',
          streetEn: 'Qibao Town',
          endpoint: communityEndpoint(port),
        },
      },
      e2e.token('fed-admin', null, [Role.FEDERATION_ADMIN]),
    );
    expect(registered.errors).toBeUndefined();
    // The gateway admits it (health and contract check) before it is routed to.
    expect(await admissionDecided(e2e, id)).toEqual({ status: 'ACTIVE', rejectionReasons: null });

    await publishListing(id, '新成员的活动室');
    expect(await catalogue.next((r) => JSON.stringify(r).includes('新成员的活动室'))).toEqual({
      data: { listingPublished: { title: '新成员的活动室', resource: { name: '新成员的活动室' }, community: { id, name: '七宝E社区' } } },
    });
    expect(catalogue.completed).toBe(false);
  }, 120_000);

  it('drops a client that stops reading, while a normal one on the same gateway keeps receiving', async () => {
    // A listing whose English summary is 4,000 characters, read 100 times per payload: ~400 KB
    // (the federation above allows that many aliases).
    const summaryEn = 'x'.repeat(4000);
    const staffA = e2e.token('staff-a', 'qibao-a', [Role.COMMUNITY_STAFF]);
    const republished = await e2e.gql<{ publishListing: { id: string } }>(
      `mutation($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
      {
        input: {
          communityId: 'qibao-a',
          resourceId: randomUUID(),
          kind: 'OTHER',
          title: '大摘要',
          titleEn: 'Big summary',
          summaryEn,
          priceCreditsPerSlot: 0,
          idempotencyKey: `big-${randomUUID()}`,
        },
      },
      staffA,
    );
    expect(republished.errors).toBeUndefined();
    const listingId = republished.data!.publishListing.id;

    const before = await subscriptionsNow();
    const normal = connect(undefined).subscribe(`subscription { listingPublished(kind: OTHER) { id } }`);
    const slow = new WebSocket(gatewayUrl().replace(/^http/, 'ws'), 'graphql-transport-ws');
    const slowClosed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      slow.once('open', () => resolve());
      slow.once('error', reject);
    });
    slow.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => slow.once('message', () => resolve())); // connection_ack
    const heavy = Array.from({ length: 100 }, (_, i) => `s${i}: summaryEn`).join(' ');
    slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { listingPublished(kind: OTHER) { ${heavy} } }` } }));
    await untilSubscribed(gatewayUrl(), before + 2);
    slow.pause(); // stops reading: the kernel's buffers fill, then the gateway's

    const publisher = new RedisEventPublisher(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', undefined, { channelPrefix: e2e.eventChannelPrefix });
    try {
      await publisher.ready();
      const dropsBefore = (await liveMetrics(gatewayUrl())).connections.ws;
      for (let i = 0; i < 80; i++) {
        await publisher.publish({
          type: LiveEventType.LISTING_PUBLISHED,
          communityId: 'qibao-a',
          subjectId: listingId,
          occurredAt: new Date().toISOString(),
          data: { kind: 'OTHER', resourceId: 'r' },
        });
      }
      await normal.next(() => normal.received.length >= 80, 30_000);
      expect(normal.received.every((r) => (r.data?.listingPublished as { id: string }).id === listingId)).toBe(true);
      expect(normal.completed).toBe(false);
      // The slow one was cut: the gateway holds one WebSocket fewer.
      const deadline = Date.now() + 15_000;
      while ((await liveMetrics(gatewayUrl())).connections.ws >= dropsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await liveMetrics(gatewayUrl())).connections.ws).toBeLessThan(dropsBefore);
    } finally {
      await publisher.close();
    }
    slow.resume();
    expect([1006, 1013]).toContain(await slowClosed);
  }, 120_000);
});
