import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../test/harness.js';
import { migrations } from './index.js';

let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunity('migrations');
});
afterAll(async () => {
  await h?.close();
});

describe('community migrations', () => {
  it('leave nothing for the entities to change: the hand-written SQL and the entities agree', async () => {
    const sql = await h.subgraph.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(sql.trim()).toBe('');
  });

  it('are all applied, in order, and a second run does nothing', async () => {
    const migrator = h.subgraph.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toEqual([]);
    expect((await migrator.getExecutedMigrations()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(await migrator.up()).toEqual([]);
  });
});
