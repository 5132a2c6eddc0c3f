import { ManualClock, MemoryEventPublisher } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../../test/exchange.js';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { AWARD, balance, createRule, errorOf, MY_POINTS, ok, people } from '../../test/points.js';

const COMMUNITY = 'test-conversion';
const { admin, staff, resident } = people(COMMUNITY);
const elsewhere = people('test-other');
const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
const exchange = new FakeExchange();

const CONVERT = `mutation($c: ID!, $input: ConvertPointsInput!) { convertPointsToCredit(communityId: $c, input: $input) { id status points credits refusal } }`;

let h: CommunityHarness;
let rule: string;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock, events: new MemoryEventPublisher(), exchange });
  rule = await createRule(h, admin, { activity: 'VOLUNTEERING', name: '志愿服务', nameEn: 'Volunteering', points: 100 });
});
afterAll(async () => {
  await h?.close();
});

let keys = 0;
async function fund(residentId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await ok(h, AWARD, { c: COMMUNITY, input: { residentId, ruleId: rule, idempotencyKey: `fund-${++keys}` } }, staff);
}

type Conversion = { id: string; status: string; points: number; credits: number; refusal: string | null };
async function convert(residentId: string, points: number, key = `convert-${++keys}`) {
  return h.request<{ convertPointsToCredit: Conversion }>(CONVERT, { c: COMMUNITY, input: { points, idempotencyKey: key } }, resident(residentId));
}
async function converted(residentId: string, points: number, key?: string): Promise<Conversion> {
  const res = await convert(residentId, points, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.convertPointsToCredit;
}

describe('converting points into shared credit', () => {
  it('debits the points and issues the credit, once per idempotency key', async () => {
    await fund('guo-mei', 3);
    const first = await converted('guo-mei', 100, 'my-key');
    expect(first).toMatchObject({ status: 'DONE', points: 100, credits: 10 });
    const again = await converted('guo-mei', 100, 'my-key');
    expect(again).toEqual(first);
    expect(await balance(h, resident('guo-mei'))).toBe(200);
    expect(exchange.balance('guo-mei', 'CREDIT')).toBe(10);
    expect(exchange.transfers.get(first.id)).toMatchObject({ operation: 'issue', to: 'guo-mei', unit: 'CREDIT', reference: `points-conversion:${first.id}` });
    expect(errorOf((await convert('guo-mei', 200, 'my-key')).body)).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses amounts that are not whole credits, or more points than held', async () => {
    await fund('xu-jing', 1);
    expect(errorOf((await convert('xu-jing', 15)).body)).toMatchObject({ code: 'BAD_USER_INPUT', pointsPerCredit: 10 });
    expect(errorOf((await convert('xu-jing', 200)).body)).toMatchObject({ code: 'INSUFFICIENT_FUNDS', balance: 100, required: 200 });
    expect(await balance(h, resident('xu-jing'))).toBe(100);
  });

  it('stays PENDING with the points debited while the exchange is away, and completes by the scheduler', async () => {
    await fund('song-bo', 1);
    exchange.down = true;
    const pending = await converted('song-bo', 50);
    expect(pending.status).toBe('PENDING');
    expect(await balance(h, resident('song-bo'))).toBe(50);
    await h.subgraph.scheduler.tick(); // not due yet, and the exchange is still away
    exchange.down = false;
    clock.advance(5_000);
    await h.subgraph.scheduler.tick();
    const [row] = await ok<{ myPointConversions: Conversion[] }>(h, `query($c: ID!) { myPointConversions(communityId: $c) { id status points credits refusal } }`, { c: COMMUNITY }, resident('song-bo')).then((d) => d.myPointConversions);
    expect(row).toMatchObject({ id: pending.id, status: 'DONE' });
    expect(exchange.balance('song-bo', 'CREDIT')).toBe(5);
    expect(await balance(h, resident('song-bo'))).toBe(50);
  });

  it('issues once when the exchange carried out the call but its answer was lost', async () => {
    await fund('lost-answer', 1);
    exchange.loseNextAnswer = true;
    const pending = await converted('lost-answer', 100);
    expect(pending.status).toBe('PENDING');
    expect(exchange.balance('lost-answer', 'CREDIT')).toBe(10);
    clock.advance(5_000);
    await h.subgraph.scheduler.tick();
    const mine = await ok<{ myPointConversions: Conversion[] }>(h, `query($c: ID!) { myPointConversions(communityId: $c) { id status points credits refusal } }`, { c: COMMUNITY }, resident('lost-answer'));
    expect(mine.myPointConversions).toEqual([expect.objectContaining({ id: pending.id, status: 'DONE' })]);
    expect(exchange.balance('lost-answer', 'CREDIT')).toBe(10);
    expect(exchange.calls.filter((c) => c === 'issue').length).toBeGreaterThanOrEqual(2);
  });

  it('gives the points back when the exchange refuses for good', async () => {
    await fund('refused', 1);
    exchange.refuseNext('issue', 'FORBIDDEN');
    const refunded = await converted('refused', 100);
    expect(refunded).toMatchObject({ status: 'REFUNDED', refusal: expect.stringContaining('FORBIDDEN') });
    expect(await balance(h, resident('refused'))).toBe(100);
    const history = await ok<{ myPoints: { history: { edges: Array<{ node: { kind: string; points: number } }> } } }>(h, MY_POINTS, { c: COMMUNITY }, resident('refused'));
    expect(history.myPoints.history.edges.map((e) => [e.node.kind, e.node.points])).toEqual([
      ['REFUND', 100],
      ['CONVERT', -100],
      ['EARN', 100],
    ]);
  });

  it('holds each resident to the monthly cap on the community\'s calendar (refunded conversions do not count)', async () => {
    clock.set(new Date('2026-04-10T02:00:00Z'));
    await fund('cap', 10);
    expect((await converted('cap', 400)).credits).toBe(40);
    expect(errorOf((await convert('cap', 200)).body)).toMatchObject({ code: 'CONFLICT', reason: 'CONVERSION_CAP', capCredits: 50, convertedCredits: 40, requestedCredits: 20 });
    exchange.refuseNext('issue', 'CONFLICT');
    expect((await converted('cap', 100)).status).toBe('REFUNDED');
    expect((await converted('cap', 100)).status).toBe('DONE');
    clock.set(new Date('2026-04-30T16:30:00Z')); // 00:30 on 1 May in Shanghai
    expect((await converted('cap', 200)).status).toBe('DONE');
  });

  it('is for residents of the community only', async () => {
    expect(errorOf((await h.request(CONVERT, { c: COMMUNITY, input: { points: 10, idempotencyKey: 'x' } }, elsewhere.resident('guo-mei'))).body)?.code).toBe('FORBIDDEN');
    expect(errorOf((await h.request(CONVERT, { c: COMMUNITY, input: { points: 10, idempotencyKey: 'x' } }, people(COMMUNITY).device)).body)?.code).toBe('FORBIDDEN');
  });
});
