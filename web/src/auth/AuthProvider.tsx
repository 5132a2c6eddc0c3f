import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createSession, restoreSession, saveSession, type Session } from './session';

/**
 * The one place a token enters the client. Today a demo identity picker calls `signIn`;
 * a real OIDC login would call it from its redirect callback, and nothing else changes:
 * the GraphQL client only ever asks this module for the current token.
 */
export interface Auth {
  session: Session | null;
  /** False when the token is malformed or expired. */
  signIn(token: string, displayName: string): boolean;
  signOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => restoreSession());

  const signIn = useCallback((token: string, displayName: string) => {
    const next = createSession(token, displayName);
    saveSession(next);
    setSession(next);
    return next !== null;
  }, []);

  const signOut = useCallback(() => {
    saveSession(null);
    setSession(null);
  }, []);

  // End the session when its token expires, rather than on the next failing request.
  useEffect(() => {
    const expiresAt = session?.viewer.expiresAt;
    if (!expiresAt) return;
    const timer = window.setTimeout(signOut, Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const auth = useMemo<Auth>(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth() outside <AuthProvider>');
  return auth;
}
