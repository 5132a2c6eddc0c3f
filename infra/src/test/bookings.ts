import * as exchange from '@linli/exchange';
import { openDatabase } from '@linli/subgraph-kit/database';
import { randomUUID } from 'node:crypto';
import { Role, type E2E } from './e2e.js';

/** A resource a test created in a community and published to the exchange. */
export interface Listed {
  communityId: string;
  resourceId: string;
  listingId: string;
}

const HOUR = 3_600_000;

/**
 * Creates a resource open round the clock (hour slots, no lead time, 1–2 hours a booking)
 * and publishes it, both as the community's staff through the gateway.
 */
export async function createListedResource(
  e2e: E2E,
  communityId: string,
  options: { name: string; capacity: number; price: number; requiresApproval: boolean },
): Promise<Listed> {
  const staff = e2e.token(`staff-${communityId}`, communityId, [Role.COMMUNITY_STAFF]);
  const created = await e2e.gql<{ createResource: { id: string } }>(
    `mutation($c: ID!, $input: CreateResourceInput!) { createResource(communityId: $c, input: $input) { id } }`,
    {
      c: communityId,
      input: {
        name: options.name,
        nameEn: `Test ${options.name}`,
        kind: 'VENUE',
        location: '测试地点',
        capacity: options.capacity,
        policy: {
          requiresApproval: options.requiresApproval,
          slotMinutes: 60,
          minDurationMinutes: 60,
          maxDurationMinutes: 120,
          leadTimeMinutes: 0,
          maxDaysAhead: 30,
          priceCreditsPerSlot: options.price,
        },
        weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '24:00' })),
      },
    },
    staff,
  );
  if (!created.data?.createResource) throw new Error(`createResource failed: ${JSON.stringify(created.errors)}`);
  const resourceId = created.data.createResource.id;
  const published = await e2e.gql<{ publishListing: { id: string } }>(
    `mutation($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
    {
      input: {
        communityId,
        resourceId,
        kind: 'VENUE',
        title: options.name,
        titleEn: `Test ${options.name}`,
        priceCreditsPerSlot: options.price,
        idempotencyKey: `listing-${resourceId}`,
      },
    },
    staff,
  );
  if (!published.data?.publishListing) throw new Error(`publishListing failed: ${JSON.stringify(published.errors)}`);
  return { communityId, resourceId, listingId: published.data.publishListing.id };
}

/** `hours` long, starting on a whole hour at least `hoursAhead` from now. */
export function bookingInput(listed: Listed, at: { hoursAhead: number; hours?: number; quantity?: number }) {
  const start = Math.ceil((Date.now() + at.hoursAhead * HOUR) / HOUR) * HOUR;
  return {
    listingId: listed.listingId,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + (at.hours ?? 1) * HOUR).toISOString(),
    quantity: at.quantity ?? 1,
  };
}

/** Credits a resident of A from A's issuance account, as A's admin. */
export async function issue(e2e: E2E, adminToken: string, residentId: string, amount: number): Promise<void> {
  const res = await e2e.gql(
    `mutation($input: IssueCreditInput!) { issueCredit(input: $input) { id } }`,
    { input: { residentId, amount, idempotencyKey: randomUUID(), memo: '测试发放 (test issue)' } },
    adminToken,
  );
  if (res.errors) throw new Error(`issueCredit failed: ${JSON.stringify(res.errors)}`);
}

export async function myCredit(e2e: E2E, token: string): Promise<{ balance: number; pending: number; available: number }> {
  const res = await e2e.gql<{ myAccounts: Array<{ unit: string; balance: number; pending: number; available: number }> }>(
    `{ myAccounts { unit balance pending available } }`,
    {},
    token,
  );
  if (!res.data) throw new Error(`myAccounts failed: ${JSON.stringify(res.errors)}`);
  const credit = res.data.myAccounts.find((a) => a.unit === 'CREDIT');
  return credit ? { balance: credit.balance, pending: credit.pending, available: credit.available } : { balance: 0, pending: 0, available: 0 };
}

/**
 * The ledger's own consistency check, run on the exchange's database: totals match the
 * transfers, every unit sums to zero; plus how the booking payments stand.
 */
export async function auditExchangeLedger(e2e: E2E) {
  const orm = await openDatabase({ url: e2e.exchangeDatabaseUrl, entities: exchange.entities, migrations: exchange.migrations, poolSize: 1 });
  try {
    const audit = await exchange.ledgerService.auditLedger(orm.em.fork());
    const rows = await orm.em.getConnection().execute<Array<{ state: string; n: string }>>(
      `select "state", count(*) as n from "ledger_transfer" where "code" = 'BOOKING' and "phase" = 'PENDING' group by "state"`,
    );
    const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { ...audit, bookingTransfers: { posted: count('POSTED'), pending: count('PENDING') } };
  } finally {
    await orm.close();
  }
}
