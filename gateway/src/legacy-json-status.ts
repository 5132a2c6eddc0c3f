import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/**
 * GraphQL over HTTP asks for 200 when a request that never executed (its document failed to
 * parse or validate, or its variables failed to coerce) is answered as legacy `application/json`:
 * such clients read the status as "transport failed" and would drop the errors. Clients that
 * accept `application/graphql-response+json` keep Apollo's 400, as the spec asks of them.
 *
 * Limit, rate and persisted-query refusals keep their own status (400, 413, 429): they are
 * decisions about the request, not about the document.
 */
const DOCUMENT_FAILURES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
const MEDIA_TYPES = ['application/json', 'application/graphql-response+json'];

export function legacyJsonStatusPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          if (!errors.every((error) => DOCUMENT_FAILURES.has(String(error.extensions?.code)))) return;
          const accept = request.http?.headers.get('accept');
          const chosen = accept ? new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES) : 'application/json';
          if (chosen === 'application/json') response.http.status = 200;
        },
      };
    },
  };
}
