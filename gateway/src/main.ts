import { startTracing } from '@linli/subgraph-kit/observability/tracing';
import { readConfig } from './config.js';
import { createGateway } from './gateway.js';
import { serveOnWorkers } from './workers.js';

const config = readConfig();
await serveOnWorkers(config.workers ?? 1, async () => {
  // In each process that serves (not a supervising primary), before its server is built.
  const tracing = config.tracing ? startTracing(config.tracing) : null;
  const gateway = await createGateway(config);
  return () => gateway.close().then(() => tracing?.shutdown());
});
