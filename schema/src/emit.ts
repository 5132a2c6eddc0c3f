import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildCommunitySchema } from '@linli/community';
import { buildExchangeSchema } from '@linli/exchange';
import { writeFileSync } from 'node:fs';
import { composeSupergraph, contractPath, type SubgraphName } from './index.js';

/** The SDL each subgraph's code serves right now. */
export async function emittedSdl(): Promise<Record<SubgraphName, string>> {
  return {
    community: printSubgraphSchema(await buildCommunitySchema()),
    exchange: printSubgraphSchema(await buildExchangeSchema()),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const sdl = await emittedSdl();
  for (const [name, text] of Object.entries(sdl)) writeFileSync(contractPath(name as SubgraphName), text);
  writeFileSync(contractPath('supergraph'), composeSupergraph(sdl));
  console.log('wrote schema/community.graphql, schema/exchange.graphql, schema/supergraph.graphql');
}
