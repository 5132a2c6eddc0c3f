import { LiveEventType } from '@linli/subgraph-kit/events';
import { createLogger } from '@linli/subgraph-kit/logger';
import { describe, expect, it } from 'vitest';
import { event, FakeConnection, FakeExecutor, testRegistry, viewers } from '../test/live.js';
import { ConnectionCounter, Semaphore } from './limits.js';
import { Dispatcher } from './resolution.js';
import { SLOW_CONSUMER_CLOSE, type LiveResult, type LiveSubscription } from './subscription.js';

const logger = createLogger('test', 'silent');

function setUp(options: Parameters<typeof testRegistry>[0] = {}) {
  const { registry, executor } = testRegistry(options);
  const dispatcher = new Dispatcher(registry, executor.execute, logger, 8);
  return { registry, executor, dispatcher };
}

async function open(registry: ReturnType<typeof setUp>['registry'], query: string, viewer = viewers.anonymous, connection = new FakeConnection()) {
  const result = await registry.subscribe({ query }, viewer, connection);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.subscription;
}

const take = async (s: LiveSubscription): Promise<LiveResult> => (await s.next()).value as LiveResult;

describe('per-event resolution', () => {
  it('resolves 1,000 subscribers with the same selection once per event, and delivers to all of them', async () => {
    const { registry, executor, dispatcher } = setUp({ limits: { maxSubscriptionsPerUser: 10_000 } });
    const subs = await Promise.all(Array.from({ length: 1000 }, () => open(registry, `subscription { listingPublished { id title } }`)));
    expect(dispatcher.dispatch(event(LiveEventType.LISTING_PUBLISHED, 'l1', 'qibao-a', { kind: 'ROOM' }))).toBe(1);
    const payloads = await Promise.all(subs.map(take));
    expect(executor.calls).toHaveLength(1);
    // A public field is read as an anonymous visitor, whoever subscribed.
    expect(executor.calls[0]!.viewer.userId).toBeNull();
    expect(new Set(payloads).size).toBe(1);
    expect(payloads[0]).toEqual({ data: { listingPublished: { id: 'l1', status: 'CONFIRMED', title: 't', balance: 1 } } });
    expect(dispatcher.counters).toMatchObject({ events: 1, matched: 1000, resolutions: 1, deliveries: 1000 });
  });

  it('shares a resolution only within one viewer scope and one selection', async () => {
    const { registry, executor, dispatcher } = setUp();
    const q = `subscription { myBookingsUpdated { id status } }`;
    const [a1, a2] = [await open(registry, q, viewers.resident('r1')), await open(registry, q, viewers.resident('r1'))];
    const staff = await open(registry, `subscription { communityBookingsUpdated(communityId: "qibao-b") { id status } }`, viewers.staff('qibao-b'));
    const staffOther = await open(registry, `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }`, viewers.staff('qibao-b'));
    expect(dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'b1', 'qibao-b', { residentId: 'r1' }))).toBe(3);
    await Promise.all([a1, a2, staff, staffOther].map(take));
    expect(executor.calls.map((c) => c.viewer.userId).sort()).toEqual(['r1', 'staff-qibao-b', 'staff-qibao-b']);
  });

  it('does not deliver what the subscriber may not see, and delivers the next event that they may', async () => {
    const { registry, executor, dispatcher } = setUp();
    const mine = await open(registry, `subscription { myBookingsUpdated { id } }`, viewers.resident('r1'));
    executor.answer = (request) =>
      request.variables?.__live_id === 'hidden'
        ? { data: { myBookingsUpdated: null }, errors: [{ message: 'no', path: ['myBookingsUpdated'], extensions: { code: 'FORBIDDEN' } }] }
        : { data: { myBookingsUpdated: { id: request.variables?.__live_id } } };
    dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'hidden', 'qibao-b', { residentId: 'r1' }));
    dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'seen', 'qibao-b', { residentId: 'r1' }));
    expect(await take(mine)).toEqual({ data: { myBookingsUpdated: { id: 'seen' } } });
    expect(dispatcher.counters.suppressed).toBe(1);
  });

  it('delivers a community\'s unavailability rather than hiding it', async () => {
    const { registry, executor, dispatcher } = setUp();
    const mine = await open(registry, `subscription { myBookingsUpdated { id resource { name } } }`, viewers.resident('r1'));
    executor.answer = () => ({
      data: { myBookingsUpdated: { id: 'b1', resource: null } },
      errors: [{ message: 'down', path: ['myBookingsUpdated', 'resource'], extensions: { code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-b' } }],
    });
    dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'b1', 'qibao-b', { residentId: 'r1' }));
    const payload = await take(mine);
    expect(payload.data).toEqual({ myBookingsUpdated: { id: 'b1', resource: null } });
    expect(payload.errors?.[0]?.toJSON()).toEqual({ message: 'down', path: ['myBookingsUpdated', 'resource'], extensions: { code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-b' } });
  });

  it('delivers in event order even when a later event resolves first', async () => {
    const { registry, executor, dispatcher } = setUp();
    const mine = await open(registry, `subscription { myBookingsUpdated { id } }`, viewers.resident('r1'));
    executor.answer = async (request) => {
      const id = String(request.variables?.__live_id);
      await new Promise((r) => setTimeout(r, id === 'first' ? 50 : 1));
      return { data: { myBookingsUpdated: { id } } };
    };
    dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'first', 'qibao-b', { residentId: 'r1' }));
    dispatcher.dispatch(event(LiveEventType.BOOKING_UPDATED, 'second', 'qibao-b', { residentId: 'r1' }));
    expect([await take(mine), await take(mine)].map((p) => (p.data?.myBookingsUpdated as { id: string }).id)).toEqual(['first', 'second']);
  });

  it('drops a client whose undelivered events pile up past the limit, without holding up others', async () => {
    const { registry, dispatcher } = setUp({ limits: { maxQueuedEvents: 3 } });
    const slowConnection = new FakeConnection();
    const slow = await open(registry, `subscription { listingPublished { id } }`, viewers.anonymous, slowConnection);
    const fast = await open(registry, `subscription { listingPublished { id } }`, viewers.anonymous, new FakeConnection('10.0.0.2'));
    for (let i = 0; i < 5; i++) {
      dispatcher.dispatch(event(LiveEventType.LISTING_PUBLISHED, `l${i}`, 'qibao-a', { kind: 'ROOM' }));
      await take(fast);
    }
    expect(slowConnection.drops).toEqual([{ code: SLOW_CONSUMER_CLOSE, reason: expect.stringContaining('Slow consumer') }]);
    await expect(slow.next()).rejects.toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'queuedEvents' } });
    expect(fast.open).toBe(true);
    expect(registry.size).toBe(1);
  });

  it('turns a failed resolution into an INTERNAL_SERVER_ERROR payload without internals', async () => {
    const { registry, executor, dispatcher } = setUp();
    const all = await open(registry, `subscription { listingPublished { id } }`);
    executor.answer = () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3:5432');
    };
    dispatcher.dispatch(event(LiveEventType.LISTING_PUBLISHED, 'l1', 'qibao-a', { kind: 'ROOM' }));
    const payload = await take(all);
    expect(payload.data).toEqual({ listingPublished: null });
    expect(payload.errors?.[0]?.toJSON()).toEqual({ message: '服务器内部错误 (Internal server error)', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(dispatcher.counters.failed).toBe(1);
  });
});

describe('limits', () => {
  it('counts connections per address', () => {
    const counter = new ConnectionCounter(2);
    expect([counter.acquire('a'), counter.acquire('a'), counter.acquire('a'), counter.acquire('b')]).toEqual([true, true, false, true]);
    counter.release('a');
    expect(counter.acquire('a')).toBe(true);
    expect(counter.total).toBe(3);
  });

  it('runs at most n tasks at once, the rest in order', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        semaphore.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 5));
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
