import 'reflect-metadata';
import { readConfig } from './config.js';
import { createCommunitySubgraph } from './server.js';

const subgraph = await createCommunitySubgraph(readConfig());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void subgraph.close().then(() => process.exit(0));
  });
}
