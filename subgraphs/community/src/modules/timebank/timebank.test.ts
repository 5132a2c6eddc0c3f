import { ManualClock, MemoryEventPublisher, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../../test/exchange.js';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { errorOf, ok, people } from '../../test/points.js';

const COMMUNITY = 'test-timebank';
const { admin, staff, resident } = people(COMMUNITY);
const elsewhere = people('test-other');
const HOUR = 3_600_000;
/** 10:00 on 10 March 2026 in Shanghai. */
const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
const events = new MemoryEventPublisher();
const exchange = new FakeExchange();

const RECORD = 'id status hours volunteerId payment bankedTo transferId creditRefusal decidedBy recipient { userId displayName livesAlone } request { id status }';
const LOG = `mutation($c: ID!, $input: LogServiceInput!) { logService(communityId: $c, input: $input) { ${RECORD} } }`;
const CONFIRM = `mutation($c: ID!, $id: ID!) { confirmService(communityId: $c, id: $id) { ${RECORD} } }`;
const DISPUTE = `mutation($c: ID!, $id: ID!, $reason: String!) { disputeService(communityId: $c, id: $id, reason: $reason) { ${RECORD} } }`;
const REQUEST = `mutation($c: ID!, $input: ServiceRequestInput!) { requestService(communityId: $c, input: $input) { id status hours holdId } }`;
const ALLOCATE = `mutation($c: ID!, $input: AllocateFundHoursInput!) { allocateFundHours(communityId: $c, input: $input) { id hours recipient { userId fundHoursLeft } } }`;

interface RecordView {
  id: string;
  status: string;
  hours: number;
  payment: string | null;
  bankedTo: string | null;
  transferId: string | null;
  creditRefusal: string | null;
  decidedBy: string | null;
  recipient: { userId: string; displayName: string; livesAlone: boolean | null };
  request: { id: string; status: string } | null;
}

let h: CommunityHarness;
let keys = 0;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock, events, exchange });
});
afterAll(async () => {
  await h?.close();
});

async function volunteer(userId: string): Promise<Viewer> {
  const viewer = resident(userId);
  await ok(h, `mutation($c: ID!, $input: VolunteerInput!) { registerVolunteer(communityId: $c, input: $input) { userId } }`, { c: COMMUNITY, input: { displayName: userId, skills: ['HOME_CARE', 'COMPANIONSHIP'], availability: '周二、周四下午' } }, viewer);
  return viewer;
}

async function recipient(userId: string, livesAlone: boolean, proxies: Array<[string, string]> = []): Promise<void> {
  await ok(h, `mutation($c: ID!, $input: RecipientInput!) { registerServiceRecipient(communityId: $c, input: $input) { userId } }`, { c: COMMUNITY, input: { userId, displayName: `老人 ${userId}`, livesAlone } }, staff);
  for (const [proxyId, relation] of proxies) {
    await ok(h, `mutation($c: ID!, $input: ProxyInput!) { addRecipientProxy(communityId: $c, input: $input) { id recipientId } }`, { c: COMMUNITY, input: { recipientId: userId, proxyId, relation } }, staff);
  }
}

function log(viewer: Viewer, recipientId: string, hours = 2, extra: Record<string, unknown> = {}) {
  const endsAt = new Date(clock.now().getTime() - HOUR);
  const startsAt = new Date(endsAt.getTime() - hours * HOUR);
  return h.request<{ logService: RecordView }>(LOG, { c: COMMUNITY, input: { recipientId, serviceType: 'HOME_CARE', startsAt, endsAt, note: '打扫、买菜', idempotencyKey: `log-${++keys}`, ...extra } }, viewer);
}

async function logged(viewer: Viewer, recipientId: string, hours = 2, extra: Record<string, unknown> = {}): Promise<RecordView> {
  const res = await log(viewer, recipientId, hours, extra);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.logService;
}

function confirm(viewer: Viewer, id: string) {
  return h.request<{ confirmService: RecordView }>(CONFIRM, { c: COMMUNITY, id }, viewer);
}

async function confirmed(viewer: Viewer, id: string): Promise<RecordView> {
  const res = await confirm(viewer, id);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.confirmService;
}

