import { ManualClock } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, listen, ok, people, setUpGrids, type EventListener, type GridSetup } from '../../test/grids.js';

const COMMUNITY = `test-grid-care-${process.pid}`;
const who = people(COMMUNITY);
const c = COMMUNITY;
const DAY = 86_400_000;
/** 2026-12-01 10:00 in Shanghai. */
const START = new Date('2026-12-01T02:00:00Z');

const RECORD = `mutation($c: ID!, $input: RecordVisitInput!) {
  recordVisit(communityId: $c, input: $input) { id careRecipientId subjectId gridId workerId visitedAt mode notes needs recordedAt }
}`;
const CARE = `query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { id riskTier lastVisitAt nextVisitDue daysOverdue visits { id mode } } }`;
const OVERDUE = `query($c: ID!, $g: ID) { overdueVisits(communityId: $c, gridId: $g) { id gridId nextVisitDue daysOverdue } }`;

interface Visit {
  id: string;
  careRecipientId: string | null;
  subjectId: string;
  gridId: string;
  workerId: string;
  visitedAt: string;
  mode: string;
  notes: string | null;
  needs: string[] | null;
}
interface Care {
  id: string;
  riskTier: string;
  lastVisitAt: string | null;
  nextVisitDue: string;
  daysOverdue: number;
  visits: Array<{ id: string; mode: string }>;
}

const clock = new ManualClock(START);
let h: CommunityHarness;
let setup: GridSetup;
let overdue: EventListener;
beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  setup = await setUpGrids(h);
  overdue = await listen(COMMUNITY, 'visit.overdue');
});
afterAll(async () => {
  await overdue?.close();
  await h?.close();
});

const care = async (id: string, viewer = who.staff) => (await ok<{ careRecipient: Care }>(h, CARE, { c, id }, viewer)).careRecipient;
const record = (input: Record<string, unknown>, viewer = who.workerA) => h.request<{ recordVisit: Visit }>(RECORD, { c, input }, viewer);

