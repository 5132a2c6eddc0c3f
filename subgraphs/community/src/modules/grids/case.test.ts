import { ManualClock, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, listen, ok, people, setUpGrids, type EventListener, type GridSetup } from '../../test/grids.js';

const COMMUNITY = `test-grid-cases-${process.pid}`;
const who = people(COMMUNITY);
const c = COMMUNITY;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2026-12-01 10:00 in Shanghai. */
const START = new Date('2026-12-01T02:00:00Z');

const CASE_FIELDS = `id gridId category urgency status title description location reporterId reportedAt resolveBy assigneeId
  escalated escalationLevel escalatedAt resolvedAt closedAt evaluationScore evaluationComment open subjectId
  history { from to actorId at note }`;
const REPORT = `mutation($c: ID!, $input: ReportCaseInput!) { reportCase(communityId: $c, input: $input) { ${CASE_FIELDS} } }`;
const TRANSITION = `mutation($c: ID!, $input: TransitionCaseInput!) { transitionCase(communityId: $c, input: $input) { ${CASE_FIELDS} } }`;
const EVALUATE = `mutation($c: ID!, $input: EvaluateCaseInput!) { evaluateCase(communityId: $c, input: $input) { evaluationScore evaluationComment evaluatedAt } }`;
const CASE = `query($c: ID!, $id: ID!) { case(communityId: $c, id: $id) { ${CASE_FIELDS} } }`;
const CASES = `query($c: ID!, $g: ID, $s: CaseStatus, $first: Int, $after: String) {
  cases(communityId: $c, gridId: $g, status: $s, first: $first, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`;
const MY_CASES = `query($c: ID!) { myCases(communityId: $c) { edges { node { id title status } } } }`;
const STATS = `query($reps: [_Any!]!, $month: String!) { _entities(representations: $reps) { ... on Community { id caseStats(month: $month) {
  month reported resolved resolvedOnTime escalated byCategory { category count } byUrgency { urgency count } } } } }`;

interface Case {
  id: string;
  gridId: string | null;
  status: string;
  urgency: string;
  reportedAt: string;
  resolveBy: string;
  assigneeId: string | null;
  escalated: boolean;
  escalationLevel: number;
  escalatedAt: string | null;
  open: boolean;
  history: Array<{ from: string | null; to: string; actorId: string; at: string; note: string }>;
  [field: string]: unknown;
}

const clock = new ManualClock(START);
let h: CommunityHarness;
let setup: GridSetup;
let keys = 0;
beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  setup = await setUpGrids(h);
});
afterAll(async () => {
  await h?.close();
});

function reportInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: 'ENVIRONMENT',
    urgency: 'YELLOW',
    title: `楼道堆物 ${++keys}`,
    description: '5 号楼 3 单元楼道堆放纸箱，影响消防通道',
    location: '5 号楼 3 单元',
    gridId: setup.gridA,
    idempotencyKey: `report-${keys}`,
    ...overrides,
  };
}

async function report(overrides: Record<string, unknown> = {}, viewer: Viewer = who.resident): Promise<Case> {
  return (await ok<{ reportCase: Case }>(h, REPORT, { c, input: reportInput(overrides) }, viewer)).reportCase;
}

function step(caseId: string, to: string, viewer: Viewer, extra: Record<string, unknown> = {}) {
  return h.request<{ transitionCase: Case }>(TRANSITION, { c, input: { caseId, to, ...extra } }, viewer);
}

async function stepOk(caseId: string, to: string, viewer: Viewer, extra: Record<string, unknown> = {}): Promise<Case> {
  const res = await step(caseId, to, viewer, extra);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.transitionCase;
}

