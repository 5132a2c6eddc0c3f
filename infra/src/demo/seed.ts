import * as community from '@linli/community';
import * as exchange from '@linli/exchange';
import { openDatabase, type Orm } from '@linli/subgraph-kit/database';
import { stableUuid } from '@linli/subgraph-kit/ids';
import { Role } from '@linli/subgraph-kit/identity';
import { DEMO_COMMUNITIES, type DemoCommunity, type DemoResource } from './communities.js';
import { seedGrids } from './grids.js';
import { seedPoints, seedTimebank } from './points.js';
import { DEMO_PEOPLE } from './people.js';
import { seedSecurity } from './security.js';

/** What each demo resident starts with: enough for a few bookings, not for everything. */
export const DEMO_STARTING_CREDIT = 100;

export interface SeedTarget {
  exchangeDatabaseUrl: string;
  communities: Array<{ id: string; databaseUrl: string; endpoint: string }>;
  /** The day exceptions are counted from. */
  today: Date;
  timezone?: string;
}

/**
 * Migrates every demo database and writes what is missing: each community's resources in
 * its own database, the directory entry and one listing per resource in the exchange's.
 * Safe to run on every start: what exists (by name, by idempotency key) is left alone.
 * Returns whether anything was written.
 */
export async function seedDemo(target: SeedTarget): Promise<boolean> {
  let wrote = false;
  const exchangeOrm = await openDatabase({ url: target.exchangeDatabaseUrl, entities: exchange.entities, migrations: exchange.migrations });
  try {
    for (const member of target.communities) {
      const demo = DEMO_COMMUNITIES.find((c) => c.id === member.id);
      if (!demo) throw new Error(`No demo data for community ${member.id}`);
      const orm = await openDatabase({ url: member.databaseUrl, entities: community.entities, migrations: community.migrations, poolSize: 2 });
      try {
        // Care, cases and security data stay in the community's own database.
        wrote = (await seedGrids(orm.em.fork(), member.id, target.today)) || wrote;
        wrote = (await seedSecurity(orm.em.fork(), member.id, target.today)) || wrote;
        wrote = (await seedPoints(orm.em.fork(), member.id, target.today)) || wrote;
        wrote = (await seedTimebank(orm.em.fork(), member.id, target.today)) || wrote;
        const resourceIds = new Map<string, string>();
        for (const resource of demo.resources) {
          const { id, created } = await ensureResource(orm, resource, target);
          resourceIds.set(resource.slug, id);
          wrote ||= created;
        }
        wrote = (await ensureDirectoryEntry(exchangeOrm, demo, member.endpoint)) || wrote;
        for (const resource of demo.resources) {
          wrote = (await ensureListing(exchangeOrm, demo, resource, resourceIds.get(resource.slug)!)) || wrote;
        }
        wrote = (await ensureStartingCredit(exchangeOrm, demo.id)) || wrote;
      } finally {
        await orm.close();
      }
    }
  } finally {
    await exchangeOrm.close();
  }
  return wrote;
}

async function ensureResource(orm: Orm, demo: DemoResource, target: SeedTarget): Promise<{ id: string; created: boolean }> {
  const em = orm.em.fork();
  const existing = await em.findOne(community.SharedResource, { nameEn: demo.nameEn });
  if (existing) return { id: existing.id, created: false };
  return em.transactional(async (tx) => {
    const { slug: _slug, exceptions, listing: _listing, ...input } = demo;
    const resource = await community.resourceService.createResource(tx, input);
    for (const { inDays, ...exception } of exceptions) {
      await community.resourceService.addAvailabilityException(tx, resource.id, {
        ...exception,
        date: localDate(target.today, inDays, target.timezone ?? 'Asia/Shanghai'),
      } as Parameters<typeof community.resourceService.addAvailabilityException>[2]);
    }
    return { id: resource.id, created: true };
  });
}

async function ensureDirectoryEntry(orm: Orm, demo: DemoCommunity, endpoint: string): Promise<boolean> {
  const em = orm.em.fork();
  const existing = await em.findOne(exchange.Community, { id: demo.id });
  if (existing) {
    // Ports may differ between runs (another DATABASE_URL, other ports): follow them.
    if (existing.endpoint !== endpoint) {
      existing.endpoint = endpoint;
      await em.flush();
    }
    return false;
  }
  const { resources: _resources, ...registration } = demo;
  await exchange.directoryService.registerCommunity(em, { ...registration, endpoint });
  // The demo communities run the community subgraph the contract is emitted from, so the
  // gateway's admission check could only pass; deciding it here lets their listings be
  // published before any process runs (the seed needs no gateway, and `npm start` no wait).
  await exchange.directoryService.recordAdmission(em, { id: demo.id, accepted: true, reasons: [] });
  return true;
}

async function ensureListing(orm: Orm, demo: DemoCommunity, resource: DemoResource, resourceId: string): Promise<boolean> {
  const em = orm.em.fork();
  const idempotencyKey = `demo-${demo.id}-${resource.slug}`;
  const existing = await em.findOne(exchange.Listing, { idempotencyKey });
  if (existing && existing.resourceId === resourceId) return false;
  if (existing) await em.nativeDelete(exchange.Listing, { idempotencyKey }); // its community database was reset
  await exchange.listingService.publishListing(
    em,
    {
      communityId: demo.id,
      resourceId,
      kind: resource.kind,
      title: resource.name,
      titleEn: resource.nameEn,
      summary: resource.listing.summary,
      summaryEn: resource.listing.summaryEn,
      priceCreditsPerSlot: resource.policy.priceCreditsPerSlot ?? 0,
      idempotencyKey,
    },
    `staff-${demo.id.slice(-1)}`,
  );
  return true;
}

/**
 * Each demo resident of the community gets starting credit from its issuance account,
 * once: the transfer id is derived from the resident, so a re-run finds it.
 */
async function ensureStartingCredit(orm: Orm, communityId: string): Promise<boolean> {
  let wrote = false;
  for (const person of DEMO_PEOPLE.filter((p) => p.homeCommunityId === communityId && p.roles.includes(Role.RESIDENT))) {
    const em = orm.em.fork();
    const transferId = stableUuid(`demo-starting-credit:${person.userId}`);
    if (await em.findOne(exchange.Transfer, { id: transferId })) continue;
    await exchange.ledgerService.issueCredit(em, {
      communityId,
      residentId: person.userId,
      amount: DEMO_STARTING_CREDIT,
      unit: exchange.LedgerUnit.CREDIT,
      memo: '演示初始积分 (Demo starting credit)',
      transferId,
    });
    wrote = true;
  }
  return wrote;
}

/** YYYY-MM-DD of `today + days` on the community's wall calendar. */
function localDate(today: Date, days: number, timezone: string): string {
  return new Date(today.getTime() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: timezone });
}
