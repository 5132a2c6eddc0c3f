import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityServiceName } from './federation.js';
import { auditExchangeLedger } from './test/bookings.js';
import { errorOf, eventually, ledgerBalance, must, seedCommunityDemo } from './test/community.js';
import { Role, startE2E, type E2E } from './test/e2e.js';

/**
 * Points through the gateway, with every service a real process: earning under caps, claims,
 * the last reward in stock, and points converted into shared credit as a saga that survives
 * a crash of either side.
 */
const ENV = { SCHEDULER_INTERVAL_MS: '300' };
const A = 'qibao-a';
let e2e: E2E;
let garbage: string;
let suggestion: string;

const admin = () => e2e.token('admin-a', A, [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN]);
const staff = () => e2e.token('staff-a', A, [Role.RESIDENT, Role.COMMUNITY_STAFF]);
const resident = (id: string, home = A) => e2e.token(id, home, [Role.RESIDENT]);

const AWARD = `mutation($c: ID!, $input: AwardPointsInput!) { awardPoints(communityId: $c, input: $input) { id points } }`;
const MY_POINTS = `query($c: ID!) { myPoints(communityId: $c) { balance } }`;
const CONVERT = `mutation($c: ID!, $input: ConvertPointsInput!) { convertPointsToCredit(communityId: $c, input: $input) { id status points credits } }`;
const CONVERSIONS = `query($c: ID!) { myPointConversions(communityId: $c) { id status credits } }`;

beforeAll(async () => {
  e2e = await startE2E('e2e_points', { communityEnv: ENV });
  await seedCommunityDemo(e2e);
  const rule = `mutation($c: ID!, $input: PointsRuleInput!) { createPointsRule(communityId: $c, input: $input) { id } }`;
  garbage = (await must<{ createPointsRule: { id: string } }>(e2e, rule, { c: A, input: { activity: 'GARBAGE_SORTING', name: '垃圾分类', nameEn: 'Garbage sorting', points: 10, dailyCap: 25, autoAward: true } }, admin())).createPointsRule.id;
  suggestion = (await must<{ createPointsRule: { id: string } }>(e2e, rule, { c: A, input: { activity: 'ADOPTED_SUGGESTION', name: '建议被采纳', nameEn: 'Adopted suggestion', points: 100 } }, admin())).createPointsRule.id;
}, 180_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

function award(token: string, residentId: string, ruleId = garbage) {
  return e2e.gql<{ awardPoints: { id: string; points: number } | null }>(AWARD, { c: A, input: { residentId, ruleId, idempotencyKey: randomUUID() } }, token);
}

async function points(residentId: string): Promise<number> {
  return (await must<{ myPoints: { balance: number } }>(e2e, MY_POINTS, { c: A }, resident(residentId))).myPoints.balance;
}

/** Gives a resident `hundreds` × 100 points through an approved claim each. */
async function fund(residentId: string, hundreds = 1): Promise<void> {
  for (let i = 0; i < hundreds; i += 1) {
    const claim = await must<{ claimPoints: { id: string } }>(
      e2e,
      `mutation($c: ID!, $input: ClaimPointsInput!) { claimPoints(communityId: $c, input: $input) { id } }`,
      { c: A, input: { ruleId: suggestion, occurredOn: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }), note: '建议被采纳', idempotencyKey: randomUUID() } },
      resident(residentId),
    );
    await must(e2e, `mutation($c: ID!, $id: ID!) { approvePointsClaim(communityId: $c, id: $id) { status } }`, { c: A, id: claim.claimPoints.id }, staff());
  }
}

async function expectLedgerSound(): Promise<void> {
  const audit = await auditExchangeLedger(e2e);
  expect(audit.mismatches).toEqual([]);
  expect(audit.sumByUnit.CREDIT ?? 0).toBe(0);
}

