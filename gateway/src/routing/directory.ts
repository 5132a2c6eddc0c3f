/** Where a community's instance answers. */
export interface Instance {
  kind: 'instance';
  communityId: string;
  url: string;
}

/** Why a community cannot be routed to right now. */
export interface Unavailable {
  kind: 'unavailable';
  communityId: string;
  /** `unknown` = not in the directory; otherwise the directory's status, e.g. `SUSPENDED`. */
  reason: 'unknown' | string;
}

/**
 * Which instance serves which community. The router asks per fetch, so the table must
 * answer from memory; `refresh()` brings it up to date (the router calls it when asked
 * for a community it does not know, so a newly registered one is routable at once).
 */
export interface CommunityDirectory {
  lookup(communityId: string): Instance | Unavailable;
  refresh(): Promise<void>;
  close(): Promise<void>;
  /** Calls `listener` whenever the table changes; returns a function that stops it. */
  onChange?(listener: () => void): () => void;
}

/** Listeners of a directory's changes. */
export class ChangeListeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export type CommunityStatus = 'ACTIVE' | string;

export interface DirectoryEntry {
  id: string;
  status: CommunityStatus;
  endpoint: string;
}

/** A directory table: only ACTIVE communities are routable. */
export class DirectoryTable {
  private readonly entries: ReadonlyMap<string, DirectoryEntry>;

  constructor(entries: Iterable<DirectoryEntry>) {
    this.entries = new Map([...entries].map((e) => [e.id, e]));
  }

  /** Same communities, statuses and endpoints. */
  equals(other: DirectoryTable): boolean {
    if (other.entries.size !== this.entries.size) return false;
    for (const [id, e] of this.entries) {
      const o = other.entries.get(id);
      if (!o || o.status !== e.status || o.endpoint !== e.endpoint) return false;
    }
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(communityId: string): Instance | Unavailable {
    const entry = this.entries.get(communityId);
    if (!entry) return { kind: 'unavailable', communityId, reason: 'unknown' };
    if (entry.status !== 'ACTIVE') return { kind: 'unavailable', communityId, reason: entry.status };
    return { kind: 'instance', communityId, url: entry.endpoint };
  }
}

/** A fixed directory, for tests and deployments that list their communities in config. */
export class StaticDirectory implements CommunityDirectory {
  private table: DirectoryTable;
  private readonly listeners = new ChangeListeners();

  constructor(endpoints: Record<string, string> | DirectoryEntry[]) {
    this.table = new DirectoryTable(
      Array.isArray(endpoints) ? endpoints : Object.entries(endpoints).map(([id, endpoint]) => ({ id, endpoint, status: 'ACTIVE' })),
    );
  }

  lookup(communityId: string): Instance | Unavailable {
    return this.table.lookup(communityId);
  }

  /** Replaces the table, as a directory change would. */
  set(entries: DirectoryEntry[]): void {
    this.table = new DirectoryTable(entries);
    this.listeners.notify();
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  async refresh(): Promise<void> {}

  async close(): Promise<void> {}
}
