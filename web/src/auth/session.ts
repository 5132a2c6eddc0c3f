import { readClaims, type Viewer } from './claims';

/** A signed-in person: the bearer token the gateway checks, and who it says they are. */
export interface Session {
  token: string;
  viewer: Viewer;
  /** How the interface greets them (from the identity provider, not the token). */
  displayName: string;
}

const STORAGE_KEY = 'linli.session';

export function createSession(token: string, displayName: string, now = Date.now()): Session | null {
  const viewer = readClaims(token);
  if (!viewer || (viewer.expiresAt !== null && viewer.expiresAt <= now)) return null;
  return { token, viewer, displayName };
}

/** The session kept from an earlier visit, unless it has expired since. */
export function restoreSession(storage: Storage = window.localStorage): Session | null {
  try {
    const saved: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return null;
    const { token, displayName } = saved as Record<string, unknown>;
    if (typeof token !== 'string' || typeof displayName !== 'string') return null;
    return createSession(token, displayName);
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage = window.localStorage): void {
  if (session) storage.setItem(STORAGE_KEY, JSON.stringify({ token: session.token, displayName: session.displayName }));
  else storage.removeItem(STORAGE_KEY);
}
