import { Role, type IdentitySigner, type Viewer } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { z } from 'zod';
import type { Fetcher } from '../security/signed-data-source.js';
import { ChangeListeners, DirectoryTable, type CommunityDirectory, type Instance, type Unavailable } from './directory.js';

export interface ExchangeDirectoryOptions {
  /** The exchange's GraphQL URL. */
  url: string;
  fetcher: Fetcher;
  signer: IdentitySigner;
  logger: Logger;
  /** Period of the background refresh. */
  refreshMs: number;
  /** Least time between two refreshes asked for on demand (unknown communities). Default 1000. */
  minOnDemandGapMs?: number;
}

const DIRECTORY_QUERY = '{ communities { id status endpoint } }';

const DirectoryAnswer = z.object({
  data: z.object({
    communities: z.array(z.object({ id: z.string(), status: z.string(), endpoint: z.string() })),
  }),
});

/** The gateway reads the directory on its own behalf, not on a user's. */
export const GATEWAY_SERVICE_VIEWER: Viewer = Object.freeze({ userId: 'gateway', homeCommunityId: null, roles: [Role.SERVICE] }) as Viewer;

/**
 * The community directory as the exchange keeps it, re-read in the background. When the
 * exchange cannot be read the last good table stays in use: routing to known communities
 * must not depend on the exchange being up.
 */
export class ExchangeDirectory implements CommunityDirectory {
  private table = new DirectoryTable([]);
  private inFlight: Promise<void> | null = null;
  private lastStarted = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly listeners = new ChangeListeners();

  private constructor(private readonly options: ExchangeDirectoryOptions) {
    this.timer = setInterval(() => void this.load(), options.refreshMs);
    this.timer.unref();
  }

  /** Reads the directory once before resolving, so the first requests can be routed. */
  static async start(options: ExchangeDirectoryOptions): Promise<ExchangeDirectory> {
    const directory = new ExchangeDirectory(options);
    await directory.load();
    return directory;
  }

  lookup(communityId: string): Instance | Unavailable {
    return this.table.lookup(communityId);
  }

  /** On-demand refresh: joins one in flight, and runs at most once per `minOnDemandGapMs`. */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (Date.now() - this.lastStarted < (this.options.minOnDemandGapMs ?? 1000)) return Promise.resolve();
    return this.load();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  private load(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.lastStarted = Date.now();
    this.inFlight = this.read()
      .then((table) => {
        const changed = !table.equals(this.table);
        this.table = table;
        if (changed) this.listeners.notify();
      })
      .catch((error: unknown) => {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error), communities: this.table.size },
          'community directory refresh failed; keeping the last good table',
        );
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private async read(): Promise<DirectoryTable> {
    const res = await this.options.fetcher(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.options.signer.headers(GATEWAY_SERVICE_VIEWER) },
      body: JSON.stringify({ query: DIRECTORY_QUERY }),
    });
    if (!res.ok) throw new Error(`exchange answered HTTP ${res.status}`);
    const parsed = DirectoryAnswer.safeParse(await res.json());
    if (!parsed.success) throw new Error('exchange answered without a communities list');
    return new DirectoryTable(parsed.data.data.communities);
  }
}
