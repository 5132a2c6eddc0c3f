import { readConfig } from './config.js';
import { createGateway } from './gateway.js';

const gateway = await createGateway(readConfig());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gateway.close().then(() => process.exit(0));
  });
}
