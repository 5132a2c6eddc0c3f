import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';
import { ACCOUNT_FIELDS, admin, expectSoundLedger, fork, issue, transferCount, type AccountData, type TransferData } from '../../test/ledger.js';
import { LedgerUnit } from './account.entity.js';
import * as ledger from './ledger.service.js';
import { TransferCode } from './transfer.entity.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_ledger');
  await h.register({ id: 'qibao-a' }, { id: 'qibao-b' }, { id: 'pause-c' });
});
afterEach(async () => {
  await expectSoundLedger(h);
});
afterAll(async () => {
  await h?.close();
});

const resident = (communityId: string, userId: string) => viewers.resident(communityId, userId);
const MY_ACCOUNTS = `{ myAccounts { ${ACCOUNT_FIELDS} } }`;
const ACCOUNT = `query($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String) {
  account(id: $id) { id transfers(first: $first, after: $after) { edges { cursor node { id amount code createdAt } } pageInfo { hasNextPage endCursor } } }
}`;

async function myAccounts(userId: string, communityId = 'qibao-a'): Promise<AccountData[]> {
  const res = await h.request<{ myAccounts: AccountData[] }>(MY_ACCOUNTS, {}, resident(communityId, userId));
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.myAccounts ?? [];
}

async function issued(communityId: string, input: Parameters<typeof issue>[2]): Promise<TransferData> {
  const body = await issue(h, admin(communityId), input);
  if (!body.data?.issueCredit) throw new Error(`issuing failed: ${JSON.stringify(body.errors)}`);
  return body.data.issueCredit;
}