describe('service records', () => {
  it('are confirmed by the elder\'s proxy and credited to the volunteer, once', async () => {
    const xiaoWang = await volunteer('xiao-wang');
    // The daughter lives in another community: a proxy need not be a resident here.
    await recipient('grandma-li', true, [['daughter-li', 'FAMILY']]);
    const record = await logged(xiaoWang, 'grandma-li');
    expect(record).toMatchObject({ status: 'LOGGED', hours: 2, volunteerId: 'xiao-wang', payment: null });

    for (const viewer of [xiaoWang, resident('neighbour'), staff, elsewhere.staff]) {
      expect(errorOf((await confirm(viewer, record.id)).body)?.code, viewer.userId!).toBe('FORBIDDEN');
    }
    const done = await confirmed(elsewhere.resident('daughter-li'), record.id);
    expect(done).toMatchObject({ status: 'CREDITED', payment: 'ISSUED', bankedTo: 'VOLUNTEER', decidedBy: 'daughter-li', transferId: expect.any(String) });
    expect(done.recipient.livesAlone).toBeNull(); // staff only
    expect(exchange.balance('xiao-wang')).toBe(2);

    const again = await confirmed(elsewhere.resident('daughter-li'), record.id);
    expect(again.transferId).toBe(done.transferId);
    expect(exchange.balance('xiao-wang')).toBe(2);
    expect(events.events.filter((e) => e.subjectId === record.id).map((e) => [e.type, Object.keys(e.data ?? {})])).toEqual([
      ['service.confirmed', ['volunteerId', 'recipientId']],
      ['hours.credited', ['volunteerId', 'transferId']],
    ]);
  });

  it('can be confirmed by the elder themselves, never by the volunteer even when they are also a proxy', async () => {
    const v = await volunteer('nephew');
    await recipient('uncle-zhang', false, [['nephew', 'FAMILY']]);
    const record = await logged(v, 'uncle-zhang', 1);
    expect(errorOf((await confirm(v, record.id)).body)?.code).toBe('FORBIDDEN');
    expect((await confirmed(resident('uncle-zhang'), record.id)).status).toBe('CREDITED');
  });

  it('refuses services that are not whole hours, in the future, to oneself, or by a non-volunteer', async () => {
    const v = await volunteer('careful');
    await recipient('grandpa-wu', true);
    const now = clock.now().getTime();
    const cases: Array<[string, Viewer, string, Record<string, unknown>, string]> = [
      ['90 minutes', v, 'grandpa-wu', { startsAt: new Date(now - 3 * HOUR), endsAt: new Date(now - 1.5 * HOUR) }, 'BAD_USER_INPUT'],
      ['in the future', v, 'grandpa-wu', { startsAt: new Date(now + HOUR), endsAt: new Date(now + 2 * HOUR) }, 'BAD_USER_INPUT'],
      ['13 hours', v, 'grandpa-wu', { startsAt: new Date(now - 14 * HOUR), endsAt: new Date(now - HOUR) }, 'BAD_USER_INPUT'],
      ['to oneself', v, 'careful', {}, 'FORBIDDEN'],
      ['not a volunteer', resident('stranger'), 'grandpa-wu', {}, 'FORBIDDEN'],
      ['a resident of another community', elsewhere.resident('careful'), 'grandpa-wu', {}, 'FORBIDDEN'],
    ];
    for (const [label, viewer, to, extra, code] of cases) {
      expect(errorOf((await log(viewer, to, 2, extra)).body)?.code, label).toBe(code);
    }
  });

  it('is disputed by the recipient side, and then cannot be confirmed', async () => {
    const v = await volunteer('disputed-v');
    await recipient('grandma-he', true, [['grid-he', 'GRID_WORKER']]);
    const record = await logged(v, 'grandma-he');
    const res = await h.request<{ disputeService: RecordView }>(DISPUTE, { c: COMMUNITY, id: record.id, reason: '当天没有来' }, resident('grid-he'));
    expect(res.body.data?.disputeService.status).toBe('DISPUTED');
    expect(errorOf((await confirm(resident('grandma-he'), record.id)).body)).toMatchObject({ code: 'CONFLICT', reason: 'RECORD_DECIDED' });
    expect(exchange.balance('disputed-v')).toBe(0);
  });

  it('banks hours over the volunteer\'s cap to the community fund', async () => {
    await ok(h, `mutation($c: ID!) { updateTimebankSettings(communityId: $c, input: { maxBankedHours: 3 }) { maxBankedHours } }`, { c: COMMUNITY }, admin);
    try {
      const v = await volunteer('busy-bee');
      await recipient('grandpa-qian', false);
      const fundBefore = exchange.balance('fund');
      expect((await confirmed(resident('grandpa-qian'), (await logged(v, 'grandpa-qian', 2)).id)).bankedTo).toBe('VOLUNTEER');
      const over = await confirmed(resident('grandpa-qian'), (await logged(v, 'grandpa-qian', 2, { idempotencyKey: 'second' })).id);
      expect(over).toMatchObject({ status: 'CREDITED', payment: 'ISSUED', bankedTo: 'COMMUNITY_FUND' });
      expect(exchange.balance('busy-bee')).toBe(2);
      expect(exchange.balance('fund')).toBe(fundBefore + 2);
    } finally {
      await ok(h, `mutation($c: ID!) { updateTimebankSettings(communityId: $c, input: { maxBankedHours: 100 }) { maxBankedHours } }`, { c: COMMUNITY }, admin);
    }
  });

  it('stays CONFIRMED while the exchange is away, and is credited by the scheduler', async () => {
    const v = await volunteer('patient');
    await recipient('grandma-sun', false);
    const record = await logged(v, 'grandma-sun', 3);
    exchange.down = true;
    expect((await confirmed(resident('grandma-sun'), record.id)).status).toBe('CONFIRMED');
    exchange.down = false;
    clock.advance(5_000);
    await h.subgraph.scheduler.tick();
    const mine = await ok<{ myServiceRecords: RecordView[] }>(h, `query($c: ID!) { myServiceRecords(communityId: $c) { ${RECORD} } }`, { c: COMMUNITY }, v);
    expect(mine.myServiceRecords.map((r) => [r.id, r.status])).toEqual([[record.id, 'CREDITED']]);
    expect(exchange.balance('patient')).toBe(3);
  });
});

