import { LiveEventType } from '@linli/subgraph-kit/events';
import { describe, expect, it } from 'vitest';
import { StaticDirectory } from '../routing/directory.js';
import { event, FakeConnection, FakeExecutor, testRegistry, testSchema, TEST_SDL, viewers } from '../test/live.js';
import { parseOperation, resolutionPlan, subscriptionTarget, type ParsedOperation, type SubscriptionTarget } from './operation.js';
import type { LiveSubscription } from './subscription.js';

function plan(query: string, variables: Record<string, unknown> = {}) {
  const schema = testSchema();
  const parsed = parseOperation(schema, { query, variables }) as ParsedOperation;
  const target = subscriptionTarget(schema, parsed) as SubscriptionTarget;
  return resolutionPlan(schema, parsed, target, { field: 'booking', args: ['id'] });
}

async function accepted(promise: ReturnType<ReturnType<typeof testRegistry>['registry']['subscribe']>): Promise<LiveSubscription> {
  const result = await promise;
  if (!result.ok) throw new Error(`refused: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.subscription;
}

describe('resolution plans', () => {
  it('reads the entity back under its root query with the subscriber\'s selection, fragments and alias, and only the variables the selection uses', () => {
    const p = plan(
      `subscription Watch($id: ID!, $lang: String) { mine: bookingUpdated(id: $id) { ...B resource { name(lang: $lang) } } }
       fragment B on Booking { id status }`,
      { id: 'b1', lang: 'en' },
    );
    expect(p).toMatchObject({ responseKey: 'mine', variables: { lang: 'en' }, entityVariables: { id: '__live_id' } });
    if (!('query' in p)) throw new Error('no plan');
    expect(p.query.replace(/\s+/g, ' ')).toBe(
      'query LiveResolution($lang: String, $__live_id: ID!) { mine: booking(id: $__live_id) { ...B resource { name(lang: $lang) } } } fragment B on Booking { id status }',
    );
  });

  it('gives one key to equal selections with equal variables, whatever their formatting or the subject, and another to different variables', () => {
    const a = plan(`subscription($id: ID!) { bookingUpdated(id: $id) { id status } }`, { id: 'b1' });
    const b = plan(`subscription ($id: ID!) {\n  bookingUpdated(id: $id) {\n    id\n    status\n  }\n}`, { id: 'b2' });
    const c = plan(`subscription($l: String) { bookingUpdated(id: "b1") { resource { name(lang: $l) } } }`, { l: 'zh' });
    const d = plan(`subscription($l: String) { bookingUpdated(id: "b1") { resource { name(lang: $l) } } }`, { l: 'en' });
    expect('key' in a && 'key' in b && a.key === b.key).toBe(true);
    expect('key' in c && 'key' in d && c.key !== d.key).toBe(true);
  });

  it('cannot plan for a root query that no longer returns the subscription\'s type', () => {
    const schema = testSchema(TEST_SDL.replace('booking(id: ID!): Booking', 'booking(id: ID!): Listing'));
    const parsed = parseOperation(schema, { query: `subscription { bookingUpdated(id: "b") { id } }` }) as ParsedOperation;
    const errors = resolutionPlan(schema, parsed, subscriptionTarget(schema, parsed) as SubscriptionTarget, { field: 'booking', args: ['id'] });
    expect(Array.isArray(errors) && errors[0]?.message).toContain('no longer returns Booking');
  });
});

describe('the live registry', () => {
  it('routes an event only to the subscriptions waiting for it', async () => {
    const { registry } = testRegistry();
    const conn = new FakeConnection();
    const watchB1 = await accepted(registry.subscribe({ query: `subscription { bookingUpdated(id: "b1") { id } }` }, viewers.resident('r1'), conn));
    await accepted(registry.subscribe({ query: `subscription { bookingUpdated(id: "b2") { id } }` }, viewers.resident('r1'), conn));
    const mine = await accepted(registry.subscribe({ query: `subscription { myBookingsUpdated { id } }` }, viewers.resident('r1'), conn));
    const staffB = await accepted(registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }` }, viewers.staff('qibao-b'), conn));
    const venues = await accepted(registry.subscribe({ query: `subscription { listingPublished(kind: "VENUE") { id } }` }, viewers.anonymous, conn));
    const all = await accepted(registry.subscribe({ query: `subscription { listingPublished { id } }` }, viewers.anonymous, conn));

    expect(registry.match(event(LiveEventType.BOOKING_UPDATED, 'b1', 'qibao-b', { residentId: 'r1' }))).toEqual(
      expect.arrayContaining([watchB1, mine, staffB]),
    );
    expect(registry.match(event(LiveEventType.BOOKING_UPDATED, 'b1', 'qibao-b', { residentId: 'r1' }))).toHaveLength(3);
    expect(registry.match(event(LiveEventType.BOOKING_UPDATED, 'b9', 'qibao-c', { residentId: 'someone-else' }))).toEqual([]);
    expect(registry.match(event(LiveEventType.LISTING_PUBLISHED, 'l1', 'qibao-c', { kind: 'VENUE' }))).toEqual([all, venues]);
    expect(registry.match(event(LiveEventType.LISTING_PUBLISHED, 'l2', 'qibao-c', { kind: 'ROOM' }))).toEqual([all]);
  });

  it('refuses whoever may not subscribe: UNAUTHENTICATED for anonymous, FORBIDDEN for a resident of A watching B\'s bookings', async () => {
    const { registry } = testRegistry();
    const anonymous = await registry.subscribe({ query: `subscription { myBookingsUpdated { id } }` }, viewers.anonymous, new FakeConnection());
    expect(!anonymous.ok && anonymous.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const nosy = await registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }` }, viewers.resident('r1', 'qibao-a'), new FakeConnection());
    expect(!nosy.ok && nosy.errors[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', communityId: 'qibao-b' });
    const staffOfA = await registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }` }, viewers.staff('qibao-a'), new FakeConnection());
    expect(staffOfA.ok).toBe(false);
    expect(registry.size).toBe(0);
  });

  it('reads a watched booking once as the subscriber before accepting, and refuses one they cannot see', async () => {
    const executor = new FakeExecutor();
    executor.answer = () => ({ data: { bookingUpdated: null }, errors: [{ message: 'no', path: ['bookingUpdated'], extensions: { code: 'FORBIDDEN' } }] });
    const { registry } = testRegistry({ executor });
    const refused = await registry.subscribe({ query: `subscription { bookingUpdated(id: "b1") { id } }` }, viewers.resident('r2'), new FakeConnection());
    expect(!refused.ok && refused.errors[0]?.extensions.code).toBe('FORBIDDEN');
    expect(executor.calls).toHaveLength(1);
    expect(executor.calls[0]!.viewer.userId).toBe('r2');
    expect(executor.calls[0]!.request.variables).toEqual({ __live_id: 'b1' });
  });

  it('answers invalid documents with GraphQL\'s own validation errors', async () => {
    const { registry } = testRegistry();
    const result = await registry.subscribe({ query: `subscription { bookingUpdated(id: "b1") { nope } }` }, viewers.resident('r1'), new FakeConnection());
    expect(!result.ok && result.errors[0]?.message).toContain('Cannot query field "nope"');
  });

  it('limits subscriptions per connection and per user, and frees the places when they end', async () => {
    const { registry } = testRegistry({ limits: { maxSubscriptionsPerConnection: 2, maxSubscriptionsPerUser: 3 } });
    const q = { query: `subscription { myBookingsUpdated { id } }` };
    const [c1, c2] = [new FakeConnection(), new FakeConnection()];
    const first = await accepted(registry.subscribe(q, viewers.resident('r1'), c1));
    await accepted(registry.subscribe(q, viewers.resident('r1'), c1));
    const third = await registry.subscribe(q, viewers.resident('r1'), c1);
    expect(!third.ok && third.errors[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerConnection', max: 2 });
    await accepted(registry.subscribe(q, viewers.resident('r1'), c2));
    const fourth = await registry.subscribe(q, viewers.resident('r1'), c2);
    expect(!fourth.ok && fourth.errors[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerUser', max: 3 });
    // Another user is counted apart.
    await accepted(registry.subscribe(q, viewers.resident('r2'), c2).then((r) => r));

    await first.return();
    await accepted(registry.subscribe(q, viewers.resident('r1'), c1));
    registry.connectionClosed(c1);
    expect(registry.size).toBe(2);
  });

  it('keeps subscriptions across a new schema, planned afresh, and ends those it can no longer serve with SUBSCRIPTION_INVALIDATED', async () => {
    const { registry } = testRegistry();
    const conn = new FakeConnection();
    const listings = await accepted(registry.subscribe({ query: `subscription { listingPublished { id title } }` }, viewers.anonymous, conn));
    const bookings = await accepted(registry.subscribe({ query: `subscription { myBookingsUpdated { id residentId } }` }, viewers.resident('r1'), conn));
    const oldPlan = listings.plan;

    registry.setSchema(testSchema(TEST_SDL.replace('residentId: ID', '').replace('type Listing { id: ID! title: String! }', 'type Listing { id: ID! title: String! kind: String }')));

    expect(listings.open).toBe(true);
    expect(listings.plan).not.toBe(oldPlan);
    expect(bookings.open).toBe(false);
    await expect(bookings.next()).rejects.toMatchObject({
      extensions: { code: 'SUBSCRIPTION_INVALIDATED', reason: 'SCHEMA_CHANGED' },
      message: expect.stringContaining('Cannot query field "residentId"'),
    });
    expect(await bookings.next()).toEqual({ done: true, value: undefined });
    expect(registry.match(event(LiveEventType.LISTING_PUBLISHED, 'l1', 'qibao-a', { kind: 'ROOM' }))).toEqual([listings]);
  });

  it('ends subscriptions about a community that left the federation, and keeps the others', async () => {
    const directory = new StaticDirectory({ 'qibao-a': 'http://a', 'qibao-b': 'http://b' });
    const { registry } = testRegistry({ directory });
    const conn = new FakeConnection();
    const ofB = await accepted(registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-b") { id } }` }, viewers.staff('qibao-b'), conn));
    const ofA = await accepted(registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-a") { id } }` }, viewers.staff('qibao-a'), conn));
    directory.set([{ id: 'qibao-a', endpoint: 'http://a', status: 'ACTIVE' }, { id: 'qibao-c', endpoint: 'http://c', status: 'ACTIVE' }]);
    registry.communitiesChanged();
    expect(ofA.open).toBe(true);
    await expect(ofB.next()).rejects.toMatchObject({ extensions: { code: 'SUBSCRIPTION_INVALIDATED', reason: 'COMMUNITY_LEFT' } });

    const unknown = await registry.subscribe({ query: `subscription { communityBookingsUpdated(communityId: "qibao-z") { id } }` }, { ...viewers.staff('qibao-z') }, conn);
    expect(!unknown.ok && unknown.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
