import { Redis } from 'ioredis';

/**
 * A domain event a service announces for live subscriptions (the gateway relays them over
 * graphql-ws). It names the community it belongs to and carries ids and facts for staff —
 * never personal data: subscribers resolve details through the graph, which authorises.
 */
export interface LinliEvent {
  /** e.g. `alarm.raised`, `case.escalated`, `visit.overdue`, `booking.updated`. */
  type: string;
  communityId: string;
  /** Id of the entity the event is about. */
  subjectId: string;
  occurredAt: string;
  data?: Record<string, unknown>;
}

export interface EventPublisher {
  publish(event: LinliEvent): Promise<void>;
  close(): Promise<void>;
}

/** Redis channel of one event type in one community: `linli:<communityId>:<type>`. */
export function eventChannel(communityId: string, type: string): string {
  return `linli:${communityId}:${type}`;
}

/**
 * Publishes to Redis pub/sub, so any number of gateway instances can serve subscribers.
 * Publishing never fails the operation that caused it: an event lost while Redis is down is
 * logged, and clients re-read state on reconnect.
 */
export class RedisEventPublisher implements EventPublisher {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly onError: (error: unknown, event: LinliEvent) => void = () => {},
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => {}); // reconnects by itself; failures surface per publish
  }

  async publish(event: LinliEvent): Promise<void> {
    try {
      await this.redis.publish(eventChannel(event.communityId, event.type), JSON.stringify(event));
    } catch (error) {
      this.onError(error, event);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Keeps events in memory: for tests that assert what was announced, and for tools. */
export class MemoryEventPublisher implements EventPublisher {
  readonly events: LinliEvent[] = [];

  async publish(event: LinliEvent): Promise<void> {
    this.events.push(event);
  }

  async close(): Promise<void> {}
}
