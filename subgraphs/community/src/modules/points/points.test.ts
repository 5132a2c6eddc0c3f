import { ManualClock, MemoryEventPublisher, Role, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../../test/exchange.js';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { AWARD, balance, createRule, errorOf, MY_POINTS, ok, people } from '../../test/points.js';

const COMMUNITY = 'test-points';
const { admin, staff, gridWorker, device, resident } = people(COMMUNITY);
const elsewhere = people('test-other');
const DAY = 86_400_000;
/** 10:00 on 10 March 2026 in Shanghai. */
const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
const events = new MemoryEventPublisher();

let h: CommunityHarness;
let garbage: string;
let suggestion: string;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock, events, exchange: new FakeExchange() });
  garbage = await createRule(h, admin, { points: 10, dailyCap: 25, monthlyCap: 60, autoAward: true });
  suggestion = await createRule(h, admin, { activity: 'ADOPTED_SUGGESTION', name: '建议被采纳', nameEn: 'Adopted suggestion', points: 50 });
});
afterAll(async () => {
  await h?.close();
});

let keys = 0;
function award(viewer: Viewer, residentId: string, ruleId = garbage, extra: Record<string, unknown> = {}) {
  return h.request<{ awardPoints: { id: string; points: number; balanceAfter: number; earnedOn: string } }>(
    AWARD,
    { c: COMMUNITY, input: { residentId, ruleId, idempotencyKey: `k-${++keys}`, ...extra } },
    viewer,
  );
}

async function awarded(viewer: Viewer, residentId: string, ruleId = garbage, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await award(viewer, residentId, ruleId, extra);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.awardPoints.points;
}

