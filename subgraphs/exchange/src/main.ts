import 'reflect-metadata';
import { readConfig } from './config.js';
import { createExchangeSubgraph } from './server.js';

const subgraph = await createExchangeSubgraph(readConfig());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void subgraph.close().then(() => process.exit(0));
  });
}
