import 'reflect-metadata';
import { createLogger, createSubgraphHttp, IdentityVerifier, openDatabase, type Orm, type RunningServer } from '@linli/subgraph-kit';
import type { ExchangeConfig } from './config.js';
import { createContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildExchangeSchema, entities } from './schema.js';

export interface ExchangeSubgraph {
  orm: Orm;
  server: RunningServer;
  close(): Promise<void>;
}

/** Opens the exchange's database (migrating it), builds the schema and listens. */
export async function createExchangeSubgraph(config: ExchangeConfig): Promise<ExchangeSubgraph> {
  const logger = createLogger('exchange', config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, entities, migrations });
  try {
    const http = await createSubgraphHttp({
      name: 'exchange',
      schema: await buildExchangeSchema(),
      verifier: new IdentityVerifier(config.gatewayPublicKey),
      logger,
      context: (viewer) => createContext(orm.em, viewer),
    });
    const server = await http.listen(config.port, config.host);
    return {
      orm,
      server,
      close: async () => {
        await server.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}
