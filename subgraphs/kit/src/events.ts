import { Redis } from 'ioredis';
import type { ReadinessCheck } from './observability/health.js';

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

/**
 * Event types the gateway's live subscriptions listen for. What `data` carries is for
 * routing only (which subscribers an event reaches): ids and enums, never personal details.
 */
export const LiveEventType = {
  /** subjectId: the booking; communityId: the owning community; data: BookingUpdatedData. */
  BOOKING_UPDATED: 'booking.updated',
  /** subjectId: the listing; communityId: its community; data: ListingPublishedData. */
  LISTING_PUBLISHED: 'listing.published',
  /** subjectId: the ledger account; communityId: its community (`federation` for federation accounts); data: BalanceChangedData. */
  ACCOUNT_BALANCE_CHANGED: 'account.balance_changed',
  /** subjectId: the alarm; communityId: the community it was raised in. */
  ALARM_RAISED: 'alarm.raised',
  ALARM_UPDATED: 'alarm.updated',
  /** subjectId: the case; communityId: the community it belongs to. */
  CASE_ESCALATED: 'case.escalated',
  /**
   * subjectId and communityId: the community whose directory entry changed (registered,
   * admitted, rejected, suspended, reactivated); data: DirectoryChangedData. Gateways re-read
   * the directory on it, so routing follows at once.
   */
  DIRECTORY_CHANGED: 'directory.changed',
} as const;

export interface DirectoryChangedData {
  status: string;
}

export interface BookingUpdatedData {
  status: string;
  /**
   * The user id of the resident who booked: the gateway routes `myBookingsUpdated` by it.
   * An id, not a personal detail; it travels only between services, and subscribers see
   * the booking only as the graph shows it to them.
   */
  residentId: string;
  residentCommunityId: string;
}

export interface ListingPublishedData {
  kind: string;
  resourceId: string;
}

export interface BalanceChangedData {
  /** The user id (RESIDENT accounts), community id (COMMUNITY_*) or `federation`. */
  holderId: string;
  kind: string;
  unit: string;
}

/** The `communityId` of events about federation-wide things (federation ledger accounts). */
export const FEDERATION_EVENT_SCOPE = 'federation';

export interface EventPublisher {
  publish(event: LinliEvent): Promise<void>;
  /** Resolves when the broker answers (readiness probes); absent when there is no broker. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

/** GET /readyz's check of the broker events go to, if they go to one. */
export function eventsChecks(events: EventPublisher): ReadinessCheck[] {
  const { ping } = events;
  return ping ? [{ name: 'redis', check: () => ping.call(events) }] : [];
}

/** The channel prefix when a deployment names none. */
export const DEFAULT_EVENT_CHANNEL_PREFIX = 'linli';

/**
 * Redis channel of one event type in one community: `<prefix>:<communityId>:<type>`, the
 * prefix `linli` unless a deployment names its own (several deployments, or test runs,
 * sharing one Redis keep apart by it). Gateways subscribe to the pattern `<prefix>:*`.
 */
export function eventChannel(communityId: string, type: string, prefix: string = DEFAULT_EVENT_CHANNEL_PREFIX): string {
  return `${prefix}:${communityId}:${type}`;
}

export interface RedisEventPublisherOptions {
  /** Channel prefix (`EVENT_CHANNEL_PREFIX`). Default `linli`. */
  channelPrefix?: string;
}

/**
 * Publishes to Redis pub/sub, so any number of gateway instances can serve subscribers.
 * Publishing never fails the operation that caused it: an event lost while Redis is down is
 * logged, and clients re-read state on reconnect.
 */
export class RedisEventPublisher implements EventPublisher {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(
    url: string,
    private readonly onError: (error: unknown, event: LinliEvent) => void = () => {},
    options: RedisEventPublisherOptions = {},
  ) {
    this.prefix = options.channelPrefix ?? DEFAULT_EVENT_CHANNEL_PREFIX;
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => {}); // reconnects by itself; failures surface per publish
  }

  /** Resolves once connected: events published before that are lost (no offline queue). */
  ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  /** Resolves when Redis answers; throws at once while disconnected (no offline queue). For readiness probes. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async publish(event: LinliEvent): Promise<void> {
    try {
      await this.redis.publish(eventChannel(event.communityId, event.type, this.prefix), JSON.stringify(event));
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
