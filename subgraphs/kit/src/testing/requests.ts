import { ANONYMOUS, type IdentitySigner, type Viewer } from '../identity.js';

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
}

/** Posts a GraphQL request to a subgraph, signed as the gateway would sign it for `viewer`. */
export async function signedRequest<T>(
  url: string,
  signer: IdentitySigner,
  query: string,
  variables: Record<string, unknown> = {},
  viewer: Viewer = ANONYMOUS,
): Promise<{ status: number; body: GraphQLBody<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signer.headers(viewer) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLBody<T> };
}
