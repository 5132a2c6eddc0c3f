import { Role, type IdentitySigner, type Viewer } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { z } from 'zod';
import type { Fetcher } from '../security/signed-data-source.js';
import { ChangeListeners, DirectoryTable, type CommunityDirectory, type DirectoryEntry, type Instance, type Unavailable } from './directory.js';

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

const DIRECTORY_QUERY = '{ communities { id status endpoint issuer jwksUri jwks } }';

const JwkSetShape = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

const DirectoryAnswer = z.object({
  data: z.object({
    communities: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        endpoint: z.string(),
        issuer: z.string().nullish(),
        jwksUri: z.string().nullish(),
        // A malformed key set only stops that community's tokens being accepted, not the routing of all.
        jwks: JwkSetShape.nullish().catch(null),
      }),
    ),
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
  private reloadAfter: Promise<void> | null = null;
  /** Counts announced changes, so that a read begun before one does not undo it. */
  private announcements = 0;
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

  byIssuer(issuer: string): DirectoryEntry | undefined {
    return this.table.byIssuer(issuer);
  }

  withStatus(status: string): DirectoryEntry[] {
    return this.table.withStatus(status);
  }

  /**
   * A change the exchange announced (`directory.changed`, after its commit). A status that
   * takes a community out of routing is applied to its entry at once — a suspension must not
   * wait for a read — and the directory is re-read for the rest. Routing *to* a community
   * waits for that read: the exchange, not whoever can publish to Redis, says who is in.
   */
  announced(communityId: string, status: string | undefined): Promise<void> {
    const patched = status && status !== 'ACTIVE' ? this.table.withEntryStatus(communityId, status) : null;
    if (patched) {
      this.announcements++;
      this.table = patched;
      this.listeners.notify();
    }
    return this.reload();
  }

  /**
   * Re-reads now: one read already in flight may have started before the change being
   * followed committed, so this one follows it.
   */
  reload(): Promise<void> {
    if (!this.inFlight) return this.load();
    this.reloadAfter ??= this.inFlight.then(() => {
      this.reloadAfter = null;
      return this.load();
    });
    return this.reloadAfter;
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
    await this.reloadAfter;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  private load(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.lastStarted = Date.now();
    const announcementsBefore = this.announcements;
    this.inFlight = this.read()
      .then((table) => {
        // Older than an announced change; the read that reload() queued after it follows.
        if (this.announcements !== announcementsBefore) return;
        // An equal table keeps the old one, and with it what was derived from its entries
        // (the issuers' key sets are cached per entry object).
        if (table.equals(this.table)) return;
        this.table = table;
        this.listeners.notify();
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
