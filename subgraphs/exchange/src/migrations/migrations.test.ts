import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, type ExchangeHarness } from '../test/harness.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_migrations');
});
afterAll(async () => {
  await h?.close();
});

describe('migrations', () => {
  it('leave nothing for the entities to change: the hand-written SQL and the entities agree', async () => {
    const sql = await h.subgraph.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(sql.trim()).toBe('');
  });

  it('are all applied, in order, and a second run does nothing', async () => {
    const migrator = h.subgraph.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toEqual([]);
    expect((await migrator.getExecutedMigrations()).map((m) => m.name)).toEqual([
      'Migration20261125000000_directory',
      'Migration20261125000100_listings',
      'Migration20261125000200_ledger',
      'Migration20261125000300_bookings',
      'Migration20261125000400_settlement',
      'Migration20261126000500_community_fund',
      'Migration20261127000600_admission',
    ]);
    expect(await migrator.up()).toEqual([]);
  });
});
