import * as community from '@linli/community';
import { RecordStatus, ServiceRecord } from '@linli/community/modules/timebank/timebank.entity';
import { ExchangeCall } from '@linli/community/modules/exchange/exchange-call.entity';
import { PointsEntry } from '@linli/community/modules/points/points.entity';
import { openDatabase, type Orm } from '@linli/subgraph-kit/database';
import { createTestDatabase, type TestDatabase } from '@linli/subgraph-kit/testing/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPoints, seedTimebank } from './points.js';

let database: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  database = await createTestDatabase('demo_points');
  orm = await openDatabase({ url: database.url, entities: community.entities, migrations: community.migrations, poolSize: 2 });
});
afterAll(async () => {
  await orm?.close();
  await database?.drop();
});

describe('demo points and time bank', () => {
  it('are written once: a second run changes nothing', async () => {
    const today = new Date();
    expect(await seedPoints(orm.em.fork(), 'qibao-b', today)).toBe(true);
    expect(await seedTimebank(orm.em.fork(), 'qibao-b', today)).toBe(true);
    const counts = async () => [await orm.em.fork().count(PointsEntry, {}), await orm.em.fork().count(ServiceRecord, {}), await orm.em.fork().count(ExchangeCall, {})];
    const first = await counts();
    expect(await seedPoints(orm.em.fork(), 'qibao-b', today)).toBe(false);
    expect(await seedTimebank(orm.em.fork(), 'qibao-b', today)).toBe(false);
    expect(await counts()).toEqual(first);
    // Four confirmed services wait for the running community to credit them.
    expect(first[2]).toBe(4);
    expect(await orm.em.fork().count(ServiceRecord, { status: RecordStatus.LOGGED })).toBe(1);
  });
});