describe('issuing credit', () => {
  it('lets a community admin credit a resident of their community from its issuance account', async () => {
    const key = randomUUID();
    const transfer = await issued('qibao-a', { residentId: 'li-lei', amount: 120, memo: '垃圾分类积分兑换', idempotencyKey: key });
    expect(transfer).toMatchObject({
      id: key,
      code: 'ISSUE',
      amount: 120,
      unit: 'CREDIT',
      phase: 'SINGLE_PHASE',
      state: 'POSTED',
      pendingId: null,
      memo: '垃圾分类积分兑换',
      reference: null,
      timeoutAt: null,
    });
    const [account] = await myAccounts('li-lei');
    expect(account).toMatchObject({
      id: transfer.creditAccountId,
      kind: 'RESIDENT',
      unit: 'CREDIT',
      holderId: 'li-lei',
      communityId: 'qibao-a',
      balance: 120,
      pending: 0,
      available: 120,
      limit: 0,
    });
    const issuance = await h.request<{ account: AccountData }>(ACCOUNT, { id: transfer.debitAccountId }, admin('qibao-a'));
    expect(issuance.body.data?.account).toMatchObject({ kind: 'COMMUNITY_ISSUANCE', holderId: 'qibao-a', communityId: 'qibao-a', limit: null });
    expect(issuance.body.data?.account.balance).toBeLessThanOrEqual(-120);
  });

  it('keeps hours apart from credit: HOUR goes to the resident\'s HOUR account', async () => {
    await issued('qibao-a', { residentId: 'han-meimei', amount: 3, unit: 'HOUR' });
    await issued('qibao-a', { residentId: 'han-meimei', amount: 40 });
    const accounts = await myAccounts('han-meimei');
    expect(accounts.map((a) => [a.unit, a.balance])).toEqual([
      ['CREDIT', 40],
      ['HOUR', 3],
    ]);
  });

  it('returns the first transfer for a retry with the same key, and moves the credit once', async () => {
    const input = { residentId: 'retry-user', amount: 25, memo: 'once', idempotencyKey: randomUUID() };
    const first = await issued('qibao-a', input);
    const count = await transferCount(h);
    const again = await issued('qibao-a', input);
    expect(again).toEqual(first);
    expect(await transferCount(h)).toBe(count);
    expect((await myAccounts('retry-user'))[0]?.balance).toBe(25);
  });

  it('moves the credit once when the same request arrives ten times at once', async () => {
    const input = { residentId: 'burst-user', amount: 7, idempotencyKey: randomUUID() };
    const bodies = await Promise.all(Array.from({ length: 10 }, () => issue(h, admin('qibao-a'), input)));
    for (const body of bodies) expect(body.errors).toBeUndefined();
    expect(new Set(bodies.map((b) => b.data?.issueCredit.id))).toEqual(new Set([input.idempotencyKey]));
    expect((await myAccounts('burst-user'))[0]?.balance).toBe(7);
  });

  it('answers CONFLICT TRANSFER_ID_REUSED when a key comes back with another amount, and changes nothing', async () => {
    const input = { residentId: 'reuse-user', amount: 10, idempotencyKey: randomUUID() };
    await issued('qibao-a', input);
    const body = await issue(h, admin('qibao-a'), { ...input, amount: 11 });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TRANSFER_ID_REUSED', transferId: input.idempotencyKey });
    expect((await myAccounts('reuse-user'))[0]?.balance).toBe(10);
  });

  it('answers FORBIDDEN to staff, residents and federation admins, UNAUTHENTICATED to anonymous visitors, and writes nothing', async () => {
    const count = await transferCount(h);
    for (const viewer of [viewers.staff('qibao-a'), resident('qibao-a', 'nobody'), viewers.federationAdmin, viewers.gateway]) {
      const body = await issue(h, viewer, { residentId: 'target-user' });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await issue(h, viewers.anonymous, { residentId: 'target-user' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await transferCount(h)).toBe(count);
    expect(await myAccounts('target-user')).toEqual([]);
  });

  it('answers FORBIDDEN to the admin of another community crediting a resident of this one', async () => {
    await issued('qibao-a', { residentId: 'a-resident', amount: 5 });
    const count = await transferCount(h);
    const body = await issue(h, admin('qibao-b'), { residentId: 'a-resident', amount: 1000 });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', residentId: 'a-resident', communityId: 'qibao-b' });
    expect(await transferCount(h)).toBe(count);
    expect((await myAccounts('a-resident'))[0]?.balance).toBe(5);
  });

  it('answers FORBIDDEN to the admin of a suspended community', async () => {
    await h.request(`mutation { suspendCommunity(id: "pause-c") { id } }`, {}, viewers.federationAdmin);
    const body = await issue(h, admin('pause-c'), { residentId: 'c-resident' });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', communityId: 'pause-c', reason: 'SUSPENDED' });
    await h.request(`mutation { reactivateCommunity(id: "pause-c") { id } }`, {}, viewers.federationAdmin);
    expect((await issue(h, admin('pause-c'), { residentId: 'c-resident' })).errors).toBeUndefined();
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['a zero amount', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['an amount over 1,000,000', { amount: 1_000_001 }],
    ['an idempotency key that is not a UUID', { idempotencyKey: 'key-123456789' }],
    ['an empty resident id', { residentId: '' }],
    ['a memo over 500 characters', { memo: '长'.repeat(501) }],
  ];
  it.each(invalid)('answers BAD_USER_INPUT for %s, and writes nothing', async (_name, overrides) => {
    const count = await transferCount(h);
    const body = await issue(h, admin('qibao-a'), { residentId: 'invalid-user', ...overrides });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await transferCount(h)).toBe(count);
  });

  it('accepts the bounds 1 and 1,000,000', async () => {
    expect((await issue(h, admin('qibao-b'), { residentId: 'bounds-user', amount: 1 })).errors).toBeUndefined();
    expect((await issue(h, admin('qibao-b'), { residentId: 'bounds-user', amount: 1_000_000 })).errors).toBeUndefined();
    expect((await myAccounts('bounds-user', 'qibao-b'))[0]?.balance).toBe(1_000_001);
  });
});

describe('reading accounts', () => {
  let mine: TransferData;
  beforeAll(async () => {
    mine = await issued('qibao-a', { residentId: 'private-user', amount: 50 });
  });

  it('answers UNAUTHENTICATED to anonymous visitors, for myAccounts and account', async () => {
    const list = await h.request(MY_ACCOUNTS, {}, viewers.anonymous);
    expect(list.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const one = await h.request(ACCOUNT, { id: mine.creditAccountId }, viewers.anonymous);
    expect(one.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('gives a new resident no accounts until they are first credited', async () => {
    expect(await myAccounts(`new-${randomUUID()}`)).toEqual([]);
  });

  it('shows a resident their own account', async () => {
    const res = await h.request<{ account: AccountData }>(ACCOUNT, { id: mine.creditAccountId }, resident('qibao-a', 'private-user'));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.account).toMatchObject({ holderId: 'private-user', balance: 50 });
  });

  it('keeps a resident\'s balance from neighbours, their community\'s staff and admins, and other communities', async () => {
    for (const viewer of [resident('qibao-a', 'nosy-neighbour'), viewers.staff('qibao-a'), admin('qibao-a'), resident('qibao-b', 'far-away'), viewers.staff('qibao-b')]) {
      const res = await h.request<{ account: AccountData | null }>(ACCOUNT, { id: mine.creditAccountId }, viewer);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', accountId: mine.creditAccountId });
      expect(res.body.data?.account ?? null).toBeNull();
      expect(JSON.stringify(res.body)).not.toContain('"balance"');
    }
  });

  it('shows a community\'s accounts to its staff and admins only', async () => {
    for (const viewer of [viewers.staff('qibao-a'), admin('qibao-a')]) {
      const res = await h.request<{ account: AccountData }>(ACCOUNT, { id: mine.debitAccountId }, viewer);
      expect(res.body.data?.account.kind).toBe('COMMUNITY_ISSUANCE');
    }
    for (const viewer of [resident('qibao-a', 'private-user'), viewers.staff('qibao-b'), admin('qibao-b')]) {
      const res = await h.request(ACCOUNT, { id: mine.debitAccountId }, viewer);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('shows every account to federation admins and to Linli services', async () => {
    const federation = await ledger.federationAccount(fork(h), LedgerUnit.CREDIT);
    for (const id of [mine.creditAccountId, mine.debitAccountId, federation.id]) {
      for (const viewer of [viewers.federationAdmin, viewers.gateway]) {
        const res = await h.request<{ account: AccountData }>(ACCOUNT, { id }, viewer);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data?.account.id).toBe(id);
      }
    }
    const denied = await h.request(ACCOUNT, { id: federation.id }, admin('qibao-a'));
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers null for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await h.request<{ account: null }>(ACCOUNT, { id }, viewers.federationAdmin);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.account).toBeNull();
    }
  });

  it('guards entity references as account(id) does, and batches them into one query', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on LedgerAccount { id balance } } }`;
    const r = [
      { __typename: 'LedgerAccount', id: mine.creditAccountId },
      { __typename: 'LedgerAccount', id: '00000000-0000-4000-8000-000000000000' },
      { __typename: 'LedgerAccount', id: mine.debitAccountId },
    ];
    const execute = vi.spyOn(h.subgraph.orm.em.getConnection(), 'execute');
    try {
      const allowed = await h.request<{ _entities: Array<{ id: string; balance: number } | null> }>(query, { r }, viewers.gateway);
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data?._entities.map((e) => e?.id ?? null)).toEqual([mine.creditAccountId, null, mine.debitAccountId]);
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
    const nosy = await h.request<{ _entities: unknown[] }>(query, { r: [r[0]] }, resident('qibao-a', 'nosy-neighbour'));
    expect(nosy.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(nosy.body)).not.toContain('"balance"');
  });
});

describe('an account\'s transfers', () => {
  it('pages through them newest first with stable cursors', async () => {
    const userId = `history-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 1; i <= 25; i += 1) ids.push((await issued('qibao-b', { residentId: userId, amount: i })).id);
    const accountId = (await myAccounts(userId, 'qibao-b'))[0]?.id;
    type Page = { account: { transfers: { edges: Array<{ cursor: string; node: { id: string; amount: number; createdAt: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
    const seen: Array<{ id: string; amount: number; createdAt: string }> = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: { body: { data?: Page | null; errors?: unknown[] } } = await h.request<Page>(HISTORY, { id: accountId, first: 10, after }, resident('qibao-b', userId));
      expect(res.body.errors).toBeUndefined();
      const connection = res.body.data?.account.transfers;
      if (!connection) throw new Error('no page');
      pages += 1;
      seen.push(...connection.edges.map((e) => e.node));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.map((t) => t.id)).toEqual([...ids].reverse());
    expect(seen.map((t) => t.amount)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it('includes both sides: a transfer out shows on the payer\'s and the payee\'s history', async () => {
    const payer = (await ledger.residentAccount(fork(h), 'payer', 'qibao-a', LedgerUnit.CREDIT)).id;
    await ledger.issueCredit(fork(h), { communityId: 'qibao-a', residentId: 'payer', amount: 9, unit: LedgerUnit.CREDIT, transferId: randomUUID() });
    const revenue = await ledger.communityRevenueAccount(fork(h), 'qibao-b', LedgerUnit.CREDIT);
    const t = await ledger.createTransfer(fork(h), { id: randomUUID(), debitAccountId: payer, creditAccountId: revenue.id, amount: 4, unit: LedgerUnit.CREDIT, code: TransferCode.BOOKING, reference: 'booking-1' });
    const mineRes = await h.request<{ account: { transfers: { edges: Array<{ node: { id: string } }> } } }>(HISTORY, { id: payer, first: 5 }, resident('qibao-a', 'payer'));
    expect(mineRes.body.data?.account.transfers.edges[0]?.node.id).toBe(t.id);
    const theirs = await h.request<{ account: { transfers: { edges: Array<{ node: { id: string } }> } } }>(HISTORY, { id: revenue.id }, viewers.staff('qibao-b'));
    expect(theirs.body.data?.account.transfers.edges.map((e) => e.node.id)).toEqual([t.id]);
  });

  it('answers BAD_USER_INPUT for a page size out of range or a malformed cursor', async () => {
    const { creditAccountId } = await issued('qibao-a', { residentId: 'pager', amount: 1 });
    for (const args of [{ first: 0 }, { first: 101 }, { after: 'garbage' }]) {
      const res = await h.request(HISTORY, { id: creditAccountId, ...args }, resident('qibao-a', 'pager'));
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('shows pending transfers as PENDING, and as EXPIRED once past their timeout', async () => {
    const payer = await ledger.residentAccount(fork(h), 'holder', 'qibao-a', LedgerUnit.CREDIT);
    await ledger.issueCredit(fork(h), { communityId: 'qibao-a', residentId: 'holder', amount: 10, unit: LedgerUnit.CREDIT, transferId: randomUUID() });
    const revenue = await ledger.communityRevenueAccount(fork(h), 'qibao-b', LedgerUnit.CREDIT);
    const base = { debitAccountId: payer.id, creditAccountId: revenue.id, unit: LedgerUnit.CREDIT, code: TransferCode.BOOKING, amount: 3 };
    const live = await ledger.createTransfer(fork(h), { ...base, id: randomUUID(), pending: { timeoutSeconds: 3600 } });
    const past = await ledger.createTransfer(fork(h), { ...base, id: randomUUID(), pending: { timeoutSeconds: 60 } }, new Date(Date.now() - 120_000));
    const res = await h.request<{ account: AccountData & { transfers: { edges: Array<{ node: { id: string; state: string; phase: string; timeoutAt: string } }> } } }>(
      `query($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} transfers(first: 3) { edges { node { id state phase timeoutAt } } } } }`,
      { id: payer.id },
      resident('qibao-a', 'holder'),
    );
    expect(res.body.errors).toBeUndefined();
    const byId = new Map(res.body.data?.account.transfers.edges.map((e) => [e.node.id, e.node]));
    expect(byId.get(live.id)).toMatchObject({ phase: 'PENDING', state: 'PENDING' });
    expect(byId.get(past.id)).toMatchObject({ phase: 'PENDING', state: 'EXPIRED' });
    // Until the sweeper or a post voids it, the expired one still holds its amount.
    expect(res.body.data?.account).toMatchObject({ balance: 10, pending: 6, available: 4 });
    expect(await ledger.expirePendingTransfers(fork(h))).toBeGreaterThanOrEqual(1);
    expect(await ledger.pendingState(fork(h), past.id)).toBe('EXPIRED');
    await ledger.voidPendingTransfer(fork(h), { id: randomUUID(), pendingId: live.id });
  });
});
