import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { ReadinessCheck } from './observability/health.js';

export interface DatabaseOptions {
  /** postgres://… of this service's own database (never shared with another community). */
  url: string;
  entities: NonNullable<Options['entities']>;
  /** Migrations in order; schema changes never go through schema sync. */
  migrations: MigrationObject[];
  debug?: boolean;
  poolSize?: number;
}

export type Orm = MikroORM;

export function ormOptions(options: DatabaseOptions): Options {
  return {
    clientUrl: options.url,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
      silent: true,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    debug: options.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
  };
}

/** Opens the service's database and brings its schema up to date by migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(options));
  await orm.getMigrator().up();
  return orm;
}

/** GET /readyz's database check: one round trip on the pool. */
export function databaseCheck(orm: Orm): ReadinessCheck {
  return { name: 'database', check: async () => void (await orm.em.getConnection().execute('select 1')) };
}
