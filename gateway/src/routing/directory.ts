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
  /**
   * The community whose identity provider signs tokens with this `iss`, whatever its status
   * (the token verifier asks per request, so from memory too). Undefined when no community,
   * or more than one, registered it.
   */
  byIssuer(issuer: string): DirectoryEntry | undefined;
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

/** A JSON Web Key Set (RFC 7517): public keys only. */
export interface JwkSet {
  keys: Array<Record<string, unknown>>;
}

export interface DirectoryEntry {
  id: string;
  status: CommunityStatus;
  endpoint: string;
  /** `iss` of the tokens the community's own identity provider signs; none: it has no provider. */
  issuer?: string | null;
  /** Where that provider publishes its public keys (a JWKS URL). */
  jwksUri?: string | null;
  /** The provider's public keys themselves; used instead of `jwksUri` when both are set. */
  jwks?: JwkSet | null;
}

/** A directory table: only ACTIVE communities are routable. */
export class DirectoryTable {
  private readonly entries: ReadonlyMap<string, DirectoryEntry>;
  /** Issuer → community; null when several claim one issuer, so that none of them is trusted with it. */
  private readonly issuers = new Map<string, DirectoryEntry | null>();

  constructor(entries: Iterable<DirectoryEntry>) {
    this.entries = new Map([...entries].map((e) => [e.id, e]));
    for (const entry of this.entries.values()) {
      if (entry.issuer) this.issuers.set(entry.issuer, this.issuers.has(entry.issuer) ? null : entry);
    }
  }

  /** Same communities, statuses, endpoints and identity providers. */
  equals(other: DirectoryTable): boolean {
    if (other.entries.size !== this.entries.size) return false;
    for (const [id, e] of this.entries) {
      const o = other.entries.get(id);
      if (!o || o.status !== e.status || o.endpoint !== e.endpoint || !sameIdentityProvider(o, e)) return false;
    }
    return true;
  }

  byIssuer(issuer: string): DirectoryEntry | undefined {
    return this.issuers.get(issuer) ?? undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  /** This table with one known community's status changed; null for an unknown one or no change. */
  withEntryStatus(communityId: string, status: CommunityStatus): DirectoryTable | null {
    const entry = this.entries.get(communityId);
    if (!entry || entry.status === status) return null;
    return new DirectoryTable([...this.entries.values()].map((e) => (e.id === communityId ? { ...e, status } : e)));
  }

  /** Entries in one status, e.g. the PENDING ones admission checks. */
  withStatus(status: CommunityStatus): DirectoryEntry[] {
    return [...this.entries.values()].filter((e) => e.status === status);
  }

  lookup(communityId: string): Instance | Unavailable {
    const entry = this.entries.get(communityId);
    if (!entry) return { kind: 'unavailable', communityId, reason: 'unknown' };
    if (entry.status !== 'ACTIVE') return { kind: 'unavailable', communityId, reason: entry.status };
    return { kind: 'instance', communityId, url: entry.endpoint };
  }
}

function sameIdentityProvider(a: DirectoryEntry, b: DirectoryEntry): boolean {
  return (a.issuer ?? null) === (b.issuer ?? null) && (a.jwksUri ?? null) === (b.jwksUri ?? null) && JSON.stringify(a.jwks ?? null) === JSON.stringify(b.jwks ?? null);
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

  byIssuer(issuer: string): DirectoryEntry | undefined {
    return this.table.byIssuer(issuer);
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
