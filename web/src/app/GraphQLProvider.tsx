import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '../auth';
import { useRuntimeConfig } from '../config/RuntimeConfigProvider';
import { createGraphQLClient, type GraphQLClient } from '../graphql/client';
import { liveEnabled } from '../live/live';

/**
 * A client for the current session. Children render only with the client made for the
 * current token, so no query ever goes out under the previous person's identity.
 */
export function GraphQLProvider({ children }: { children: ReactNode }) {
  const config = useRuntimeConfig();
  const { session, signOut } = useAuth();
  const token = session?.token ?? null;
  const [current, setCurrent] = useState<{ token: string | null; client: GraphQLClient } | null>(null);

  useEffect(() => {
    const client = createGraphQLClient({ config, token, live: liveEnabled(config), onUnauthenticated: signOut });
    setCurrent({ token, client });
    return () => client.dispose();
  }, [config, token, signOut]);

  if (!current || current.token !== token) return null;
  return <ApolloProvider client={current.client.apollo}>{children}</ApolloProvider>;
}