describe('earning points', () => {
  it('cuts awards to the rule\'s daily cap, then refuses until the next day on the community\'s calendar', async () => {
    clock.set(new Date('2026-03-10T02:00:00Z'));
    expect(await awarded(staff, 'wang-fang')).toBe(10);
    expect(await awarded(staff, 'wang-fang')).toBe(10);
    expect(await awarded(staff, 'wang-fang')).toBe(5);
    const capped = await award(staff, 'wang-fang');
    expect(errorOf(capped.body)).toMatchObject({ code: 'CONFLICT', reason: 'POINTS_CAP', cap: 'RULE_DAILY', limit: 25, earnedOn: '2026-03-10' });
    // 23:30 in Shanghai is still the 10th; 00:10 is the 11th.
    clock.set(new Date('2026-03-10T15:30:00Z'));
    expect(errorOf((await award(staff, 'wang-fang')).body)?.cap).toBe('RULE_DAILY');
    clock.set(new Date('2026-03-10T16:10:00Z'));
    expect(await awarded(staff, 'wang-fang')).toBe(10);
    expect(await balance(h, resident('wang-fang'))).toBe(35);
  });

  it('stops at the rule\'s monthly cap and starts again next month', async () => {
    clock.set(new Date('2026-03-10T02:00:00Z'));
    const earned: number[] = [];
    for (let day = 0; day < 4; day += 1) {
      clock.set(new Date(Date.UTC(2026, 2, 12 + day, 2)));
      for (let i = 0; i < 3; i += 1) {
        const res = await award(staff, 'li-na');
        if (res.body.errors) expect(errorOf(res.body)?.cap).toMatch(/RULE_DAILY|RULE_MONTHLY/);
        else earned.push(res.body.data!.awardPoints.points);
      }
    }
    expect(earned.reduce((a, b) => a + b, 0)).toBe(60);
    expect(errorOf((await award(staff, 'li-na')).body)).toMatchObject({ cap: 'RULE_MONTHLY', limit: 60 });
    clock.set(new Date('2026-04-01T01:00:00Z'));
    expect(await awarded(staff, 'li-na')).toBe(10);
    expect(await balance(h, resident('li-na'))).toBe(70);
  });

  it('counts a backdated award on the day of the activity', async () => {
    clock.set(new Date('2026-03-20T02:00:00Z'));
    expect(await awarded(staff, 'zhao-lei', garbage, { occurredOn: '2026-03-19' })).toBe(10);
    expect(await awarded(staff, 'zhao-lei', garbage, { occurredOn: '2026-03-19' })).toBe(10);
    expect(await awarded(staff, 'zhao-lei', garbage, { occurredOn: '2026-03-19' })).toBe(5);
    expect(await awarded(staff, 'zhao-lei')).toBe(10); // today is another day
  });

  it('applies the community\'s own daily cap across rules', async () => {
    clock.set(new Date('2026-05-05T02:00:00Z'));
    await ok(h, `mutation($c: ID!) { updatePointsSettings(communityId: $c, input: { dailyEarningCap: 55 }) { dailyEarningCap } }`, { c: COMMUNITY }, admin);
    try {
      expect(await awarded(staff, 'sun-yu', suggestion)).toBe(50);
      expect(await awarded(staff, 'sun-yu')).toBe(5);
      expect(errorOf((await award(staff, 'sun-yu')).body)).toMatchObject({ cap: 'DAILY', limit: 55 });
    } finally {
      await ok(h, `mutation($c: ID!) { updatePointsSettings(communityId: $c, input: { clearEarningCaps: true }) { dailyEarningCap } }`, { c: COMMUNITY }, admin);
    }
  });

  it('answers a retried award with the first entry, and refuses the key for another award', async () => {
    clock.set(new Date('2026-06-01T02:00:00Z'));
    const input = { c: COMMUNITY, input: { residentId: 'zhou-jie', ruleId: garbage, idempotencyKey: 'station-7-scan-1' } };
    const first = await ok<{ awardPoints: { id: string } }>(h, AWARD, input, device);
    const again = await ok<{ awardPoints: { id: string } }>(h, AWARD, input, device);
    expect(again.awardPoints.id).toBe(first.awardPoints.id);
    expect(await balance(h, resident('zhou-jie'))).toBe(10);
    const reused = await h.request(AWARD, { c: COMMUNITY, input: { ...input.input, residentId: 'someone-else' } }, device);
    expect(errorOf(reused.body)).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('lets staff award any rule and trusted sources only auto-award rules, and nobody themselves', async () => {
    clock.set(new Date('2026-06-02T02:00:00Z'));
    expect(await awarded(gridWorker, 'qian-hui')).toBe(10);
    expect(await awarded(device, 'qian-hui')).toBe(10);
    expect(await awarded(staff, 'qian-hui', suggestion)).toBe(50);
    const cases: Array<[string, Viewer, string, string]> = [
      ['a resident awarding themselves', resident('qian-hui'), 'qian-hui', garbage],
      ['a resident awarding a neighbour', resident('qian-hui'), 'wang-fang', garbage],
      ['staff awarding themselves', staff, staff.userId!, garbage],
      ['a grid worker, a rule that needs a claim', gridWorker, 'qian-hui', suggestion],
      ['staff of another community', elsewhere.staff, 'qian-hui', garbage],
      ['another community\'s device', elsewhere.device, 'qian-hui', garbage],
    ];
    for (const [label, viewer, residentId, ruleId] of cases) {
      expect(errorOf((await award(viewer, residentId, ruleId)).body)?.code, label).toBe('FORBIDDEN');
    }
    expect(await balance(h, resident('qian-hui'))).toBe(70);
  });

  it('keeps an append-only history, newest first, and announces awards by id only', async () => {
    clock.set(new Date('2026-06-03T02:00:00Z'));
    await awarded(staff, 'he-ping');
    await awarded(staff, 'he-ping');
    const data = await ok<{ myPoints: { balance: number; history: { edges: Array<{ node: { kind: string; points: number; balanceAfter: number; earnedOn: string } }> } } }>(
      h,
      MY_POINTS,
      { c: COMMUNITY },
      resident('he-ping'),
    );
    expect(data.myPoints.history.edges.map((e) => e.node)).toEqual([
      { kind: 'EARN', points: 10, balanceAfter: 20, earnedOn: '2026-06-03' },
      { kind: 'EARN', points: 10, balanceAfter: 10, earnedOn: '2026-06-03' },
    ]);
    const announced = events.events.filter((e) => e.type === 'points.awarded' && e.data?.residentId === 'he-ping');
    expect(announced).toHaveLength(2);
    expect(announced[0]).toMatchObject({ communityId: COMMUNITY, data: { residentId: 'he-ping', ruleId: garbage } });
    expect(Object.keys(announced[0]!.data!)).toEqual(['residentId', 'ruleId']);
  });
});

describe('claims', () => {
  const CLAIM = `mutation($c: ID!, $input: ClaimPointsInput!) { claimPoints(communityId: $c, input: $input) { id status occurredOn } }`;
  const APPROVE = `mutation($c: ID!, $id: ID!) { approvePointsClaim(communityId: $c, id: $id) { id status entryId decidedBy } }`;
  const REJECT = `mutation($c: ID!, $id: ID!, $reason: String!) { rejectPointsClaim(communityId: $c, id: $id, reason: $reason) { id status decisionNote } }`;

  async function claim(viewer: Viewer, occurredOn: string, ruleId = suggestion): Promise<string> {
    const data = await ok<{ claimPoints: { id: string } }>(h, CLAIM, { c: COMMUNITY, input: { ruleId, occurredOn, note: '提议增设充电桩被采纳', idempotencyKey: `claim-${++keys}` } }, viewer);
    return data.claimPoints.id;
  }

  it('earns the points once staff approve, on the day claimed', async () => {
    clock.set(new Date('2026-07-10T02:00:00Z'));
    const id = await claim(resident('feng-yi'), '2026-07-08');
    expect(await balance(h, resident('feng-yi'))).toBe(0);
    const pending = await ok<{ pointsClaims: Array<{ id: string }> }>(h, `query($c: ID!) { pointsClaims(communityId: $c, status: PENDING) { id } }`, { c: COMMUNITY }, staff);
    expect(pending.pointsClaims.map((c) => c.id)).toContain(id);
    const approved = await ok<{ approvePointsClaim: { status: string; entryId: string; decidedBy: string } }>(h, APPROVE, { c: COMMUNITY, id }, staff);
    expect(approved.approvePointsClaim).toMatchObject({ status: 'APPROVED', decidedBy: staff.userId });
    const again = await ok<{ approvePointsClaim: { entryId: string } }>(h, APPROVE, { c: COMMUNITY, id }, staff);
    expect(again.approvePointsClaim.entryId).toBe(approved.approvePointsClaim.entryId);
    expect(await balance(h, resident('feng-yi'))).toBe(50);
    const history = await ok<{ myPoints: { history: { edges: Array<{ node: { earnedOn: string } }> } } }>(h, MY_POINTS, { c: COMMUNITY }, resident('feng-yi'));
    expect(history.myPoints.history.edges[0]?.node.earnedOn).toBe('2026-07-08');
    expect(errorOf((await h.request(REJECT, { c: COMMUNITY, id, reason: '迟了' }, staff)).body)).toMatchObject({ code: 'CONFLICT', reason: 'CLAIM_DECIDED' });
  });

  it('lets staff reject a claim, and nobody approve their own', async () => {
    clock.set(new Date('2026-07-10T02:00:00Z'));
    const own = await claim(staff, '2026-07-09');
    expect(errorOf((await h.request(APPROVE, { c: COMMUNITY, id: own }, staff)).body)?.code).toBe('FORBIDDEN');
    const id = await claim(resident('feng-yi'), '2026-07-09');
    expect(errorOf((await h.request(APPROVE, { c: COMMUNITY, id }, resident('feng-yi'))).body)?.code).toBe('FORBIDDEN');
    expect(errorOf((await h.request(APPROVE, { c: COMMUNITY, id }, elsewhere.staff)).body)?.code).toBe('FORBIDDEN');
    const rejected = await ok<{ rejectPointsClaim: { status: string; decisionNote: string } }>(h, REJECT, { c: COMMUNITY, id, reason: '重复申请' }, staff);
    expect(rejected.rejectPointsClaim).toEqual({ id, status: 'REJECTED', decisionNote: '重复申请' });
  });

  it('refuses a claim for the future or too long ago', async () => {
    clock.set(new Date('2026-07-10T02:00:00Z'));
    for (const occurredOn of ['2026-07-11', '2026-05-01', '2026-02-30']) {
      const res = await h.request(CLAIM, { c: COMMUNITY, input: { ruleId: suggestion, occurredOn, idempotencyKey: `bad-${occurredOn}` } }, resident('feng-yi'));
      expect(errorOf(res.body)?.code, occurredOn).toBe('BAD_USER_INPUT');
    }
  });
});

describe('who reads points', () => {
  const RESIDENT_POINTS = `query($c: ID!, $r: ID!) { residentPoints(communityId: $c, residentId: $r) { residentId balance } }`;

  it('shows a resident their own points and staff of their community anyone\'s, with the read audited', async () => {
    clock.set(new Date('2026-08-01T02:00:00Z'));
    await awarded(staff, 'ma-lin');
    const data = await ok<{ residentPoints: { balance: number } }>(h, RESIDENT_POINTS, { c: COMMUNITY, r: 'ma-lin' }, staff);
    expect(data.residentPoints.balance).toBe(10);
    const log = await ok<{ auditLog: { edges: Array<{ node: { actorId: string; subjectType: string } }> } }>(
      h,
      `query($c: ID!) { auditLog(communityId: $c, subjectType: "ResidentPoints", subjectId: "ma-lin") { edges { node { actorId subjectType } } } }`,
      { c: COMMUNITY },
      { ...admin, roles: [Role.COMMUNITY_ADMIN] },
    );
    expect(log.auditLog.edges.map((e) => e.node.actorId)).toEqual([staff.userId]);
  });

  it('refuses other communities and neighbours (FORBIDDEN)', async () => {
    const cases: Array<[string, string, Record<string, unknown>, Viewer]> = [
      ['staff of another community', RESIDENT_POINTS, { c: COMMUNITY, r: 'ma-lin' }, elsewhere.staff],
      ['a neighbour', RESIDENT_POINTS, { c: COMMUNITY, r: 'ma-lin' }, resident('nosy')],
      ['a resident of another community', MY_POINTS, { c: COMMUNITY }, elsewhere.resident('ma-lin')],
      ['another community\'s service', RESIDENT_POINTS, { c: COMMUNITY, r: 'ma-lin' }, elsewhere.device],
    ];
    for (const [label, query, variables, viewer] of cases) {
      const res = await h.request(query, variables, viewer);
      expect(errorOf(res.body)?.code, label).toBe('FORBIDDEN');
      expect(JSON.stringify(res.body.data ?? {}), label).not.toContain('"balance"');
    }
  });

  it('shows the federation only a month\'s aggregates', async () => {
    const STATS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Community { pointsStats(month: "2026-03") { month pointsEarned residentsEarning pointsRedeemed } } } }`;
    const data = await ok<{ _entities: Array<{ pointsStats: Record<string, unknown> }> }>(h, STATS, { reps: [{ __typename: 'Community', id: COMMUNITY }] }, elsewhere.resident('anyone'));
    expect(data._entities[0]?.pointsStats).toMatchObject({ month: '2026-03', residentsEarning: 3 });
    expect(Number(data._entities[0]?.pointsStats.pointsEarned)).toBeGreaterThan(100);
  });
});
