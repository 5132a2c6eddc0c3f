import { randomUUID } from 'node:crypto';
import { Role, type Viewer } from '@linli/subgraph-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';
import { ACCOUNT_FIELDS, admin, expectSoundLedger, type AccountData, type TransferData } from '../../test/ledger.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_ledger_community');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' });
});
afterEach(async () => {
  await expectSoundLedger(h);
});
afterAll(async () => {
  await h?.close();
});

const serviceOf = (communityId: string | null): Viewer => ({ userId: `service-${communityId}`, homeCommunityId: communityId, roles: [Role.SERVICE] });
const resident = (communityId: string, userId: string) => viewers.resident(communityId, userId);
const TRANSFER = 'id code amount unit phase state reference debitAccountId creditAccountId';

const ISSUE = `mutation($input: IssueFromCommunityInput!) { issueFromCommunity(input: $input) { ${TRANSFER} } }`;
const PAY = `mutation($input: PayFromCommunityFundInput!) { payFromCommunityFund(input: $input) { ${TRANSFER} } }`;
const SETTLE = `mutation($input: SettleHoursHoldInput!) { settleHoursHold(input: $input) { ${TRANSFER} } }`;
const HOLD = `mutation($input: HoldHoursInput!) { holdHours(input: $input) { ${TRANSFER} timeoutAt } }`;
const DONATE = `mutation($input: DonateHoursInput!) { donateHours(input: $input) { ${TRANSFER} } }`;
const HOURS_HOLD = `query($c: ID!, $id: ID!) { hoursHold(communityId: $c, id: $id) { ${TRANSFER} } }`;
const FUND = `query($c: ID!) { communityFund(communityId: $c) { ${ACCOUNT_FIELDS} } }`;
const MY_ACCOUNTS = `{ myAccounts { ${ACCOUNT_FIELDS} } }`;

type Body<K extends string> = { data?: Record<K, TransferData | null> | null; errors?: Array<{ extensions?: Record<string, unknown> }> };

async function call<K extends string>(query: string, field: K, input: Record<string, unknown>, viewer: Viewer): Promise<Body<K>> {
  return (await h.request<Record<K, TransferData | null>>(query, { input }, viewer)).body as Body<K>;
}

function ok<K extends string>(body: Body<K>, field: K): TransferData {
  const value = body.data?.[field];
  if (!value) throw new Error(`${field} failed: ${JSON.stringify(body.errors)}`);
  return value;
}

const code = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code;

async function hours(userId: string, communityId = 'qibao-a'): Promise<number> {
  const res = await h.request<{ myAccounts: AccountData[] }>(MY_ACCOUNTS, {}, resident(communityId, userId));
  return res.body.data?.myAccounts.find((a) => a.unit === 'HOUR')?.balance ?? 0;
}

async function fund(communityId: string): Promise<AccountData> {
  const res = await h.request<{ communityFund: AccountData }>(FUND, { c: communityId }, viewers.staff(communityId));
  if (!res.body.data?.communityFund) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.communityFund;
}

