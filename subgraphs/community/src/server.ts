import 'reflect-metadata';
import { createLogger, createSubgraphHttp, IdentityVerifier, openDatabase, type Orm, type RunningServer } from '@linli/subgraph-kit';
import type { CommunityConfig } from './config.js';
import { createContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildCommunitySchema, entities } from './schema.js';

export interface CommunitySubgraph {
  orm: Orm;
  server: RunningServer;
  close(): Promise<void>;
}

/** Opens the community's own database (migrating it), builds the schema and listens. */
export async function createCommunitySubgraph(config: CommunityConfig): Promise<CommunitySubgraph> {
  const logger = createLogger(`community:${config.communityId}`, config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, entities, migrations });
  try {
    const http = await createSubgraphHttp({
      name: 'community',
      schema: await buildCommunitySchema(),
      verifier: new IdentityVerifier(config.gatewayPublicKey),
      logger,
      context: (viewer) => createContext({ em: orm.em, communityId: config.communityId, timezone: config.timezone }, viewer),
      health: () => ({ communityId: config.communityId }),
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
