import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { RuntimeConfig } from '../config/runtime';

export interface GraphQLClientOptions {
  config: RuntimeConfig;
  /** The signed-in person's bearer token, if any. */
  token: string | null;
  /** Opens graphql-ws for subscriptions; false when the schema serves none. */
  live: boolean;
  /** Called when the gateway refuses the token (expired or revoked elsewhere). */
  onUnauthenticated(): void;
}

export interface GraphQLClient {
  apollo: ApolloClient;
  /** Closes the WebSocket and stops every query; the client is not used again. */
  dispose(): void;
}

/**
 * One client per session: a new sign-in gets a fresh cache, so nothing one person saw is
 * shown to the next. Queries and mutations go over HTTP, subscriptions over graphql-ws,
 * both to the gateway and both with the same token.
 */
export function createGraphQLClient({ config, token, live, onUnauthenticated }: GraphQLClientOptions): GraphQLClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  const http = new HttpLink({ uri: config.graphqlUrl, headers: authorization ? { authorization } : {} });
  const refused = new ErrorLink(({ error }) => {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
  });

  let ws: WsClient | undefined;
  let transport: ApolloLink = http;
  let reconnected: () => void = () => undefined;
  if (live) {
    ws = createWsClient({
      url: config.subscriptionsUrl,
      lazy: true,
      retryAttempts: 5,
      connectionParams: authorization ? { authorization } : {},
    });
    // Events sent while the socket was down are gone: re-read what is on screen once it is
    // back. (A lazy socket also closes normally, code 1000, when no page subscribes.)
    let lost = false;
    ws.on('closed', (event) => {
      if ((event as { code?: number } | undefined)?.code !== 1000) lost = true;
    });
    ws.on('connected', () => {
      if (lost) reconnected();
      lost = false;
    });
    transport = ApolloLink.split(({ query }) => isSubscriptionOperation(query), new GraphQLWsLink(ws), http);
  }

  const apollo = new ApolloClient({
    link: ApolloLink.from([refused, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            listings: relayStylePagination(['filter']),
            myBookings: relayStylePagination(['status']),
            communityBookings: relayStylePagination(['communityId', 'status']),
          },
        },
        LedgerAccount: { fields: { transfers: relayStylePagination() } },
      },
    }),
    // Show what is cached at once, and always ask again: balances and statuses move.
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
  reconnected = () => void apollo.refetchObservableQueries().catch(() => undefined);
  return {
    apollo,
    dispose() {
      apollo.stop();
      void ws?.dispose();
    },
  };
}
