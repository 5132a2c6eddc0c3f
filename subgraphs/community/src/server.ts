import 'reflect-metadata';
import { createLogger, createSubgraphHttp, IdentityVerifier, openDatabase, type Orm, type RunningServer } from '@linli/subgraph-kit';
import type { CommunityConfig } from './config.js';
import { createContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildCommunitySchema, entities } from './schema.js';

export interface CommunitySubgraphOptions {
  /**
   * Called with the SQL of every statement the subgraph sends to its database once it has
   * migrated (tests count queries with it). Default: none.
   */
  onQuery?: (sql: string) => void;
}

export interface CommunitySubgraph {
  orm: Orm;
  server: RunningServer;
  close(): Promise<void>;
}

/** Opens the community's own database (migrating it), builds the schema and listens. */
export async function createCommunitySubgraph(config: CommunityConfig, options: CommunitySubgraphOptions = {}): Promise<CommunitySubgraph> {
  const logger = createLogger(`community:${config.communityId}`, config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, entities, migrations });
  const { onQuery } = options;
  // MikroORM 6 runs every statement, transactions included, through knex, which reports each one.
  if (onQuery) orm.em.getConnection().getKnex().on('query', (query: { sql: string }) => onQuery(query.sql));
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
