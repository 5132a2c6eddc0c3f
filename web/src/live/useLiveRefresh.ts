import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { useRuntimeConfig } from '../config/RuntimeConfigProvider';
import type { LiveOperationName } from '../gql/live-operations';
import { liveDocument, liveEnabled } from './live';

export type Freshness = 'live' | 'polling' | 'off';

export interface LiveRefreshOptions {
  /** The subscription that signals a change (its Booking payload also lands in the cache). */
  operation: LiveOperationName;
  variables?: Record<string, unknown>;
  /** Re-reads the page's query: after every event, and on each poll. */
  refetch(): Promise<unknown>;
  skip?: boolean;
}

/**
 * Keeps a page's query current: through the subscription when the gateway serves it, and
 * by polling (paused while the tab is hidden) when it does not or the subscription fails.
 */
export function useLiveRefresh({ operation, variables, refetch, skip = false }: LiveRefreshOptions): Freshness {
  const client = useApolloClient();
  const config = useRuntimeConfig();
  const { pollIntervalMs } = config;
  const [failed, setFailed] = useState(false);
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;
  const variablesKey = JSON.stringify(variables ?? {});
  const subscription = liveEnabled(config) ? liveDocument(operation) : null;
  const mode: Freshness = skip ? 'off' : subscription && !failed ? 'live' : 'polling';

  useEffect(() => {
    if (mode === 'off') return;
    let inFlight = false;
    const reread = () => {
      if (inFlight) return;
      inFlight = true;
      // A failed re-read leaves the last good data on screen; the next one may succeed.
      refetchRef.current().catch(() => undefined).finally(() => {
        inFlight = false;
      });
    };
    if (mode === 'live' && subscription) {
      const events = client
        .subscribe({ query: subscription, variables: JSON.parse(variablesKey) as Record<string, unknown> })
        .subscribe({ next: reread, error: () => setFailed(true), complete: () => setFailed(true) });
      return () => events.unsubscribe();
    }
    const timer = window.setInterval(() => {
      if (!window.document.hidden) reread();
    }, pollIntervalMs);
    return () => window.clearInterval(timer);
  }, [client, subscription, mode, pollIntervalMs, variablesKey]);

  return mode;
}
