import * as community from '@linli/community';
import { openDatabase } from '@linli/subgraph-kit/database';
import { expect } from 'vitest';
import { seedPoints, seedTimebank } from '../demo/points.js';
import type { E2E, GraphQLResult } from './e2e.js';

/** The data of a request through the gateway that must succeed (the test fails with its errors otherwise). */
export async function must<T>(e2e: E2E, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await e2e.gql<T>(query, variables, token);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as T;
}

export function errorOf(res: GraphQLResult<unknown>): Record<string, unknown> | undefined {
  return res.errors?.[0]?.extensions;
}

/** Polls `read` until `done` holds of its answer, for at most `withinMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > withinMs) throw new Error(`not settled within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A resident's balance of one unit in the shared ledger (0 before their first transfer). */
export async function ledgerBalance(e2e: E2E, token: string, unit: 'CREDIT' | 'HOUR'): Promise<{ balance: number; pending: number }> {
  const data = await must<{ myAccounts: Array<{ unit: string; balance: number; pending: number }> }>(e2e, `{ myAccounts { unit balance pending } }`, {}, token);
  const account = data.myAccounts.find((a) => a.unit === unit);
  return { balance: account?.balance ?? 0, pending: account?.pending ?? 0 };
}

/**
 * Writes the demo points and time bank into every community of the federation (as the demo
 * seed does; idempotent, so it is harmless once the demo seed writes them too): the tests
 * then run against a community that already has rules, volunteers and elders.
 */
export async function seedCommunityDemo(e2e: E2E): Promise<void> {
  for (const c of e2e.communities) {
    const orm = await openDatabase({ url: c.databaseUrl, entities: community.entities, migrations: community.migrations, poolSize: 2 });
    try {
      await seedPoints(orm.em.fork(), c.id, new Date());
      await seedTimebank(orm.em.fork(), c.id, new Date());
    } finally {
      await orm.close();
    }
  }
}