describe('paying in hours', () => {
  it('pays the serving volunteer from the payer\'s hold once the service is confirmed', async () => {
    const w = await volunteer('server-w');
    await recipient('mother-of-payer', false, [['payer-p', 'FAMILY']]);
    const payer = elsewhere.resident('payer-p');
    exchange.placeHold('0b5a3f3e-9d65-4c5e-8f0a-000000000001', 'payer-p', 2, 'req-1');
    const bad = await h.request(REQUEST, { c: COMMUNITY, input: { recipientId: 'mother-of-payer', serviceType: 'COMPANIONSHIP', hours: 3, holdId: '0b5a3f3e-9d65-4c5e-8f0a-000000000001', idempotencyKey: 'r-bad' } }, payer);
    expect(errorOf(bad.body)).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_MISMATCH' });
    const missing = await h.request(REQUEST, { c: COMMUNITY, input: { recipientId: 'mother-of-payer', serviceType: 'COMPANIONSHIP', hours: 2, holdId: '0b5a3f3e-9d65-4c5e-8f0a-0000000000ff', idempotencyKey: 'r-missing' } }, payer);
    expect(errorOf(missing.body)?.code).toBe('NOT_FOUND');
    const stranger = await h.request(REQUEST, { c: COMMUNITY, input: { recipientId: 'mother-of-payer', serviceType: 'COMPANIONSHIP', hours: 2, idempotencyKey: 'r-x' } }, elsewhere.resident('stranger'));
    expect(errorOf(stranger.body)?.code).toBe('FORBIDDEN');

    const request = await ok<{ requestService: { id: string; status: string } }>(
      h,
      REQUEST,
      { c: COMMUNITY, input: { recipientId: 'mother-of-payer', serviceType: 'COMPANIONSHIP', description: '陪妈妈聊天、散步', hours: 2, holdId: '0b5a3f3e-9d65-4c5e-8f0a-000000000001', idempotencyKey: 'r-1' } },
      payer,
    );
    const open = await ok<{ serviceRequests: Array<{ id: string }> }>(h, `query($c: ID!) { serviceRequests(communityId: $c) { id hours recipient { userId } } }`, { c: COMMUNITY }, w);
    expect(open.serviceRequests.map((r) => r.id)).toContain(request.requestService.id);
    expect(errorOf((await log(w, 'mother-of-payer', 3, { requestId: request.requestService.id })).body)?.code).toBe('BAD_USER_INPUT');
    const record = await logged(w, 'mother-of-payer', 2, { requestId: request.requestService.id });
    expect(record.request).toEqual({ id: request.requestService.id, status: 'SERVED' });
    const done = await confirmed(payer, record.id);
    expect(done).toMatchObject({ status: 'CREDITED', payment: 'HOURS_HOLD', bankedTo: 'VOLUNTEER' });
    expect(exchange.balance('server-w')).toBe(2);
    expect(exchange.holds.get('0b5a3f3e-9d65-4c5e-8f0a-000000000001')?.state).toBe('POSTED');
  });
});

