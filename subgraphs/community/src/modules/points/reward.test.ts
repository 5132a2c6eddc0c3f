import { ManualClock, MemoryEventPublisher, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../../test/exchange.js';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { AWARD, balance, createRule, errorOf, ok, people } from '../../test/points.js';

const COMMUNITY = 'test-rewards';
const { admin, staff, resident } = people(COMMUNITY);
const elsewhere = people('test-other');
const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
const events = new MemoryEventPublisher();

const CREATE = `mutation($c: ID!, $input: RewardInput!) { createReward(communityId: $c, input: $input) { id stock costPoints perResidentLimit } }`;
const REDEEM = `mutation($c: ID!, $r: ID!, $key: String!) { redeemReward(communityId: $c, rewardId: $r, idempotencyKey: $key) { id points voucherCode status reward { id stock } } }`;
const VOUCHER = `query($c: ID!, $code: String!) { voucher(communityId: $c, code: $code) { id status residentId reward { name } } }`;
const USE = `mutation($c: ID!, $code: String!) { useVoucher(communityId: $c, code: $code) { id status usedAt } }`;
const STOCK = `query($c: ID!) { rewards(communityId: $c) { id stock } }`;

let h: CommunityHarness;
let rule: string;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock, events, exchange: new FakeExchange() });
  rule = await createRule(h, admin, { activity: 'VOLUNTEERING', name: '志愿服务', nameEn: 'Volunteering', points: 100 });
});
afterAll(async () => {
  await h?.close();
});

let keys = 0;
async function fund(residentId: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await ok(h, AWARD, { c: COMMUNITY, input: { residentId, ruleId: rule, idempotencyKey: `fund-${++keys}` } }, staff);
  }
}

async function reward(input: Record<string, unknown>): Promise<string> {
  const data = await ok<{ createReward: { id: string } }>(
    h,
    CREATE,
    { c: COMMUNITY, input: { kind: 'GOODS', name: '环保袋', nameEn: 'Reusable bag', costPoints: 50, stock: 10, ...input } },
    staff,
  );
  return data.createReward.id;
}

function redeem(viewer: Viewer, rewardId: string, key = `redeem-${++keys}`) {
  return h.request<{ redeemReward: { id: string; points: number; voucherCode: string; status: string } }>(REDEEM, { c: COMMUNITY, r: rewardId, key }, viewer);
}

async function stockOf(rewardId: string): Promise<number> {
  const data = await ok<{ rewards: Array<{ id: string; stock: number }> }>(h, STOCK, { c: COMMUNITY }, resident('anyone'));
  return data.rewards.find((r) => r.id === rewardId)!.stock;
}

