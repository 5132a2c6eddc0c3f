import { ANONYMOUS, type Viewer } from '@linli/subgraph-kit/identity';
import type { TokenVerifier } from './tokens.js';

/** What the gateway keeps per request: only the verified viewer, never the raw token. */
export interface GatewayContext {
  viewer: Viewer;
}

export function createContextFunction(tokens: TokenVerifier) {
  return async ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }): Promise<GatewayContext> => {
    const authorization = req.headers.authorization;
    return { viewer: await tokens.viewer(Array.isArray(authorization) ? authorization[0] : authorization) };
  };
}

/** Gateway-internal fetches (health checks, schema loading) carry no viewer: sign them as anonymous. */
export function viewerOf(context: Record<string, unknown> | undefined): Viewer {
  const viewer = context?.viewer as Viewer | undefined;
  return viewer && Array.isArray(viewer.roles) ? viewer : ANONYMOUS;
}