describe('donated hours', () => {
  it('are allocated to elders living alone first, within what the fund holds, and pay their volunteers', async () => {
    exchange.balances.set('fund:HOUR', 10);
    await recipient('alone-1', true);
    await recipient('with-family', false);
    const allocate = (recipientId: string, hours: number) => h.request<{ allocateFundHours: { hours: number; recipient: { fundHoursLeft: number } } }>(ALLOCATE, { c: COMMUNITY, input: { recipientId, hours, idempotencyKey: `a-${++keys}` } }, staff);
    const first = await allocate('with-family', 2);
    expect(errorOf(first.body)).toMatchObject({ code: 'CONFLICT', reason: 'LIVING_ALONE_FIRST' });
    // Every elder living alone registered so far gets hours first.
    for (const elder of ['grandma-li', 'grandpa-wu', 'grandma-he']) expect((await allocate(elder, 1)).body.errors).toBeUndefined();
    expect((await allocate('alone-1', 3)).body.data?.allocateFundHours.recipient.fundHoursLeft).toBe(3);
    expect(errorOf((await allocate('with-family', 5)).body)).toMatchObject({ code: 'CONFLICT', reason: 'FUND_SHORT', available: 10, outstanding: 6 });
    expect((await allocate('with-family', 4)).body.errors).toBeUndefined();
    expect(errorOf((await h.request(ALLOCATE, { c: COMMUNITY, input: { recipientId: 'alone-1', hours: 1, idempotencyKey: 'x' } }, resident('alone-1'))).body)?.code).toBe('FORBIDDEN');

    const v = await volunteer('fund-paid');
    const record = await confirmed(resident('alone-1'), (await logged(v, 'alone-1', 2)).id);
    expect(record).toMatchObject({ status: 'CREDITED', payment: 'FUND', bankedTo: 'VOLUNTEER' });
    expect(exchange.balance('fund-paid')).toBe(2);
    expect(exchange.balance('fund')).toBe(8);
    // One hour left for her: a two-hour service is issued by the community instead.
    const next = await confirmed(resident('alone-1'), (await logged(v, 'alone-1', 2, { idempotencyKey: 'more' })).id);
    expect(next.payment).toBe('ISSUED');
  });
});

describe('who reads the time bank', () => {
  it('keeps service history from other communities and from neighbours', async () => {
    const records = `query($c: ID!) { serviceRecords(communityId: $c) { id } }`;
    expect(errorOf((await h.request(records, { c: COMMUNITY }, elsewhere.staff)).body)?.code).toBe('FORBIDDEN');
    expect(errorOf((await h.request(records, { c: COMMUNITY }, resident('neighbour'))).body)?.code).toBe('FORBIDDEN');
    const mine = await ok<{ myServiceRecords: unknown[] }>(h, `query($c: ID!) { myServiceRecords(communityId: $c) { id } }`, { c: COMMUNITY }, resident('neighbour'));
    expect(mine.myServiceRecords).toEqual([]);
    const all = await ok<{ serviceRecords: Array<{ id: string }> }>(h, records, { c: COMMUNITY }, staff);
    expect(all.serviceRecords.length).toBeGreaterThan(5);
  });

  it('shows the federation only a month\'s aggregates', async () => {
    const STATS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Community { volunteerStats(month: "2026-03") { month volunteers activeVolunteers servicesConfirmed hoursServed hoursBanked hoursToFund } } } }`;
    const data = await ok<{ _entities: Array<{ volunteerStats: Record<string, number> }> }>(h, STATS, { reps: [{ __typename: 'Community', id: COMMUNITY }] }, elsewhere.resident('anyone'));
    expect(data._entities[0]?.volunteerStats).toMatchObject({ month: '2026-03', hoursToFund: 2 });
    expect(data._entities[0]?.volunteerStats.hoursServed).toBeGreaterThanOrEqual(16);
  });
});