describe('visits to residents in care', () => {
  it('are due one interval of the risk tier after enrolment: high weekly, key monthly', async () => {
    expect(await care(setup.careA)).toMatchObject({ riskTier: 'HIGH', lastVisitAt: null, nextVisitDue: '2026-12-08', daysOverdue: 0, visits: [] });
    expect(await care(setup.careB)).toMatchObject({ riskTier: 'KEY', nextVisitDue: '2026-12-31', daysOverdue: 0 });
  });

  it('follow the community’s own intervals when the admin changes them', async () => {
    const settings = `mutation($c: ID!, $input: UpdateGridSettingsInput!) { updateGridSettings(communityId: $c, input: $input) { highRiskVisitDays } }`;
    await ok(h, settings, { c, input: { highRiskVisitDays: 3 } }, who.admin);
    expect((await care(setup.careA)).nextVisitDue).toBe('2026-12-04');
    await ok(h, settings, { c, input: { highRiskVisitDays: 7 } }, who.admin);
    expect((await care(setup.careA)).nextVisitDue).toBe('2026-12-08');
  });

  it('are recorded by a worker of the grid, moving the next visit one interval after the visit’s day', async () => {
    clock.set(new Date(START.getTime() + 2 * DAY));
    const visitedAt = new Date(START.getTime() + 2 * DAY - 3_600_000).toISOString();
    const res = await record({ careRecipientId: setup.careA, visitedAt, mode: 'HOME', notes: '血压稳定，家中整洁', needs: ['助餐', '代配药'], idempotencyKey: 'visit-1' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.recordVisit).toMatchObject({
      careRecipientId: setup.careA,
      subjectId: setup.careA,
      gridId: setup.gridA,
      workerId: 'grid-a1',
      visitedAt,
      mode: 'HOME',
      notes: '血压稳定，家中整洁',
      needs: ['助餐', '代配药'],
    });
    const after = await care(setup.careA);
    expect(after).toMatchObject({ lastVisitAt: visitedAt, nextVisitDue: '2026-12-10', daysOverdue: 0 });
    expect(after.visits).toEqual([{ id: res.body.data!.recordVisit.id, mode: 'HOME' }]);
  });

  it('are recorded once per idempotency key: a retry returns the first visit and changes nothing', async () => {
    const first = (await care(setup.careA)).visits;
    const retry = await record({ careRecipientId: setup.careA, visitedAt: START.toISOString(), mode: 'PHONE', idempotencyKey: 'visit-1' });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data!.recordVisit).toMatchObject({ id: first[0]!.id, mode: 'HOME' });
    expect((await care(setup.careA)).visits).toEqual(first);
  });

  it('refuse a key reused for another resident with CONFLICT', async () => {
    const res = await record({ careRecipientId: setup.careB, visitedAt: clock.now().toISOString(), mode: 'PHONE', idempotencyKey: 'visit-1' }, who.workerA);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('keep a late write-up of an older visit from moving the last visit back', async () => {
    const older = new Date(START.getTime() + DAY).toISOString();
    const res = await record({ careRecipientId: setup.careA, visitedAt: older, mode: 'PHONE', idempotencyKey: 'visit-older' }, who.workerA2);
    expect(res.body.errors).toBeUndefined();
    const after = await care(setup.careA);
    expect(after.nextVisitDue).toBe('2026-12-10');
    expect(after.visits.map((v) => v.mode)).toEqual(['HOME', 'PHONE']);
  });

  it('cannot be in the future nor more than a month back', async () => {
    const future = await record({ careRecipientId: setup.careA, visitedAt: new Date(clock.now().getTime() + 3_600_000).toISOString(), mode: 'HOME', idempotencyKey: 'future' });
    expect(future.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'visitedAt' });
    const ancient = await record({ careRecipientId: setup.careA, visitedAt: new Date(clock.now().getTime() - 40 * DAY).toISOString(), mode: 'HOME', idempotencyKey: 'ancient' });
    expect(ancient.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'visitedAt' });
  });

  it('are recorded only by the grid’s workers and staff', async () => {
    for (const viewer of [who.workerB, who.helper, who.formerWorkerA, who.resident, who.security, who.staffElsewhere, who.workerElsewhere]) {
      const res = await record({ careRecipientId: setup.careA, visitedAt: clock.now().toISOString(), mode: 'HOME', idempotencyKey: `k-${viewer.userId}` }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
    const byStaff = await record({ careRecipientId: setup.careA, visitedAt: clock.now().toISOString(), mode: 'VIDEO', idempotencyKey: 'staff-visit' }, who.staff);
    expect(byStaff.body.errors).toBeUndefined();
  });
});

describe('overdue visits', () => {
  it('list, longest overdue first, the residents past their due day for the grid’s workers', async () => {
    // A is due 2026-12-08 (staff visit on 12-03 at 10:00 local), B 2026-12-31.
    clock.set(new Date('2026-12-09T02:00:00Z'));
    expect((await ok<{ overdueVisits: unknown[] }>(h, OVERDUE, { c, g: setup.gridA }, who.workerA)).overdueVisits).toEqual([]);
    clock.set(new Date('2026-12-11T02:00:00Z'));
    expect((await ok<{ overdueVisits: unknown[] }>(h, OVERDUE, { c, g: setup.gridA }, who.workerA)).overdueVisits).toEqual([
      { id: setup.careA, gridId: setup.gridA, nextVisitDue: '2026-12-10', daysOverdue: 1 },
    ]);
    clock.set(new Date('2027-01-02T02:00:00Z'));
    const all = (await ok<{ overdueVisits: Array<{ id: string; daysOverdue: number }> }>(h, OVERDUE, { c }, who.staff)).overdueVisits;
    expect(all).toEqual([
      expect.objectContaining({ id: setup.careA, daysOverdue: 23 }),
      expect.objectContaining({ id: setup.careB, nextVisitDue: '2026-12-31', daysOverdue: 2 }),
    ]);
    const mine = (await ok<{ overdueVisits: Array<{ id: string }> }>(h, OVERDUE, { c }, who.workerB)).overdueVisits;
    expect(mine.map((r) => r.id)).toEqual([setup.careB]);
  });

  it('are not shown to another grid’s worker, residents, helpers or other communities', async () => {
    for (const viewer of [who.workerB, who.resident, who.helper, who.security, who.staffElsewhere, who.anonymous]) {
      const res = await h.request(OVERDUE, { c, g: setup.gridA }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
    const noGrid = await h.request(OVERDUE, { c }, who.helper);
    expect(codes(noGrid.body)).toEqual(['FORBIDDEN']);
  });

  it('are announced on Redis as visit.overdue once per overdue period, with ids only', async () => {
    clock.set(new Date('2026-12-12T02:00:00Z'));
    overdue.events.length = 0;
    await h.subgraph.scheduler.tick();
    const [event] = await overdue.waitFor(1);
    expect(event).toEqual({
      type: 'visit.overdue',
      communityId: COMMUNITY,
      subjectId: setup.careA,
      occurredAt: '2026-12-12T02:00:00.000Z',
      data: { gridId: setup.gridA, dueOn: '2026-12-10', daysOverdue: 2 },
    });
    // Later checks in the same period say nothing more.
    clock.set(new Date('2026-12-14T02:00:00Z'));
    await h.subgraph.scheduler.tick();
    await h.subgraph.scheduler.tick();
    expect(await overdue.settle()).toHaveLength(1);
  });

  it('are announced again only for a new period, after a visit moved the due date', async () => {
    const visitedAt = new Date('2026-12-14T01:00:00Z').toISOString();
    expect((await record({ careRecipientId: setup.careA, visitedAt, mode: 'HOME', idempotencyKey: 'visit-2' })).body.errors).toBeUndefined();
    await h.subgraph.scheduler.tick();
    expect(await overdue.settle()).toHaveLength(1);
    // Due 2026-12-21; on the 22nd both A (new period) and B (due 12-31: not yet) are checked.
    clock.set(new Date('2026-12-22T02:00:00Z'));
    await h.subgraph.scheduler.tick();
    const events = await overdue.waitFor(2);
    expect(events[1]).toMatchObject({ subjectId: setup.careA, data: { dueOn: '2026-12-21', daysOverdue: 1 } });
    clock.set(new Date('2027-01-01T02:00:00Z'));
    await h.subgraph.scheduler.tick();
    const all = await overdue.waitFor(3);
    expect(all[2]).toMatchObject({ subjectId: setup.careB, data: { gridId: setup.gridB, dueOn: '2026-12-31' } });
    expect(await overdue.settle()).toHaveLength(3);
    // Nothing personal travels: no name, phone, address or notes in any event.
    expect(JSON.stringify(all)).not.toMatch(/王秀英|李建国|1380000|七宝镇|血压/);
  });
});
