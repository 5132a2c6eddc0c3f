/** What one gateway grants live clients. Read from the environment in `config.ts`. */
export interface LiveLimits {
  /** Open WebSockets plus SSE streams from one address. Default 256 (LIVE_MAX_CONNECTIONS_PER_IP). */
  maxConnectionsPerIp: number;
  /** Default 64 (LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION). */
  maxSubscriptionsPerConnection: number;
  /** Across all of a user's connections to this gateway (anonymous: per address). Default 256. */
  maxSubscriptionsPerUser: number;
  /**
   * Bytes a connection may have waiting to be written to a client that does not read; past
   * it the client is dropped (close 1013). Default 1 MiB (LIVE_MAX_BUFFERED_BYTES).
   */
  maxBufferedBytes: number;
  /** Events waiting for delivery on one subscription before its client counts as too slow. Default 256. */
  maxQueuedEvents: number;
  /** WebSocket ping period; a client that has not answered by the next one is cut. Default 12000. */
  keepAliveMs: number;
  /** How long a WebSocket may take to send `connection_init`. Default 3000. */
  connectionInitTimeoutMs: number;
  /** Resolutions of events running at once (across all subscriptions). Default 32. */
  resolutionConcurrency: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxConnectionsPerIp: 256,
  maxSubscriptionsPerConnection: 64,
  maxSubscriptionsPerUser: 256,
  maxBufferedBytes: 1024 * 1024,
  maxQueuedEvents: 256,
  keepAliveMs: 12_000,
  connectionInitTimeoutMs: 3_000,
  resolutionConcurrency: 32,
};

/** Counts open connections per client address. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerIp: number) {}

  get total(): number {
    let n = 0;
    for (const count of this.open.values()) n += count;
    return n;
  }

  /** Takes a place for `ip`, or returns false when it has all it may have. */
  acquire(ip: string): boolean {
    const count = this.open.get(ip) ?? 0;
    if (count >= this.maxPerIp) return false;
    this.open.set(ip, count + 1);
    return true;
  }

  release(ip: string): void {
    const count = (this.open.get(ip) ?? 1) - 1;
    if (count > 0) this.open.set(ip, count);
    else this.open.delete(ip);
  }
}

/** At most `limit` tasks at once; the rest wait their turn in order. */
export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its place straight to the next in line.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
