import 'reflect-metadata';
import { startTracing } from '@linli/subgraph-kit/observability/tracing';
import { readConfig } from './config.js';
import { createExchangeSubgraph } from './server.js';

const config = readConfig();
// Before the server is built, so that every request it serves is traced.
const tracing = config.tracing ? startTracing(config.tracing) : null;
const subgraph = await createExchangeSubgraph(config);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void subgraph
      .close()
      .then(() => tracing?.shutdown())
      .then(() => process.exit(0));
  });
}
