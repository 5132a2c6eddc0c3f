import CircuitBreaker from 'opossum';

export interface CircuitOptions {
  /** Failed fetches in a row that open a community's circuit; 0 leaves it to the rate. Default 5. */
  consecutiveFailures: number;
  /** Percentage of failed fetches within the window that opens it. Default 50. */
  errorPercent: number;
  /** Fetches the window must hold before the percentage counts. Default 10. */
  minRequests: number;
  /** Length of the rolling window the percentage is taken over. Default 10000. */
  windowMs: number;
  /** How long an open circuit fails fast before one probe fetch may try again. Default 5000. */
  resetMs: number;
  /**
   * Fetches to one community at a time; past it, more fail fast (and count as failures). A
   * cap on what one slow community can hold of the gateway. Default 128.
   */
  maxInFlight: number;
}

export const DEFAULT_CIRCUIT: CircuitOptions = {
  consecutiveFailures: 5,
  errorPercent: 50,
  minRequests: 10,
  windowMs: 10_000,
  resetMs: 5_000,
  maxInFlight: 128,
};

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitSnapshot {
  communityId: string;
  state: CircuitState;
  /** Counts over the rolling window; `rejects` are fetches failed fast while open. */
  window: { fires: number; failures: number; rejects: number };
}

export interface CircuitChange {
  communityId: string;
  state: CircuitState;
}

/** What the gateway shows of its circuits (for metrics and tests). */
export interface CircuitStates {
  states(): CircuitSnapshot[];
  /** Calls `listener` on every change of a community's circuit; returns a function that stops it. */
  onStateChange(listener: (change: CircuitChange) => void): () => void;
}

/** A fetch not sent because the community's circuit is open or its in-flight cap is reached. */
export class CircuitRejection extends Error {
  constructor(readonly reason: 'circuit open' | 'overloaded') {
    super(reason);
    this.name = 'CircuitRejection';
  }
}

type Fetch = () => Promise<unknown>;

interface Entry {
  url: string;
  breaker: CircuitBreaker<[Fetch], unknown>;
}

/**
 * One circuit breaker (opossum) per community, so a community that keeps failing or timing
 * out is answered at once as unavailable instead of holding every request that touches it
 * for its whole timeout. After `resetMs` one probe fetch goes through: success closes the
 * circuit, failure opens it again.
 */
export class CommunityBreakers implements CircuitStates {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: CircuitChange) => void>();

  /**
   * @param isAnswer errors that still show the instance answering (e.g. it refused the
   *   request as invalid); they do not count as failures.
   */
  constructor(
    private readonly options: CircuitOptions,
    private readonly isAnswer: (error: unknown) => boolean = () => false,
  ) {}

  /** Runs `fetch` through the circuit of `communityId`; throws `CircuitRejection` when not sent. */
  async run<T>(communityId: string, url: string, fetch: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker(communityId, url).fire(fetch)) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'EOPENBREAKER') throw new CircuitRejection('circuit open');
      if (code === 'ESEMLOCKED') throw new CircuitRejection('overloaded');
      throw error;
    }
  }

  states(): CircuitSnapshot[] {
    return [...this.entries].map(([communityId, { breaker }]) => {
      const { fires, failures, rejects } = breaker.stats;
      return { communityId, state: stateOf(breaker), window: { fires, failures, rejects } };
    });
  }

  onStateChange(listener: (change: CircuitChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const { breaker } of this.entries.values()) breaker.shutdown();
    this.entries.clear();
  }

  private breaker(communityId: string, url: string): CircuitBreaker<[Fetch], unknown> {
    const entry = this.entries.get(communityId);
    if (entry?.url === url) return entry.breaker;
    // A community that moved to another instance starts with a closed circuit.
    entry?.breaker.shutdown();
    const breaker = this.create(communityId);
    this.entries.set(communityId, { url, breaker });
    return breaker;
  }

  private create(communityId: string): CircuitBreaker<[Fetch], unknown> {
    const o = this.options;
    const breaker = new CircuitBreaker<[Fetch], unknown>((fetch) => fetch(), {
      name: communityId,
      // The fetch carries its own deadline (an AbortSignal that also ends the request).
      timeout: false,
      errorThresholdPercentage: o.errorPercent,
      volumeThreshold: o.minRequests,
      rollingCountTimeout: o.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: o.resetMs,
      capacity: o.maxInFlight,
      errorFilter: this.isAnswer,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    // opossum opens on a rate only; a run of failures should open it too, before the window fills.
    let inARow = 0;
    breaker.on('success', () => {
      inARow = 0;
    });
    breaker.on('failure', () => {
      inARow += 1;
      if (o.consecutiveFailures > 0 && inARow >= o.consecutiveFailures) breaker.open();
    });
    const changed = (state: CircuitState) => () => {
      if (state !== 'open') inARow = 0;
      for (const listener of this.listeners) listener({ communityId, state });
    };
    breaker.on('open', changed('open'));
    breaker.on('halfOpen', changed('half-open'));
    breaker.on('close', changed('closed'));
    return breaker;
  }
}

function stateOf(breaker: CircuitBreaker<[Fetch], unknown>): CircuitState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half-open';
  return 'closed';
}