describe('a community\'s own service in the ledger', () => {
  it('issues to a resident of its community, once per idempotency key', async () => {
    const input = { communityId: 'qibao-a', residentId: 'li-wei', amount: 12, unit: 'CREDIT', reference: 'points-conversion:1', idempotencyKey: randomUUID() };
    const first = ok(await call(ISSUE, 'issueFromCommunity', input, serviceOf('qibao-a')), 'issueFromCommunity');
    expect(first).toMatchObject({ id: input.idempotencyKey, code: 'ISSUE', amount: 12, unit: 'CREDIT', state: 'POSTED', reference: 'points-conversion:1' });
    const replay = ok(await call(ISSUE, 'issueFromCommunity', input, serviceOf('qibao-a')), 'issueFromCommunity');
    expect(replay.id).toBe(first.id);
    const res = await h.request<{ myAccounts: AccountData[] }>(MY_ACCOUNTS, {}, resident('qibao-a', 'li-wei'));
    expect(res.body.data?.myAccounts).toEqual([expect.objectContaining({ unit: 'CREDIT', balance: 12, communityId: 'qibao-a' })]);
  });

  it.each<[string, Viewer]>([
    ['another community\'s service', serviceOf('qibao-b')],
    ['a federation service', serviceOf(null)],
    ['the community\'s admin', admin('qibao-a')],
    ['a resident', resident('qibao-a', 'li-wei')],
  ])('refuses %s (FORBIDDEN)', async (_who, viewer) => {
    const body = await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-a', residentId: 'li-wei', amount: 5, unit: 'CREDIT', idempotencyKey: randomUUID() }, viewer);
    expect(code(body)).toBe('FORBIDDEN');
    expect(await hours('li-wei')).toBe(0);
  });

  it('never issues to a resident of another community', async () => {
    ok(await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-b', residentId: 'b-only', amount: 1, unit: 'HOUR', idempotencyKey: randomUUID() }, serviceOf('qibao-b')), 'issueFromCommunity');
    const body = await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-a', residentId: 'b-only', amount: 1, unit: 'HOUR', idempotencyKey: randomUUID() }, serviceOf('qibao-a'));
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', residentId: 'b-only' });
  });

  it('refuses an issue over the cap on banked hours, and still answers a replay of one made before', async () => {
    const first = { communityId: 'qibao-a', residentId: 'capped', amount: 8, unit: 'HOUR', maxBalance: 10, idempotencyKey: randomUUID() };
    ok(await call(ISSUE, 'issueFromCommunity', first, serviceOf('qibao-a')), 'issueFromCommunity');
    const over = await call(ISSUE, 'issueFromCommunity', { ...first, amount: 3, idempotencyKey: randomUUID() }, serviceOf('qibao-a'));
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'BALANCE_CAP', balance: 8, amount: 3, maxBalance: 10 });
    ok(await call(ISSUE, 'issueFromCommunity', { ...first, amount: 2, idempotencyKey: randomUUID() }, serviceOf('qibao-a')), 'issueFromCommunity');
    expect(ok(await call(ISSUE, 'issueFromCommunity', first, serviceOf('qibao-a')), 'issueFromCommunity').id).toBe(first.idempotencyKey);
    expect(await hours('capped')).toBe(10);
  });

  it('issues into its fund and pays its residents from it, never below zero', async () => {
    const before = (await fund('qibao-b')).balance;
    ok(await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-b', amount: 4, unit: 'HOUR', idempotencyKey: randomUUID() }, serviceOf('qibao-b')), 'issueFromCommunity');
    expect(await fund('qibao-b')).toMatchObject({ kind: 'COMMUNITY_FUND', holderId: 'qibao-b', balance: before + 4, limit: 0 });
    const paid = ok(await call(PAY, 'payFromCommunityFund', { communityId: 'qibao-b', residentId: 'fund-paid', amount: 3, reference: 'service:1', idempotencyKey: randomUUID() }, serviceOf('qibao-b')), 'payFromCommunityFund');
    expect(paid).toMatchObject({ code: 'TRANSFER', unit: 'HOUR', amount: 3 });
    expect(await hours('fund-paid', 'qibao-b')).toBe(3);
    const short = await call(PAY, 'payFromCommunityFund', { communityId: 'qibao-b', residentId: 'fund-paid', amount: before + 2, idempotencyKey: randomUUID() }, serviceOf('qibao-b'));
    expect(code(short)).toBe('INSUFFICIENT_FUNDS');
    expect(code(await call(PAY, 'payFromCommunityFund', { communityId: 'qibao-b', residentId: 'fund-paid', amount: 1, idempotencyKey: randomUUID() }, serviceOf('qibao-a')))).toBe('FORBIDDEN');
  });

  it('is not a federation service: it cannot read residents\' accounts, even its own residents\'', async () => {
    const t = ok(await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-a', residentId: 'private', amount: 1, unit: 'CREDIT', idempotencyKey: randomUUID() }, serviceOf('qibao-a')), 'issueFromCommunity');
    const ACCOUNT = `query($id: ID!) { account(id: $id) { id balance } }`;
    expect(code((await h.request(ACCOUNT, { id: t.creditAccountId }, serviceOf('qibao-a'))).body)).toBe('FORBIDDEN');
    expect((await h.request(ACCOUNT, { id: t.creditAccountId }, serviceOf(null))).body.errors).toBeUndefined();
  });

  it('shows the fund to the community\'s staff and its own service, not to others', async () => {
    for (const viewer of [viewers.staff('qibao-a'), serviceOf('qibao-a'), viewers.federationAdmin]) {
      expect((await h.request(FUND, { c: 'qibao-a' }, viewer)).body.errors).toBeUndefined();
    }
    for (const viewer of [viewers.staff('qibao-b'), serviceOf('qibao-b'), resident('qibao-a', 'nosy')]) {
      expect(code((await h.request(FUND, { c: 'qibao-a' }, viewer)).body)).toBe('FORBIDDEN');
    }
  });
});

describe('a resident\'s own hours', () => {
  it('are donated to their home community\'s fund by their own request only', async () => {
    ok(await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-a', residentId: 'donor', amount: 5, unit: 'HOUR', idempotencyKey: randomUUID() }, serviceOf('qibao-a')), 'issueFromCommunity');
    const before = (await fund('qibao-a')).balance;
    const key = randomUUID();
    const donated = ok(await call(DONATE, 'donateHours', { hours: 2, idempotencyKey: key }, resident('qibao-a', 'donor')), 'donateHours');
    ok(await call(DONATE, 'donateHours', { hours: 2, idempotencyKey: key }, resident('qibao-a', 'donor')), 'donateHours');
    expect(donated).toMatchObject({ code: 'TRANSFER', unit: 'HOUR', amount: 2, state: 'POSTED' });
    expect(await hours('donor')).toBe(3);
    expect((await fund('qibao-a')).balance).toBe(before + 2);
    expect(code(await call(DONATE, 'donateHours', { hours: 9, idempotencyKey: randomUUID() }, resident('qibao-a', 'donor')))).toBe('INSUFFICIENT_FUNDS');
    expect(code(await call(DONATE, 'donateHours', { hours: 1, idempotencyKey: randomUUID() }, serviceOf('qibao-a')))).toBe('FORBIDDEN');
  });

  it('pay for a service in another community: held by the payer, settled by that community to its volunteer', async () => {
    ok(await call(ISSUE, 'issueFromCommunity', { communityId: 'qibao-a', residentId: 'payer', amount: 6, unit: 'HOUR', idempotencyKey: randomUUID() }, serviceOf('qibao-a')), 'issueFromCommunity');
    const hold = ok(await call(HOLD, 'holdHours', { communityId: 'qibao-b', hours: 2, reference: 'timebank:qibao-b:req-1', idempotencyKey: randomUUID() }, resident('qibao-a', 'payer')), 'holdHours');
    expect(hold).toMatchObject({ code: 'BOOKING', unit: 'HOUR', phase: 'PENDING', state: 'PENDING', amount: 2 });
    const res = await h.request<{ myAccounts: AccountData[] }>(MY_ACCOUNTS, {}, resident('qibao-a', 'payer'));
    expect(res.body.data?.myAccounts.find((a) => a.unit === 'HOUR')).toMatchObject({ balance: 6, pending: 2, available: 4 });

    // Only the community paid into sees the hold, and only it may settle it.
    expect((await h.request<{ hoursHold: TransferData | null }>(HOURS_HOLD, { c: 'qibao-b', id: hold.id }, serviceOf('qibao-b'))).body.data?.hoursHold?.id).toBe(hold.id);
    expect((await h.request<{ hoursHold: TransferData | null }>(HOURS_HOLD, { c: 'qibao-a', id: hold.id }, serviceOf('qibao-a'))).body.data?.hoursHold).toBeNull();
    expect(code(await call(SETTLE, 'settleHoursHold', { communityId: 'qibao-b', holdId: hold.id, residentId: 'server', idempotencyKey: randomUUID() }, serviceOf('qibao-a')))).toBe('FORBIDDEN');
    expect(code(await call(SETTLE, 'settleHoursHold', { communityId: 'qibao-a', holdId: hold.id, residentId: 'server', idempotencyKey: randomUUID() }, serviceOf('qibao-a')))).toBe('NOT_FOUND');

    const settle = { communityId: 'qibao-b', holdId: hold.id, residentId: 'server', idempotencyKey: randomUUID() };
    const paid = ok(await call(SETTLE, 'settleHoursHold', settle, serviceOf('qibao-b')), 'settleHoursHold');
    expect(paid).toMatchObject({ id: settle.idempotencyKey, code: 'TRANSFER', amount: 2, reference: 'timebank:qibao-b:req-1' });
    expect(ok(await call(SETTLE, 'settleHoursHold', settle, serviceOf('qibao-b')), 'settleHoursHold').id).toBe(paid.id);
    expect(await hours('payer')).toBe(4);
    expect(await hours('server', 'qibao-b')).toBe(2);
  });
});
