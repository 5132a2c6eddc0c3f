import { ANONYMOUS, eventChannel, Role, type LinliEvent, type Viewer } from '@linli/subgraph-kit';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { CommunityHarness, GraphQLBody } from './harness.js';

/** Everyone the grid tests ask as, for community `communityId`; grid A and B are set up by `setUpGrids`. */
export function people(communityId: string) {
  const at = (userId: string, ...roles: Role[]): Viewer => ({ userId, homeCommunityId: communityId, roles });
  return {
    resident: at('resident-1', Role.RESIDENT),
    otherResident: at('resident-2', Role.RESIDENT),
    volunteer: at('volunteer-1', Role.RESIDENT, Role.VOLUNTEER),
    /** The one-to-one helper (结对帮扶) of the resident in care set up in grid A. */
    helper: at('helper-1', Role.RESIDENT, Role.VOLUNTEER),
    workerA: at('grid-a1', Role.GRID_WORKER),
    workerA2: at('grid-a2', Role.GRID_WORKER),
    workerB: at('grid-b1', Role.GRID_WORKER),
    /** Assigned to grid A but without the GRID_WORKER role (it was taken away). */
    formerWorkerA: at('grid-a9', Role.RESIDENT),
    staff: at('staff-1', Role.COMMUNITY_STAFF),
    admin: at('admin-1', Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN),
    security: at('security-1', Role.SECURITY_STAFF),
    residentElsewhere: { userId: 'resident-x', homeCommunityId: 'elsewhere', roles: [Role.RESIDENT] } as Viewer,
    staffElsewhere: { userId: 'staff-x', homeCommunityId: 'elsewhere', roles: [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN] } as Viewer,
    workerElsewhere: { userId: 'grid-a1', homeCommunityId: 'elsewhere', roles: [Role.GRID_WORKER] } as Viewer,
    federationAdmin: { userId: 'fed-1', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] } as Viewer,
    service: { userId: 'exchange', homeCommunityId: null, roles: [Role.SERVICE] } as Viewer,
    anonymous: ANONYMOUS,
  };
}

/** A square of about 500 m near Qibao, [longitude, latitude]. */
export function square(west = 121.34, south = 31.15, size = 0.005): Record<string, unknown> {
  return {
    type: 'Polygon',
    coordinates: [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]],
  };
}

export function codes(body: GraphQLBody<unknown>): unknown[] {
  return (body.errors ?? []).map((e) => e.extensions?.code);
}

/** Runs a request that must succeed and returns its data. */
export async function ok<T>(h: CommunityHarness, query: string, variables: Record<string, unknown>, viewer: Viewer): Promise<T> {
  const res = await h.request<T>(query, variables, viewer);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!;
}

export interface GridSetup {
  gridA: string;
  gridB: string;
  householdA: string;
  residentA: string;
  /** The resident in care in grid A (helper: `helper-1`). */
  careA: string;
  householdB: string;
  careB: string;
}

/**
 * Two grids: A (workers grid-a1 leading, grid-a2, grid-a9 without the role) and B (grid-b1);
 * in each a household with one resident in care. A's is helped by helper-1.
 */
export async function setUpGrids(h: CommunityHarness): Promise<GridSetup> {
  const { staff } = people(h.communityId);
  const c = h.communityId;
  const grid = async (name: string, nameEn: string, west: number) =>
    (
      await ok<{ createGrid: { id: string } }>(
        h,
        `mutation($c: ID!, $input: CreateGridInput!) { createGrid(communityId: $c, input: $input) { id } }`,
        { c, input: { name, nameEn, boundary: square(west), partyBranch: `${name}党支部`, partyBranchEn: `${nameEn} Party Branch` } },
        staff,
      )
    ).createGrid.id;
  const gridA = await grid('第一网格', 'Grid One', 121.34);
  const gridB = await grid('第二网格', 'Grid Two', 121.35);
  for (const [gridId, userId, leader] of [
    [gridA, 'grid-a1', true],
    [gridA, 'grid-a2', false],
    [gridA, 'grid-a9', false],
    [gridB, 'grid-b1', true],
  ] as const) {
    await ok(h, `mutation($c: ID!, $input: AssignGridWorkerInput!) { assignGridWorker(communityId: $c, input: $input) { userId } }`, { c, input: { gridId, userId, leader } }, staff);
  }
  const a = await household(h, gridA, '七宝镇新镇路 88 弄 5 号 301 室', { name: '王秀英', phone: '13800000001', userId: 'elder-1' }, { category: 'ELDERLY_ALONE', riskTier: 'HIGH', helperId: 'helper-1', notes: '独居，有高血压，子女在外地' });
  const b = await household(h, gridB, '七宝镇沪星路 120 弄 2 号 102 室', { name: '李建国', phone: '13800000002' }, { category: 'DISABLED', riskTier: 'KEY', notes: '下肢残疾，轮椅出行' });
  return { gridA, gridB, householdA: a.householdId, residentA: a.residentId, careA: a.careId, householdB: b.householdId, careB: b.careId };
}

/** A household with one resident, taken into care unless `enrolment` is null. */
export async function household(
  h: CommunityHarness,
  gridId: string,
  address: string,
  resident: { name: string; phone?: string; userId?: string },
  enrolment: { category: string; riskTier: string; helperId?: string; notes?: string } | null,
): Promise<{ householdId: string; residentId: string; careId: string }> {
  const { staff } = people(h.communityId);
  const c = h.communityId;
  const householdId = (
    await ok<{ addHousehold: { id: string } }>(h, `mutation($c: ID!, $input: AddHouseholdInput!) { addHousehold(communityId: $c, input: $input) { id } }`, { c, input: { gridId, address } }, staff)
  ).addHousehold.id;
  const residentId = (
    await ok<{ addResident: { id: string } }>(h, `mutation($c: ID!, $input: AddResidentInput!) { addResident(communityId: $c, input: $input) { id } }`, { c, input: { householdId, ...resident } }, staff)
  ).addResident.id;
  if (!enrolment) return { householdId, residentId, careId: '' };
  const careId = (
    await ok<{ enrolCareRecipient: { id: string } }>(
      h,
      `mutation($c: ID!, $input: EnrolCareRecipientInput!) { enrolCareRecipient(communityId: $c, input: $input) { id } }`,
      { c, input: { residentId, ...enrolment } },
      staff,
    )
  ).enrolCareRecipient.id;
  return { householdId, residentId, careId };
}

/** A subscriber on real Redis to one event type of one community (`linli:<communityId>:<type>`). */
export interface EventListener {
  events: LinliEvent[];
  /** Resolves once `count` events have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<LinliEvent[]>;
  /** Waits a little and returns what arrived: for asserting that nothing more did. */
  settle(ms?: number): Promise<LinliEvent[]>;
  close(): Promise<void>;
}

export async function listen(communityId: string, type: string): Promise<EventListener> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const channel = eventChannel(communityId, type);
  const events: LinliEvent[] = [];
  redis.on('message', (from: string, message: string) => {
    if (from === channel) events.push(JSON.parse(message) as LinliEvent);
  });
  await redis.subscribe(channel);
  return {
    events,
    async waitFor(count, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} event(s) on ${channel}, got ${events.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return events;
    },
    async settle(ms = 300) {
      await new Promise((r) => setTimeout(r, ms));
      return events;
    },
    async close() {
      redis.disconnect();
    },
  };
}
