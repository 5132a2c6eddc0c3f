import { eventChannel, RedisEventPublisher, type LinliEvent } from '@linli/subgraph-kit/events';
import { createLogger } from '@linli/subgraph-kit/logger';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisEventSource } from './fanout.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `fanout-${randomBytes(4).toString('hex')}`;
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function source(p = prefix): { events: LinliEvent[]; ready: Promise<void> } {
  const events: LinliEvent[] = [];
  const s = new RedisEventSource(REDIS_URL, p, (e) => events.push(e), createLogger('test', 'silent'));
  closers.push(() => s.close());
  return { events, ready: s.ready() };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('the Redis event source', () => {
  it('hands every gateway each event published once under its prefix, and nothing of other prefixes', async () => {
    const [one, two, other] = [source(), source(), source(`${prefix}-other`)];
    await Promise.all([one.ready, two.ready, other.ready]);
    const publisher = new RedisEventPublisher(REDIS_URL, undefined, { channelPrefix: prefix });
    closers.push(() => publisher.close());
    await publisher.ready();
    const event: LinliEvent = { type: 'listing.published', communityId: 'qibao-a', subjectId: 'l1', occurredAt: new Date().toISOString(), data: { kind: 'ROOM' } };
    await publisher.publish(event);
    await until(() => one.events.length > 0 && two.events.length > 0);
    expect(one.events).toEqual([event]);
    expect(two.events).toEqual([event]);
    expect(other.events).toEqual([]);
  });

  it('drops an event whose channel disagrees with its body, and one that is not an event', async () => {
    const gateway = source();
    await gateway.ready;
    const redis = new Redis(REDIS_URL);
    closers.push(() => void redis.disconnect());
    const forged = { type: 'booking.updated', communityId: 'qibao-b', subjectId: 'b1', occurredAt: new Date().toISOString(), data: { residentId: 'victim' } };
    await redis.publish(eventChannel('qibao-a', 'booking.updated', prefix), JSON.stringify(forged));
    await redis.publish(eventChannel('qibao-a', 'booking.updated', prefix), 'not json');
    const fine = { ...forged, communityId: 'qibao-a' };
    await redis.publish(eventChannel('qibao-a', 'booking.updated', prefix), JSON.stringify(fine));
    await until(() => gateway.events.length > 0);
    expect(gateway.events).toEqual([fine]);
  });
});