describe('points through the gateway', () => {
  it('earns under the daily cap: the third award is cut, the fourth refused', async () => {
    const earned = [];
    for (let i = 0; i < 3; i += 1) earned.push((await award(staff(), 'e2e-wang')).data?.awardPoints?.points);
    expect(earned).toEqual([10, 10, 5]);
    expect(errorOf(await award(staff(), 'e2e-wang'))).toMatchObject({ code: 'CONFLICT', reason: 'POINTS_CAP', cap: 'RULE_DAILY' });
    expect(await points('e2e-wang')).toBe(25);
  });

  it('earns a claimed activity once staff approve it', async () => {
    await fund('e2e-claimer');
    expect(await points('e2e-claimer')).toBe(100);
  });

  it('lets nobody award themselves points (FORBIDDEN)', async () => {
    expect(errorOf(await award(resident('e2e-self'), 'e2e-self'))?.code).toBe('FORBIDDEN');
    expect(errorOf(await award(staff(), 'staff-a'))?.code).toBe('FORBIDDEN');
    expect(await points('e2e-self')).toBe(0);
  });

  it('keeps a resident\'s points from other communities', async () => {
    const query = `query($c: ID!, $r: ID!) { residentPoints(communityId: $c, residentId: $r) { balance history { edges { node { points } } } } }`;
    const staffB = e2e.token('staff-b', 'qibao-b', [Role.RESIDENT, Role.COMMUNITY_STAFF]);
    const adminC = e2e.token('admin-c', 'qibao-c', [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN]);
    for (const token of [staffB, adminC, resident('e2e-neighbour')]) {
      const res = await e2e.gql<{ residentPoints: unknown }>(query, { c: A, r: 'e2e-wang' }, token);
      expect(errorOf(res)?.code).toBe('FORBIDDEN');
      expect(res.data?.residentPoints ?? null).toBeNull();
    }
    expect(errorOf(await e2e.gql(MY_POINTS, { c: A }, resident('e2e-wang', 'qibao-b')))?.code).toBe('FORBIDDEN');
    expect((await must<{ residentPoints: { balance: number } }>(e2e, query, { c: A, r: 'e2e-wang' }, staff())).residentPoints.balance).toBe(25);
  });

  it('gives the last item in stock to exactly one of ten residents redeeming at once', async () => {
    const reward = await must<{ createReward: { id: string } }>(
      e2e,
      `mutation($c: ID!, $input: RewardInput!) { createReward(communityId: $c, input: $input) { id } }`,
      { c: A, input: { kind: 'PROPERTY_FEE_VOUCHER', name: '物业费抵用券 50 元', nameEn: 'Property-fee voucher, 50 yuan', costPoints: 80, stock: 1 } },
      staff(),
    );
    const racers = Array.from({ length: 10 }, (_, i) => `e2e-racer-${i}`);
    for (const r of racers) await fund(r);
    const results = await Promise.all(
      racers.map((r) =>
        e2e.gql<{ redeemReward: { voucherCode: string } | null }>(
          `mutation($c: ID!, $r: ID!, $k: String!) { redeemReward(communityId: $c, rewardId: $r, idempotencyKey: $k) { voucherCode } }`,
          { c: A, r: reward.createReward.id, k: randomUUID() },
          resident(r),
        ),
      ),
    );
    expect(results.filter((r) => r.data?.redeemReward)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => errorOf(r)?.reason)).toEqual(Array(9).fill('OUT_OF_STOCK'));
    const stock = await must<{ rewards: Array<{ id: string; stock: number }> }>(e2e, `query($c: ID!) { rewards(communityId: $c) { id stock } }`, { c: A }, resident('anyone'));
    expect(stock.rewards.find((r) => r.id === reward.createReward.id)?.stock).toBe(0);
    const balances = await Promise.all(racers.map(points));
    expect(balances.sort((a, b) => a - b)).toEqual([20, ...Array(9).fill(100)]);
  });
});

describe('points converted into shared credit', () => {
  async function conversions(residentId: string) {
    return (await must<{ myPointConversions: Array<{ id: string; status: string; credits: number }> }>(e2e, CONVERSIONS, { c: A }, resident(residentId))).myPointConversions;
  }

  it('issues the credit in the exchange once per idempotency key', async () => {
    await fund('e2e-convert', 2);
    const input = { points: 150, idempotencyKey: randomUUID() };
    const first = await must<{ convertPointsToCredit: { id: string; status: string; credits: number } }>(e2e, CONVERT, { c: A, input }, resident('e2e-convert'));
    expect(first.convertPointsToCredit).toMatchObject({ status: 'DONE', credits: 15 });
    const again = await must<{ convertPointsToCredit: { id: string } }>(e2e, CONVERT, { c: A, input }, resident('e2e-convert'));
    expect(again.convertPointsToCredit.id).toBe(first.convertPointsToCredit.id);
    expect(await points('e2e-convert')).toBe(50);
    expect(await ledgerBalance(e2e, resident('e2e-convert'), 'CREDIT')).toEqual({ balance: 15, pending: 0 });
    await expectLedgerSound();
  }, 60_000);

  it('survives the community dying right after the exchange issued the credit', async () => {
    await fund('e2e-crash-a');
    const deployment = e2e.communities.find((c) => c.id === A)!;
    await e2e.federation.killService(communityServiceName(A));
    await e2e.federation.startCommunity(deployment, { ...ENV, EXCHANGE_CALL_FAULT: 'crash-after:ISSUE' });
    const res = await e2e.gql(CONVERT, { c: A, input: { points: 100, idempotencyKey: randomUUID() } }, resident('e2e-crash-a'));
    expect(errorOf(res)?.code).toBe('COMMUNITY_UNAVAILABLE'); // it died answering
    await e2e.federation.service(communityServiceName(A))?.exited;
    // The credit is in the exchange; the community never recorded the answer.
    expect(await ledgerBalance(e2e, resident('e2e-crash-a'), 'CREDIT')).toEqual({ balance: 10, pending: 0 });
    await e2e.federation.killService(communityServiceName(A));
    await e2e.federation.startCommunity(deployment, ENV);
    const [conversion] = await eventually(() => conversions('e2e-crash-a'), (c) => c[0]?.status === 'DONE');
    expect(conversion).toMatchObject({ status: 'DONE', credits: 10 });
    expect(await points('e2e-crash-a')).toBe(0);
    expect(await ledgerBalance(e2e, resident('e2e-crash-a'), 'CREDIT')).toEqual({ balance: 10, pending: 0 });
    await expectLedgerSound();
  }, 120_000);

  it('debits the points while the exchange is down, and issues the credit once it is back', async () => {
    await fund('e2e-crash-x');
    await e2e.federation.killService('exchange');
    const res = await must<{ convertPointsToCredit: { id: string; status: string } }>(e2e, CONVERT, { c: A, input: { points: 100, idempotencyKey: randomUUID() } }, resident('e2e-crash-x'));
    expect(res.convertPointsToCredit.status).toBe('PENDING');
    expect(await points('e2e-crash-x')).toBe(0);
    await e2e.federation.startExchange();
    const [conversion] = await eventually(() => conversions('e2e-crash-x'), (c) => c[0]?.status === 'DONE');
    expect(conversion?.id).toBe(res.convertPointsToCredit.id);
    expect(await ledgerBalance(e2e, resident('e2e-crash-x'), 'CREDIT')).toEqual({ balance: 10, pending: 0 });
    expect(await points('e2e-crash-x')).toBe(0);
    await expectLedgerSound();
  }, 120_000);
});
