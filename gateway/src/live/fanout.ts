import type { LinliEvent } from '@linli/subgraph-kit/events';
import type { Logger } from '@linli/subgraph-kit/logger';
import { Redis } from 'ioredis';
import { z } from 'zod';

const EventMessage = z.object({
  type: z.string().min(1),
  communityId: z.string().min(1),
  subjectId: z.string().min(1),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export interface EventSource {
  /** Resolves once the subscription to the channel pattern is in place. */
  ready(): Promise<void>;
  /** Whether events can arrive now (connected and subscribed); for readiness probes. */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Every gateway instance subscribes to `<prefix>:*` and hands each event to its own
 * subscribers: gateways scale out with no sticky sessions and no coordination. An event
 * whose channel disagrees with its body (type or community) is dropped: the channel is
 * what the publisher was allowed to write to.
 */
export class RedisEventSource implements EventSource {
  private readonly redis: Redis;
  private readonly subscribed: Promise<void>;

  constructor(
    url: string,
    private readonly prefix: string,
    onEvent: (event: LinliEvent) => void,
    private readonly logger: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null });
    this.redis.on('error', (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live event source: redis error'));
    this.redis.on('pmessage', (_pattern: string, channel: string, message: string) => {
      const event = this.decode(channel, message);
      if (event) onEvent(event);
    });
    // ioredis re-subscribes by itself after a reconnect.
    this.subscribed = this.redis.psubscribe(`${prefix}:*`).then(() => undefined);
    this.subscribed.catch((error: unknown) => logger.error({ err: error }, 'live event source: could not subscribe'));
  }

  ready(): Promise<void> {
    return this.subscribed;
  }

  connected(): boolean {
    // ioredis re-subscribes before it reports `ready` again after a reconnect.
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private decode(channel: string, message: string): LinliEvent | null {
    let parsed: z.infer<typeof EventMessage>;
    try {
      parsed = EventMessage.parse(JSON.parse(message));
    } catch {
      this.logger.warn({ channel }, 'live event source: unreadable event dropped');
      return null;
    }
    if (channel !== `${this.prefix}:${parsed.communityId}:${parsed.type}`) {
      this.logger.warn({ channel, type: parsed.type, communityId: parsed.communityId }, 'live event source: event on the wrong channel dropped');
      return null;
    }
    return parsed;
  }
}
