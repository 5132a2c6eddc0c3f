import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { IdentitySigner } from '@linli/subgraph-kit/identity';
import { injectTraceContext } from '@linli/subgraph-kit/observability/tracing';
import { viewerOf } from './context.js';

export type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * A subgraph fetch that carries the viewer's identity signed by the gateway. Signed per
 * request because the signature embeds its issue time and subgraphs refuse stale ones.
 */
export class SignedDataSource extends RemoteGraphQLDataSource {
  private readonly signer: IdentitySigner;

  constructor(url: string, fetcher: Fetcher, signer: IdentitySigner) {
    // Subgraphs do not send cache hints the gateway should honour; skip parsing them.
    super({ url, fetcher, honorSubgraphCacheControlHeader: false });
    this.signer = signer;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    // Whatever identity headers arrived with the client request must not pass through.
    for (const [name, value] of Object.entries(this.signer.headers(viewerOf(options.context)))) headers.set(name, value);
    // The subgraph continues the trace under the span of this fetch (a no-op while tracing is off).
    injectTraceContext(headers);
  }
}
