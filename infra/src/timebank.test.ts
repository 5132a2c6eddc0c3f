import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExchangeLedger } from './test/bookings.js';
import { errorOf, eventually, ledgerBalance, must, seedCommunityDemo } from './test/community.js';
import { Role, startE2E, type E2E } from './test/e2e.js';

/**
 * The time bank through the gateway, every service a real process: an elder's hours
 * confirmed by her daughter (who lives in another community), the volunteer spending them
 * on care for his own mother in the next community, donated hours allocated to elders living
 * alone first — and service history kept from other communities.
 */
const A = 'qibao-a';
const B = 'qibao-b';
const HOUR = 3_600_000;
let e2e: E2E;

const staffOf = (c: string) => e2e.token(`staff-${c}`, c, [Role.RESIDENT, Role.COMMUNITY_STAFF]);
const resident = (id: string, home = A) => e2e.token(id, home, [Role.RESIDENT]);

const RECORD = 'id status hours payment bankedTo transferId';
const LOG = `mutation($c: ID!, $input: LogServiceInput!) { logService(communityId: $c, input: $input) { ${RECORD} } }`;
const CONFIRM = `mutation($c: ID!, $id: ID!) { confirmService(communityId: $c, id: $id) { ${RECORD} } }`;

type RecordView = { id: string; status: string; hours: number; payment: string | null; bankedTo: string | null; transferId: string | null };