describe('redeeming rewards', () => {
  it('debits the points, takes one unit and issues a voucher, once per idempotency key', async () => {
    await fund('chen-xi');
    const id = await reward({ stock: 3 });
    const first = await redeem(resident('chen-xi'), id, 'bag-1');
    expect(first.body.data?.redeemReward).toMatchObject({ points: 50, status: 'ISSUED', voucherCode: expect.stringMatching(/^LL-[0-9A-Z]{4}-[0-9A-Z]{4}$/) });
    const again = await redeem(resident('chen-xi'), id, 'bag-1');
    expect(again.body.data?.redeemReward.id).toBe(first.body.data?.redeemReward.id);
    expect(await balance(h, resident('chen-xi'))).toBe(50);
    expect(await stockOf(id)).toBe(2);
    expect(events.events.filter((e) => e.type === 'reward.redeemed').map((e) => e.subjectId)).toEqual([first.body.data?.redeemReward.id]);
  });

  it('gives the last unit to exactly one of many residents racing for it', async () => {
    const id = await reward({ name: '物业费抵用券', nameEn: 'Property-fee voucher', kind: 'PROPERTY_FEE_VOUCHER', stock: 1, costPoints: 80 });
    const racers = Array.from({ length: 12 }, (_, i) => `racer-${i}`);
    for (const r of racers) await fund(r);
    const results = await Promise.all(racers.map((r) => redeem(resident(r), id)));
    const won = results.filter((r) => r.body.data?.redeemReward);
    const lost = results.filter((r) => r.body.errors);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => errorOf(r.body))).toEqual(Array(11).fill(expect.objectContaining({ code: 'CONFLICT', reason: 'OUT_OF_STOCK' })));
    expect(await stockOf(id)).toBe(0);
    const balances = await Promise.all(racers.map((r) => balance(h, resident(r))));
    expect(balances.sort()).toEqual([20, ...Array(11).fill(100)].sort());
  });

  it('holds one resident to the per-resident limit even when they race themselves', async () => {
    await fund('lu-yang', 3);
    const id = await reward({ name: '议事会优先券', nameEn: 'Council priority pass', kind: 'EVENT_PRIORITY', costPoints: 10, stock: 20, perResidentLimit: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => redeem(resident('lu-yang'), id)));
    expect(results.filter((r) => r.body.data?.redeemReward)).toHaveLength(2);
    expect(new Set(results.filter((r) => r.body.errors).map((r) => errorOf(r.body)?.reason))).toEqual(new Set(['REDEMPTION_LIMIT']));
    expect(await balance(h, resident('lu-yang'))).toBe(280);
    expect(await stockOf(id)).toBe(18);
  });

  it('refuses without enough points and leaves the stock as it was', async () => {
    const id = await reward({ costPoints: 500, stock: 1 });
    await fund('poor');
    expect(errorOf((await redeem(resident('poor'), id)).body)).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: 100, required: 500 });
    expect(await stockOf(id)).toBe(1);
    expect(await balance(h, resident('poor'))).toBe(100);
  });

  it('lets only residents of the community redeem, and only staff manage the shop', async () => {
    const id = await reward({});
    expect(errorOf((await redeem(elsewhere.resident('visitor'), id)).body)?.code).toBe('FORBIDDEN');
    const res = await h.request(CREATE, { c: COMMUNITY, input: { kind: 'GOODS', name: 'x', nameEn: 'x', costPoints: 1, stock: 1 } }, resident('chen-xi'));
    expect(errorOf(res.body)?.code).toBe('FORBIDDEN');
  });
});

describe('vouchers', () => {
  it('are checked and marked used by staff, once', async () => {
    await fund('tang-li');
    const id = await reward({ name: '大米', nameEn: 'Rice, 5 kg' });
    const { voucherCode } = (await redeem(resident('tang-li'), id)).body.data!.redeemReward;
    const checked = await ok<{ voucher: { status: string; residentId: string; reward: { name: string } } }>(h, VOUCHER, { c: COMMUNITY, code: voucherCode.toLowerCase() }, staff);
    expect(checked.voucher).toMatchObject({ status: 'ISSUED', residentId: 'tang-li', reward: { name: '大米' } });
    const used = await ok<{ useVoucher: { status: string; usedAt: string } }>(h, USE, { c: COMMUNITY, code: voucherCode }, staff);
    expect(used.useVoucher.status).toBe('USED');
    expect(errorOf((await h.request(USE, { c: COMMUNITY, code: voucherCode }, staff)).body)).toMatchObject({ code: 'CONFLICT', reason: 'VOUCHER_USED' });
    expect(errorOf((await h.request(VOUCHER, { c: COMMUNITY, code: 'LL-0000-0000' }, staff)).body)?.code).toBe('NOT_FOUND');
    expect(errorOf((await h.request(VOUCHER, { c: COMMUNITY, code: voucherCode }, resident('tang-li'))).body)?.code).toBe('FORBIDDEN');
    expect(errorOf((await h.request(USE, { c: COMMUNITY, code: voucherCode }, elsewhere.staff)).body)?.code).toBe('FORBIDDEN');
  });
});
