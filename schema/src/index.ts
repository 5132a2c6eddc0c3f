import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';

/** The subgraphs of the federation; `community` is one subgraph served by many instances. */
export const SUBGRAPHS = ['exchange', 'community'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/**
 * URL the supergraph records for the community subgraph. Nothing listens there: the
 * gateway's community router picks the real instance per community.
 */
export const COMMUNITY_ROUTED_URL = 'http://community.linli.internal/graphql';
export const EXCHANGE_DEFAULT_URL = 'http://exchange.linli.internal/graphql';

export const schemaDir = fileURLToPath(new URL('..', import.meta.url));

export function contractPath(name: SubgraphName | 'supergraph'): string {
  return `${schemaDir}${name}.graphql`;
}

/** The committed SDL of a subgraph: the contract every implementation must serve. */
export function readContract(name: SubgraphName): string {
  return readFileSync(contractPath(name), 'utf8');
}

/** The committed supergraph, composed from the committed contracts. */
export function readSupergraph(): string {
  return readFileSync(contractPath('supergraph'), 'utf8');
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`supergraph composition failed:\n${messages.join('\n')}`);
  }
}

/** Composes the supergraph from SDLs with @apollo/composition. */
export function composeSupergraph(sdl: Record<SubgraphName, string>): string {
  const result = composeServices(
    SUBGRAPHS.map((name) => ({
      name,
      url: name === 'community' ? COMMUNITY_ROUTED_URL : EXCHANGE_DEFAULT_URL,
      typeDefs: parse(sdl[name]),
    })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}
