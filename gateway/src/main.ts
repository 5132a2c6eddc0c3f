import { startTracing } from '@linli/subgraph-kit/observability/tracing';
import { readConfig } from './config.js';
import { createGateway } from './gateway.js';
import { serveOnWorkers } from './workers.js';

const config = readConfig();
// Before the server is built, so that every request it serves is traced.
const tracing = config.tracing ? startTracing(config.tracing) : null;
await serveOnWorkers(config.workers ?? 1, async () => {
  const gateway = await createGateway(config);
  return () => gateway.close().then(() => tracing?.shutdown());
});