/** Reported by the resident in grid A and moved to `status` by the grid's workers. */
async function caseAt(status: 'REGISTERED' | 'DISPATCHED' | 'IN_PROGRESS' | 'RESOLVED', overrides: Record<string, unknown> = {}): Promise<Case> {
  let current = await report(overrides);
  const path = ['REGISTERED', 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED'];
  for (const to of path.slice(0, path.indexOf(status) + 1)) {
    const extra = to === 'DISPATCHED' ? { assigneeId: 'grid-a2' } : to === 'RESOLVED' ? { note: '已清理' } : {};
    current = await stepOk(current.id, to, to === 'IN_PROGRESS' || to === 'RESOLVED' ? who.workerA2 : who.workerA, extra);
  }
  return current;
}

describe('a case’s lifecycle', () => {
  it('runs reported → registered → dispatched → in progress → resolved → verified → closed, each step recorded', async () => {
    clock.set(START);
    const reported = await report({ urgency: 'YELLOW' });
    expect(reported).toMatchObject({ status: 'REPORTED', gridId: setup.gridA, reporterId: 'resident-1', assigneeId: null, escalated: false, open: true });
    expect(new Date(reported.resolveBy).getTime() - new Date(reported.reportedAt).getTime()).toBe(24 * HOUR);

    clock.advance(10 * MINUTE);
    // Registration re-grades the case: RED resets the deadline to 2 h after the report.
    const registered = await stepOk(reported.id, 'REGISTERED', who.workerA, { urgency: 'RED', category: 'SAFETY', note: '消防通道，按红色处理' });
    expect(registered).toMatchObject({ status: 'REGISTERED', urgency: 'RED', category: 'SAFETY', resolveBy: new Date(START.getTime() + 2 * HOUR).toISOString() });
    clock.advance(5 * MINUTE);
    expect(await stepOk(reported.id, 'DISPATCHED', who.workerA, { assigneeId: 'grid-a2' })).toMatchObject({ status: 'DISPATCHED', assigneeId: 'grid-a2' });
    clock.advance(5 * MINUTE);
    await stepOk(reported.id, 'IN_PROGRESS', who.workerA2);
    clock.advance(30 * MINUTE);
    expect(await stepOk(reported.id, 'RESOLVED', who.workerA2, { note: '纸箱已清走，已提醒住户' })).toMatchObject({ status: 'RESOLVED', open: false, resolvedAt: clock.now().toISOString() });
    clock.advance(HOUR);
    await stepOk(reported.id, 'VERIFIED', who.workerA, { note: '现场核查通过' });
    clock.advance(MINUTE);
    const closed = await stepOk(reported.id, 'CLOSED', who.staff);
    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: clock.now().toISOString(), escalated: false });
    expect(closed.history.map((t) => [t.from, t.to, t.actorId])).toEqual([
      [null, 'REPORTED', 'resident-1'],
      ['REPORTED', 'REGISTERED', 'grid-a1'],
      ['REGISTERED', 'DISPATCHED', 'grid-a1'],
      ['DISPATCHED', 'IN_PROGRESS', 'grid-a2'],
      ['IN_PROGRESS', 'RESOLVED', 'grid-a2'],
      ['RESOLVED', 'VERIFIED', 'grid-a1'],
      ['VERIFIED', 'CLOSED', 'staff-1'],
    ]);
    expect(closed.history[1]).toMatchObject({ at: new Date(START.getTime() + 10 * MINUTE).toISOString(), note: '消防通道，按红色处理' });

    // The reporter follows it, and rates it once.
    const mine = await h.request<{ case: Case }>(CASE, { c, id: reported.id }, who.resident);
    expect(mine.body.data?.case).toMatchObject({ status: 'CLOSED' });
    const rated = await ok<{ evaluateCase: Record<string, unknown> }>(h, EVALUATE, { c, input: { caseId: reported.id, score: 5, comment: '处理及时' } }, who.resident);
    expect(rated.evaluateCase).toMatchObject({ evaluationScore: 5, evaluationComment: '处理及时' });
    const again = await h.request(EVALUATE, { c, input: { caseId: reported.id, score: 1 } }, who.resident);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'evaluation', reason: 'alreadyEvaluated' });
  });

  it('refuses an impossible step with BAD_USER_INPUT naming the rule, from and to', async () => {
    const reported = await report();
    const skip = await step(reported.id, 'RESOLVED', who.workerA, { note: 'x' });
    expect(skip.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'transition', from: 'REPORTED', to: 'RESOLVED' });
    expect(skip.body.data?.transitionCase ?? null).toBeNull();
    const same = await step(reported.id, 'REPORTED', who.workerA);
    expect(same.body.errors![0]!.extensions).toMatchObject({ rule: 'transition', from: 'REPORTED', to: 'REPORTED' });
    const back = await caseAt('IN_PROGRESS');
    expect((await step(back.id, 'REGISTERED', who.staff)).body.errors![0]!.extensions).toMatchObject({ rule: 'transition', from: 'IN_PROGRESS', to: 'REGISTERED' });
    // Nothing was recorded for the refused steps.
    const after = await ok<{ case: Case }>(h, CASE, { c, id: reported.id }, who.staff);
    expect(after.case.history).toHaveLength(1);
  });

  it('checks each step’s own requirements', async () => {
    const registered = await caseAt('REGISTERED');
    expect((await step(registered.id, 'DISPATCHED', who.workerA)).body.errors![0]!.extensions).toMatchObject({ rule: 'assignee' });
    expect((await step(registered.id, 'DISPATCHED', who.workerA, { assigneeId: 'grid-b1' })).body.errors![0]!.extensions).toMatchObject({ rule: 'assignee', assigneeId: 'grid-b1' });
    const inProgress = await caseAt('IN_PROGRESS');
    expect((await step(inProgress.id, 'RESOLVED', who.workerA2)).body.errors![0]!.extensions).toMatchObject({ rule: 'note' });
    expect((await step(inProgress.id, 'RESOLVED', who.workerA2, { note: 'x', urgency: 'BLUE' })).body.errors![0]!.extensions).toMatchObject({ rule: 'onlyAtRegistration' });
    // A case reported without a grid is registered only once one is named.
    const noGrid = await report({ gridId: null });
    expect((await step(noGrid.id, 'REGISTERED', who.staff)).body.errors![0]!.extensions).toMatchObject({ rule: 'gridId' });
    expect(await stepOk(noGrid.id, 'REGISTERED', who.staff, { gridId: setup.gridB })).toMatchObject({ gridId: setup.gridB });
  });

  it('lets only the right people take each step', async () => {
    const reported = await report();
    for (const viewer of [who.resident, who.workerB, who.formerWorkerA, who.volunteer, who.security, who.staffElsewhere, who.workerElsewhere]) {
      expect(codes((await step(reported.id, 'REGISTERED', viewer)).body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
    // A worker may not move a case into a grid they do not work in.
    expect(codes((await step(reported.id, 'REGISTERED', who.workerA, { gridId: setup.gridB })).body)).toEqual(['FORBIDDEN']);

    const dispatched = await caseAt('DISPATCHED');
    // Only the assignee (or staff) starts and resolves it.
    expect((await step(dispatched.id, 'IN_PROGRESS', who.workerA)).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', actor: 'assignee' });
    await stepOk(dispatched.id, 'IN_PROGRESS', who.staff);
    await stepOk(dispatched.id, 'RESOLVED', who.workerA2, { note: '已处理' });
    // Nobody verifies their own work.
    expect((await step(dispatched.id, 'VERIFIED', who.workerA2)).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', actor: 'verifier' });
    await stepOk(dispatched.id, 'VERIFIED', who.workerA);
  });

  it('is evaluated only by its reporter, once resolved, with a score of 1–5', async () => {
    const open = await caseAt('IN_PROGRESS');
    expect((await h.request(EVALUATE, { c, input: { caseId: open.id, score: 4 } }, who.resident)).body.errors![0]!.extensions).toMatchObject({ rule: 'evaluation', reason: 'notResolved' });
    const resolved = await caseAt('RESOLVED');
    expect(codes((await h.request(EVALUATE, { c, input: { caseId: resolved.id, score: 4 } }, who.workerA)).body)).toEqual(['FORBIDDEN']);
    expect(codes((await h.request(EVALUATE, { c, input: { caseId: resolved.id, score: 6 } }, who.resident)).body)).toEqual(['BAD_USER_INPUT']);
    expect((await ok<{ evaluateCase: { evaluationScore: number } }>(h, EVALUATE, { c, input: { caseId: resolved.id, score: 4 } }, who.resident)).evaluateCase.evaluationScore).toBe(4);
  });
});

describe('reporting a case', () => {
  it('is idempotent: a retry with the same key returns the first case and records nothing new', async () => {
    const input = reportInput({ idempotencyKey: 'retry-me' });
    const first = (await ok<{ reportCase: Case }>(h, REPORT, { c, input }, who.otherResident)).reportCase;
    clock.advance(MINUTE);
    const retry = (await ok<{ reportCase: Case }>(h, REPORT, { c, input }, who.otherResident)).reportCase;
    expect(retry).toEqual(first);
    expect(retry.history).toHaveLength(1);
    const mine = await ok<{ myCases: { edges: Array<{ node: { id: string } }> } }>(h, MY_CASES, { c }, who.otherResident);
    expect(mine.myCases.edges.map((e) => e.node.id)).toEqual([first.id]);
    const reused = await h.request(REPORT, { c, input: { ...input, title: '另一件事' } }, who.otherResident);
    expect(reused.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    // The key is the reporter's own: another resident's same key is another case.
    const other = (await ok<{ reportCase: Case }>(h, REPORT, { c, input }, who.resident)).reportCase;
    expect(other.id).not.toBe(first.id);
  });

  it('is open to any member of this community, and to no one else', async () => {
    for (const viewer of [who.volunteer, who.security, who.workerB]) await report({}, viewer);
    for (const viewer of [who.residentElsewhere, who.staffElsewhere, who.federationAdmin, who.service, who.anonymous]) {
      const res = await h.request(REPORT, { c, input: reportInput() }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
  });

  it('may name a resident in care only when the reporter may see them', async () => {
    const byWorker = await report({ category: 'SERVICE_ERRAND', careRecipientId: setup.careA, gridId: null }, who.workerA);
    expect(byWorker).toMatchObject({ gridId: setup.gridA, subjectId: setup.careA });
    const res = await h.request(REPORT, { c, input: reportInput({ careRecipientId: setup.careA }) }, who.resident);
    expect(codes(res.body)).toEqual(['FORBIDDEN']);
  });
});

describe('who sees which cases', () => {
  it('residents see only their own', async () => {
    const theirs = await report({}, who.otherResident);
    const res = await h.request(CASE, { c, id: theirs.id }, who.resident);
    expect(codes(res.body)).toEqual(['FORBIDDEN']);
    const mine = await ok<{ myCases: { edges: Array<{ node: { id: string } }> } }>(h, MY_CASES, { c }, who.resident);
    expect(mine.myCases.edges.length).toBeGreaterThan(0);
    expect(mine.myCases.edges.map((e) => e.node.id)).not.toContain(theirs.id);
    expect(codes((await h.request(CASES, { c }, who.resident)).body)).toEqual(['FORBIDDEN']);
  });

  it('grid workers see their grid’s and those dispatched to them; staff see all; other communities none', async () => {
    const inB = await report({ gridId: setup.gridB });
    const staffList = await ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(h, CASES, { c, first: 100 }, who.staff);
    const workerAList = await ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(h, CASES, { c, first: 100 }, who.workerA);
    const workerBList = await ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(h, CASES, { c, first: 100 }, who.workerB);
    expect(staffList.cases.edges.map((e) => e.node.id)).toContain(inB.id);
    expect(workerAList.cases.edges.map((e) => e.node.id)).not.toContain(inB.id);
    expect(workerBList.cases.edges.map((e) => e.node.id)).toContain(inB.id);
    expect(workerAList.cases.edges.length).toBeGreaterThan(workerBList.cases.edges.length);
    expect(codes((await h.request(CASE, { c, id: inB.id }, who.workerA)).body)).toEqual(['FORBIDDEN']);
    expect(codes((await h.request(CASES, { c, g: setup.gridB }, who.workerA)).body)).toEqual(['FORBIDDEN']);
    for (const viewer of [who.staffElsewhere, who.residentElsewhere, who.workerElsewhere, who.anonymous, who.service]) {
      expect(codes((await h.request(CASE, { c, id: inB.id }, viewer)).body), String(viewer.userId)).toEqual(['FORBIDDEN']);
      expect(codes((await h.request(CASES, { c }, viewer)).body)).toEqual(['FORBIDDEN']);
    }
  });

  it('are paged newest first with stable cursors', async () => {
    const first = await ok<{ cases: { edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(h, CASES, { c, first: 3 }, who.staff);
    expect(first.cases.edges).toHaveLength(3);
    expect(first.cases.pageInfo.hasNextPage).toBe(true);
    const next = await ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(h, CASES, { c, first: 100, after: first.cases.pageInfo.endCursor }, who.staff);
    const all = await ok<{ cases: { edges: Array<{ node: { id: string } }> } }>(h, CASES, { c, first: 100 }, who.staff);
    expect([...first.cases.edges, ...next.cases.edges].map((e) => e.node.id)).toEqual(all.cases.edges.map((e) => e.node.id));
  });
});

describe('deadlines', () => {
  let escalations: EventListener;
  beforeAll(async () => {
    escalations = await listen(COMMUNITY, 'case.escalated');
  });
  afterAll(async () => {
    await escalations?.close();
  });

  it('escalate a case that misses its deadline, announcing case.escalated on Redis once per level', async () => {
    const t0 = new Date('2026-12-20T02:00:00Z');
    clock.set(t0);
    // Every earlier open case is escalated first, so that what follows counts only this one.
    await h.subgraph.scheduler.tick();
    await escalations.settle();
    escalations.events.length = 0;

    const red = await report({ urgency: 'RED', title: '电梯困人', category: 'SAFETY', description: '3 号楼电梯困人' });
    const blue = await report({ urgency: 'BLUE', title: '路灯不亮' });
    clock.set(new Date(t0.getTime() + HOUR));
    await h.subgraph.scheduler.tick();
    expect(await escalations.settle()).toHaveLength(0);

    clock.set(new Date(t0.getTime() + 2 * HOUR + MINUTE));
    await h.subgraph.scheduler.tick();
    const [event] = await escalations.waitFor(1);
    expect(event).toEqual({
      type: 'case.escalated',
      communityId: COMMUNITY,
      subjectId: red.id,
      occurredAt: clock.now().toISOString(),
      data: { gridId: setup.gridA, level: 1, urgency: 'RED', category: 'SAFETY' },
    });
    expect(JSON.stringify(event)).not.toMatch(/电梯|3 号楼|resident-1/);
    const marked = (await ok<{ case: Case }>(h, CASE, { c, id: red.id }, who.workerA)).case;
    expect(marked).toMatchObject({ escalated: true, escalationLevel: 1, escalatedAt: clock.now().toISOString(), status: 'REPORTED' });
    expect((await ok<{ case: Case }>(h, CASE, { c, id: blue.id }, who.workerA)).case).toMatchObject({ escalated: false, escalationLevel: 0 });

    // Later checks within the same window say nothing more.
    clock.advance(30 * MINUTE);
    await h.subgraph.scheduler.tick();
    await h.subgraph.scheduler.tick();
    expect(await escalations.settle()).toHaveLength(1);

    // A second window late: level 2, once.
    clock.set(new Date(t0.getTime() + 4 * HOUR + MINUTE));
    await h.subgraph.scheduler.tick();
    const events = await escalations.waitFor(2);
    expect(events[1]).toMatchObject({ subjectId: red.id, data: { level: 2 } });
    await h.subgraph.scheduler.tick();
    expect(await escalations.settle()).toHaveLength(2);

    // Resolved cases escalate no further.
    await stepOk(red.id, 'REGISTERED', who.workerA);
    await stepOk(red.id, 'DISPATCHED', who.workerA, { assigneeId: 'grid-a1' });
    await stepOk(red.id, 'IN_PROGRESS', who.workerA);
    await stepOk(red.id, 'RESOLVED', who.workerA, { note: '已解救' });
    clock.set(new Date(t0.getTime() + 10 * HOUR));
    await h.subgraph.scheduler.tick();
    expect(await escalations.settle()).toHaveLength(2);
    expect((await ok<{ case: Case }>(h, CASE, { c, id: red.id }, who.workerA)).case).toMatchObject({ escalationLevel: 2, status: 'RESOLVED' });
  });

  it('stop escalating at level 3', async () => {
    const t0 = new Date('2026-12-21T02:00:00Z');
    clock.set(t0);
    await h.subgraph.scheduler.tick();
    await escalations.settle();
    escalations.events.length = 0;
    const red = await report({ urgency: 'RED' });
    clock.set(new Date(t0.getTime() + 30 * HOUR));
    await h.subgraph.scheduler.tick();
    const forRed = (await escalations.settle()).filter((e) => e.subjectId === red.id);
    expect(forRed).toEqual([expect.objectContaining({ data: expect.objectContaining({ level: 3 }) })]);
    clock.advance(30 * HOUR);
    await h.subgraph.scheduler.tick();
    expect((await escalations.settle()).filter((e) => e.subjectId === red.id)).toHaveLength(1);
  });
});

describe('case statistics', () => {
  it('give anyone — other communities and services included — counts by category and urgency for a month, nothing more', async () => {
    const reps = [{ __typename: 'Community', id: COMMUNITY }];
    const asStaff = await ok<{ _entities: Array<{ caseStats: Record<string, unknown> }> }>(h, STATS, { reps, month: '2026-12' }, who.staff);
    const stats = asStaff._entities[0]!.caseStats as { reported: number; byCategory: Array<{ category: string; count: number }>; byUrgency: Array<{ urgency: string; count: number }> };
    const all = await ok<{ cases: { edges: unknown[] } }>(h, CASES, { c, first: 100 }, who.staff);
    expect(stats.reported).toBe(all.cases.edges.length);
    expect(stats.byCategory.map((b) => b.category)).toEqual(['MEDIATION', 'SERVICE_ERRAND', 'ENVIRONMENT', 'POLICY_OUTREACH', 'SAFETY', 'OTHER']);
    expect(stats.byCategory.reduce((n, b) => n + b.count, 0)).toBe(stats.reported);
    expect(stats.byUrgency.reduce((n, b) => n + b.count, 0)).toBe(stats.reported);
    expect(stats.byCategory.find((b) => b.category === 'SERVICE_ERRAND')!.count).toBe(1);
    // The RED case resolved after its deadline: resolved but not on time, and escalated.
    const { resolved, resolvedOnTime, escalated } = stats as unknown as { resolved: number; resolvedOnTime: number; escalated: number };
    expect(resolvedOnTime).toBeGreaterThan(0);
    expect(resolved).toBe(resolvedOnTime + 1);
    expect(escalated).toBeGreaterThanOrEqual(2);
    for (const viewer of [who.anonymous, who.staffElsewhere, who.service, who.resident]) {
      const res = await ok<{ _entities: Array<{ caseStats: unknown }> }>(h, STATS, { reps, month: '2026-12' }, viewer);
      expect(res._entities[0]!.caseStats, String(viewer.userId)).toEqual(stats);
    }
    const empty = await ok<{ _entities: Array<{ caseStats: { reported: number } }> }>(h, STATS, { reps, month: '2026-11' }, who.anonymous);
    expect(empty._entities[0]!.caseStats.reported).toBe(0);
    const bad = await h.request(STATS, { reps, month: '2026-13' }, who.anonymous);
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'month' });
  });
});
