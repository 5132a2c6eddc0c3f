import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphSdl, type SubgraphName } from './scenario/subgraphs.js';

/** Composes the scenario's supergraph for subgraphs running at the given URLs. */
export function composeSupergraph(urls: Record<SubgraphName, string>): string {
  const result = composeServices(
    Object.entries(urls).map(([name, url]) => ({ name, url, typeDefs: parse(subgraphSdl(name as SubgraphName)) })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}