beforeAll(async () => {
  e2e = await startE2E('e2e_timebank', { communityEnv: { SCHEDULER_INTERVAL_MS: '300' } });
  // The demo's own volunteers and elders (one of them living alone) are there too.
  await seedCommunityDemo(e2e);
}, 180_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

async function volunteer(communityId: string, userId: string): Promise<string> {
  const token = resident(userId, communityId);
  await must(e2e, `mutation($c: ID!, $input: VolunteerInput!) { registerVolunteer(communityId: $c, input: $input) { userId } }`, { c: communityId, input: { displayName: userId, skills: ['HOME_CARE', 'COMPANIONSHIP'], availability: '工作日下午' } }, token);
  return token;
}

async function recipient(communityId: string, userId: string, livesAlone: boolean, proxies: Array<[string, string]> = []): Promise<void> {
  await must(e2e, `mutation($c: ID!, $input: RecipientInput!) { registerServiceRecipient(communityId: $c, input: $input) { userId } }`, { c: communityId, input: { userId, displayName: `老人 ${userId}`, livesAlone } }, staffOf(communityId));
  for (const [proxyId, relation] of proxies) {
    await must(e2e, `mutation($c: ID!, $input: ProxyInput!) { addRecipientProxy(communityId: $c, input: $input) { id } }`, { c: communityId, input: { recipientId: userId, proxyId, relation } }, staffOf(communityId));
  }
}

async function log(communityId: string, token: string, recipientId: string, hours: number, requestId?: string): Promise<RecordView> {
  const endsAt = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const input = { recipientId, requestId, serviceType: 'HOME_CARE', startsAt: new Date(endsAt - hours * HOUR), endsAt: new Date(endsAt), note: '打扫卫生、陪同聊天', idempotencyKey: randomUUID() };
  return (await must<{ logService: RecordView }>(e2e, LOG, { c: communityId, input }, token)).logService;
}

async function confirm(communityId: string, token: string, id: string): Promise<RecordView> {
  return (await must<{ confirmService: RecordView }>(e2e, CONFIRM, { c: communityId, id }, token)).confirmService;
}

async function fund(communityId: string): Promise<number> {
  const data = await must<{ communityFund: { balance: number } }>(e2e, `query($c: ID!) { communityFund(communityId: $c) { balance } }`, { c: communityId }, staffOf(communityId));
  return data.communityFund.balance;
}

describe('the time bank across communities', () => {
  it('credits a volunteer\'s hours once the elder\'s proxy confirms, and the volunteer spends them in another community', async () => {
    // In A: Xiao Wang looks after Grandma Li, who lives alone; her daughter lives in B.
    const xiaoWang = await volunteer(A, 'e2e-xiao-wang');
    await recipient(A, 'e2e-grandma-li', true, [['e2e-daughter-li', 'FAMILY']]);
    const record = await log(A, xiaoWang, 'e2e-grandma-li', 2);
    expect(record.status).toBe('LOGGED');

    // Neither the volunteer nor a stranger may confirm it.
    for (const token of [xiaoWang, resident('e2e-stranger'), staffOf(B)]) {
      expect(errorOf(await e2e.gql(CONFIRM, { c: A, id: record.id }, token))?.code).toBe('FORBIDDEN');
    }
    const daughter = resident('e2e-daughter-li', B);
    expect(await confirm(A, daughter, record.id)).toMatchObject({ status: 'CREDITED', payment: 'ISSUED', bankedTo: 'VOLUNTEER' });
    expect(await ledgerBalance(e2e, xiaoWang, 'HOUR')).toEqual({ balance: 2, pending: 0 });

    // In B: his own mother needs company. He sets two of his hours aside for B's time bank…
    await recipient(B, 'e2e-mother-wang', false, [['e2e-xiao-wang', 'FAMILY']]);
    const requestKey = randomUUID();
    const hold = await must<{ holdHours: { id: string; state: string } }>(
      e2e,
      `mutation($input: HoldHoursInput!) { holdHours(input: $input) { id state } }`,
      { input: { communityId: B, hours: 2, reference: `timebank:${B}:${requestKey}`, idempotencyKey: randomUUID() } },
      xiaoWang,
    );
    expect(hold.holdHours.state).toBe('PENDING');
    expect(await ledgerBalance(e2e, xiaoWang, 'HOUR')).toEqual({ balance: 2, pending: 2 });
    // …and asks B for the service, paid from the hold.
    const request = await must<{ requestService: { id: string } }>(
      e2e,
      `mutation($c: ID!, $input: ServiceRequestInput!) { requestService(communityId: $c, input: $input) { id } }`,
      { c: B, input: { recipientId: 'e2e-mother-wang', serviceType: 'COMPANIONSHIP', description: '陪妈妈散步', hours: 2, holdId: hold.holdHours.id, idempotencyKey: requestKey } },
      xiaoWang,
    );
    // A volunteer of B serves her; Xiao Wang, her proxy, confirms from A.
    const xiaoZhao = await volunteer(B, 'e2e-xiao-zhao');
    const served = await log(B, xiaoZhao, 'e2e-mother-wang', 2, request.requestService.id);
    expect(await confirm(B, xiaoWang, served.id)).toMatchObject({ status: 'CREDITED', payment: 'HOURS_HOLD', bankedTo: 'VOLUNTEER' });
    expect(await ledgerBalance(e2e, xiaoWang, 'HOUR')).toEqual({ balance: 0, pending: 0 });
    expect(await ledgerBalance(e2e, xiaoZhao, 'HOUR')).toEqual({ balance: 2, pending: 0 });

    const audit = await auditExchangeLedger(e2e);
    expect(audit.mismatches).toEqual([]);
    expect(audit.sumByUnit.HOUR ?? 0).toBe(0);
  }, 60_000);

  it('allocates donated hours to elders living alone first, and pays their volunteers from the fund', async () => {
    const helper = await volunteer(A, 'e2e-helper');
    await recipient(A, 'e2e-grandpa-zhou', false);
    await confirm(A, resident('e2e-grandpa-zhou'), (await log(A, helper, 'e2e-grandpa-zhou', 6)).id);
    // The helper gives five of his six hours to A's fund.
    await must(e2e, `mutation($input: DonateHoursInput!) { donateHours(input: $input) { id } }`, { input: { hours: 5, idempotencyKey: randomUUID() } }, helper);
    expect(await ledgerBalance(e2e, helper, 'HOUR')).toEqual({ balance: 1, pending: 0 });
    const before = await fund(A);
    expect(before).toBeGreaterThanOrEqual(5);

    await recipient(A, 'e2e-grandma-chen', true);
    const recipients = await must<{ serviceRecipients: Array<{ userId: string; livesAlone: boolean; fundHoursLeft: number }> }>(
      e2e,
      `query($c: ID!) { serviceRecipients(communityId: $c) { userId livesAlone fundHoursLeft } }`,
      { c: A },
      staffOf(A),
    );
    const waiting = recipients.serviceRecipients.filter((r) => r.livesAlone && r.fundHoursLeft === 0).map((r) => r.userId);
    expect(waiting).toEqual(expect.arrayContaining(['e2e-grandma-li', 'e2e-grandma-chen', 'elder-a1']));
    const allocate = (recipientId: string, hours: number) =>
      e2e.gql<{ allocateFundHours: { hours: number } }>(
        `mutation($c: ID!, $input: AllocateFundHoursInput!) { allocateFundHours(communityId: $c, input: $input) { hours } }`,
        { c: A, input: { recipientId, hours, idempotencyKey: randomUUID() } },
        staffOf(A),
      );
    // Grandpa Zhou has family: every elder living alone (Grandma Li, Grandma Chen, Granny Zhou of the demo) comes first.
    expect(errorOf(await allocate('e2e-grandpa-zhou', 1))).toMatchObject({ code: 'CONFLICT', reason: 'LIVING_ALONE_FIRST', waiting: waiting.length });
    for (const elder of waiting) expect((await allocate(elder, elder === 'e2e-grandma-chen' ? 2 : 1)).errors).toBeUndefined();
    expect(errorOf(await allocate('e2e-grandpa-zhou', before))).toMatchObject({ code: 'CONFLICT', reason: 'FUND_SHORT' });

    const record = await confirm(A, resident('e2e-grandma-chen'), (await log(A, helper, 'e2e-grandma-chen', 2)).id);
    expect(record).toMatchObject({ status: 'CREDITED', payment: 'FUND', bankedTo: 'VOLUNTEER' });
    expect(await fund(A)).toBe(before - 2);
    expect(await ledgerBalance(e2e, helper, 'HOUR')).toEqual({ balance: 3, pending: 0 });
    expect((await auditExchangeLedger(e2e)).mismatches).toEqual([]);
  }, 60_000);

  it('banks the demo volunteers\' confirmed services in the shared ledger once the community runs', async () => {
    const volunteer1 = resident('volunteer-a1');
    // The community credits each confirmed service through its outbox, one call at a time.
    await eventually(() => ledgerBalance(e2e, volunteer1, 'HOUR'), (b) => b.balance === 4);
    await eventually(() => ledgerBalance(e2e, resident('volunteer-a2'), 'HOUR'), (b) => b.balance === 4);
    expect(await ledgerBalance(e2e, resident('volunteer-a2'), 'HOUR')).toEqual({ balance: 4, pending: 0 });
  }, 60_000);

  it('keeps service history from other communities, and lets the federation see aggregates only', async () => {
    const history = `query($c: ID!) { serviceRecords(communityId: $c) { id volunteerId } }`;
    for (const token of [staffOf(B), e2e.token('admin-c', 'qibao-c', [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN]), resident('e2e-nosy')]) {
      const res = await e2e.gql<{ serviceRecords: unknown }>(history, { c: A }, token);
      expect(errorOf(res)?.code).toBe('FORBIDDEN');
      expect(res.data?.serviceRecords ?? null).toBeNull();
    }
    const mine = await must<{ myServiceRecords: unknown[] }>(e2e, `query($c: ID!) { myServiceRecords(communityId: $c) { id } }`, { c: A }, resident('e2e-nosy', B));
    expect(mine.myServiceRecords).toEqual([]);
    const month = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
    const stats = await must<{ community: { volunteerStats: { hoursServed: number; volunteers: number } } }>(
      e2e,
      `query($id: ID!, $m: String!) { community(id: $id) { volunteerStats(month: $m) { volunteers hoursServed } } }`,
      { id: A, m: month },
      staffOf(B),
    );
    expect(stats.community.volunteerStats.volunteers).toBeGreaterThanOrEqual(2 + 3);
    expect(stats.community.volunteerStats.hoursServed).toBeGreaterThanOrEqual(2 + 6 + 2);
  }, 60_000);
});
