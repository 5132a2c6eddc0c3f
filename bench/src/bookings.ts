/**
 * bookings/s through the gateway and transfers/s through the ledger service, each next to
 * pgbench's TPS for the same statements on the same database, as ratios measured in one
 * run. Usage: npm run bench:bookings [-- --bookings 400 --transfers 2000 --clients 16]
 */
import 'reflect-metadata';
import * as exchange from '@linli/exchange';
import { openDatabase } from '@linli/subgraph-kit/database';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Role, startE2E } from '@linli/infra/test/e2e';
import { createListedResource, issue } from '@linli/infra/test/bookings';
import { findPgbench, pgbenchTps } from './pgbench.js';

const { values } = parseArgs({
  options: {
    bookings: { type: 'string', default: '400' },
    transfers: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
  },
});
const BOOKINGS = Number(values.bookings);
const TRANSFERS = Number(values.transfers);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const RESIDENTS = 64;
const HOUR = 3_600_000;

async function runConcurrently(total: number, clients: number, task: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);

const e2e = await startE2E('bench_bookings');
try {
  const courts = await createListedResource(e2e, 'qibao-b', { name: '基准测试场地', capacity: 100_000, price: 1, requiresApproval: false });
  const admin = e2e.token('admin-a', 'qibao-a', [Role.COMMUNITY_ADMIN]);
  const residents = Array.from({ length: RESIDENTS }, (_, i) => `bench-${i}`);
  for (const r of residents) await issue(e2e, admin, r, 1_000_000);
  const tokens = residents.map((r) => e2e.token(r, 'qibao-a', [Role.RESIDENT]));
  const first = Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR;
  const book = async (i: number, tag: string) => {
    const start = first + (i % 600) * HOUR;
    const res = await e2e.gql<{ bookSharedResource: { status: string } }>(
      `mutation($input: BookSharedResourceInput!) { bookSharedResource(input: $input) { status } }`,
      { input: { listingId: courts.listingId, startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString(), quantity: 1, idempotencyKey: `${tag}-${i}-${randomUUID()}` } },
      tokens[i % RESIDENTS],
    );
    if (res.data?.bookSharedResource?.status !== 'CONFIRMED') throw new Error(`booking ${i} failed: ${JSON.stringify(res.errors)}`);
  };
  await runConcurrently(40, CLIENTS, (i) => book(i, 'warmup'));
  const bookings = await runConcurrently(BOOKINGS, CLIENTS, (i) => book(i, 'bench'));

  // The ledger alone, in this process, on the exchange's database.
  const orm = await openDatabase({ url: e2e.exchangeDatabaseUrl, entities: exchange.entities, migrations: exchange.migrations, poolSize: CLIENTS });
  const accounts = await Promise.all(residents.map((r) => exchange.ledgerService.residentAccount(orm.em.fork(), r, 'qibao-a', exchange.LedgerUnit.CREDIT)));
  const transfers = await runConcurrently(TRANSFERS, CLIENTS, async (i) => {
    const a = accounts[i % RESIDENTS]!;
    const b = accounts[(i * 7 + 1) % RESIDENTS]!;
    await exchange.ledgerService.createTransfer(orm.em.fork(), {
      id: randomUUID(),
      debitAccountId: a.id,
      creditAccountId: b.id === a.id ? accounts[(i + 1) % RESIDENTS]!.id : b.id,
      amount: 1,
      unit: exchange.LedgerUnit.CREDIT,
      code: exchange.TransferCode.TRANSFER,
    });
  });
  const connection = orm.em.getConnection();
  await connection.execute(`create table bench_account_map (n int primary key, id uuid not null)`);
  for (const [n, a] of accounts.entries()) await connection.execute(`insert into bench_account_map values (?, ?)`, [n + 1, a.id]);
  await orm.close();

  const bookingsPerSecond = BOOKINGS / bookings.seconds;
  const transfersPerSecond = TRANSFERS / transfers.seconds;
  console.log('');
  console.log(`预约 bookings      ${BOOKINGS} through the gateway, ${CLIENTS} clients: ${bookingsPerSecond.toFixed(1)} /s  (p50 ${pct(bookings.latencies, 50)} ms, p95 ${pct(bookings.latencies, 95)} ms)`);
  console.log(`转账 transfers     ${TRANSFERS} through the ledger service, ${CLIENTS} clients: ${transfersPerSecond.toFixed(1)} /s  (p50 ${pct(transfers.latencies, 50)} ms, p95 ${pct(transfers.latencies, 95)} ms)`);

  const pgbench = findPgbench();
  if (!pgbench) {
    console.log('pgbench not found: no baseline (install postgresql-client or the server package)');
  } else {
    const transferSql = `\\set a random(1, ${RESIDENTS})
\\set b random(1, ${RESIDENTS})
BEGIN;
SELECT a.id FROM ledger_account a JOIN bench_account_map m ON m.id = a.id WHERE m.n IN (:a, :b) ORDER BY a.id FOR UPDATE OF a;
INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount, unit, code, phase, state, created_at)
  SELECT gen_random_uuid(), (SELECT id FROM bench_account_map WHERE n = :a), (SELECT id FROM bench_account_map WHERE n = :b), 1, 'CREDIT', 'TRANSFER', 'SINGLE_PHASE', 'POSTED', now() WHERE :a <> :b;
UPDATE ledger_account SET debits_posted = debits_posted + 1 WHERE :a <> :b AND id = (SELECT id FROM bench_account_map WHERE n = :a);
UPDATE ledger_account SET credits_posted = credits_posted + 1 WHERE :a <> :b AND id = (SELECT id FROM bench_account_map WHERE n = :b);
COMMIT;
`;
    const b = e2e.communities.find((c) => c.id === 'qibao-b')!;
    const holdSql = `\\set s random(2, 600)
BEGIN;
SELECT capacity FROM shared_resource WHERE id = '${courts.resourceId}' FOR UPDATE;
SELECT starts_at, ends_at, quantity FROM resource_hold WHERE resource_id = '${courts.resourceId}'
  AND starts_at < date_trunc('hour', now()) + (:s + 1) * interval '1 hour' AND ends_at > date_trunc('hour', now()) + :s * interval '1 hour'
  AND status IN ('HELD', 'CONFIRMED');
INSERT INTO resource_hold (id, booking_ref, resource_id, starts_at, ends_at, quantity, status, expires_at, created_at, updated_at)
  VALUES (gen_random_uuid(), gen_random_uuid()::text, '${courts.resourceId}', date_trunc('hour', now()) + :s * interval '1 hour',
          date_trunc('hour', now()) + (:s + 1) * interval '1 hour', 1, 'CONFIRMED', null, now(), now());
COMMIT;
`;
    const transferTps = pgbenchTps(pgbench, e2e.exchangeDatabaseUrl, transferSql, { clients: CLIENTS, seconds: SECONDS });
    const holdTps = pgbenchTps(pgbench, b.databaseUrl, holdSql, { clients: CLIENTS, seconds: SECONDS });
    console.log(`pgbench 转账语句 transfer statements (lock 2 accounts, insert, 2 updates): ${transferTps.toFixed(1)} tps`);
    console.log(`pgbench 占位语句 hold statements (lock resource, read overlaps, insert):   ${holdTps.toFixed(1)} tps`);
    console.log('');
    console.log(`ratio transfers/s ÷ pgbench transfer tps: ${(transfersPerSecond / transferTps).toFixed(3)}`);
    console.log(`ratio bookings/s  ÷ pgbench transfer tps: ${(bookingsPerSecond / transferTps).toFixed(3)}`);
    console.log(`ratio bookings/s  ÷ pgbench hold tps:     ${(bookingsPerSecond / holdTps).toFixed(3)}`);
  }
} finally {
  await e2e.close();
}
