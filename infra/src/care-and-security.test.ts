import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startE2E, type E2E } from './test/e2e.js';

/**
 * Grids, care and smart security through the gateway, every service its own process, on
 * the seeded demo communities: lifecycles, and who may see what. (SLA escalation with a
 * moved clock is tested in the community subgraph, where the clock can be moved.)
 */
let e2e: E2E;
const A = 'qibao-a';

const staffA = () => e2e.token('staff-a', A, [Role.RESIDENT, Role.COMMUNITY_STAFF]);
const adminA = () => e2e.token('admin-a', A, [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN]);
const securityA = () => e2e.token('security-a', A, [Role.SECURITY_STAFF]);
const residentA = () => e2e.token('resident-a', A, [Role.RESIDENT]);
const staffB = () => e2e.token('staff-b', 'qibao-b', [Role.COMMUNITY_STAFF]);
const securityB = () => e2e.token('security-b', 'qibao-b', [Role.SECURITY_STAFF]);
const residentB = () => e2e.token('resident-b', 'qibao-b', [Role.RESIDENT]);

beforeAll(async () => {
  e2e = await startE2E('e2e_care');
}, 180_000);

afterAll(async () => {
  await e2e?.close();
}, 60_000);

const TRANSITION = `mutation($c: ID!, $input: TransitionCaseInput!) { transitionCase(communityId: $c, input: $input) { status assigneeId } }`;

describe('a case, from a resident\'s report to closing, through the gateway', () => {
  it('follows the lifecycle, records every step, and refuses a step out of order', async () => {
    const grids = await e2e.gql<{ grids: Array<{ id: string; workers: Array<{ userId: string }> }> }>(
      `{ grids(communityId: "${A}") { id workers { userId } } }`,
      {},
      staffA(),
    );
    const grid = grids.data!.grids[0]!;
    const worker = grid.workers[0]!.userId;

    const reported = await e2e.gql<{ reportCase: { id: string; status: string } }>(
      `mutation($c: ID!, $input: ReportCaseInput!) { reportCase(communityId: $c, input: $input) { id status } }`,
      { c: A, input: { category: 'ENVIRONMENT', urgency: 'YELLOW', title: '楼道堆放杂物 (Clutter in the stairwell)', idempotencyKey: randomUUID() } },
      residentA(),
    );
    expect(reported.data?.reportCase.status).toBe('REPORTED');
    const caseId = reported.data!.reportCase.id;

    const steps: Array<[string, Record<string, unknown>, () => string]> = [
      ['REGISTERED', { gridId: grid.id }, staffA],
      ['DISPATCHED', { assigneeId: worker }, staffA],
      ['IN_PROGRESS', {}, staffA],
      ['RESOLVED', { note: '已清理 (Cleared)' }, staffA],
      ['VERIFIED', {}, adminA],
      ['CLOSED', {}, staffA],
    ];
    for (const [to, extra, who] of steps) {
      const res = await e2e.gql<{ transitionCase: { status: string } }>(TRANSITION, { c: A, input: { caseId, to, ...extra } }, who());
      expect(res.errors, to).toBeUndefined();
      expect(res.data!.transitionCase.status).toBe(to);
    }
    const backwards = await e2e.gql(TRANSITION, { c: A, input: { caseId, to: 'IN_PROGRESS' } }, staffA());
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'transition' });

    const evaluated = await e2e.gql(
      `mutation($c: ID!, $input: EvaluateCaseInput!) { evaluateCase(communityId: $c, input: $input) { evaluationScore } }`,
      { c: A, input: { caseId, score: 5, comment: '很及时 (Prompt)' } },
      residentA(),
    );
    expect(evaluated.errors).toBeUndefined();
    const mine = await e2e.gql<{ case: { status: string; history: Array<{ to: string }> } }>(
      `{ case(communityId: "${A}", id: "${caseId}") { status history { to } } }`,
      {},
      residentA(),
    );
    expect(mine.data?.case.status).toBe('CLOSED');
    expect(mine.data!.case.history.map((h) => h.to)).toEqual(expect.arrayContaining(['REGISTERED', 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED', 'CLOSED']));

    // Nobody from another community sees it, staff or not.
    for (const token of [staffB(), residentB()]) {
      const other = await e2e.gql(`{ case(communityId: "${A}", id: "${caseId}") { title } }`, {}, token);
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  }, 60_000);

  it('shows care records\' personal fields to the community\'s staff, audited, and to nobody from elsewhere', async () => {
    const query = `{ careRecipients(communityId: "${A}") { id name phone } }`;
    const staff = await e2e.gql<{ careRecipients: Array<{ id: string; name: string | null; phone: string | null }> }>(query, {}, staffA());
    expect(staff.errors).toBeUndefined();
    const first = staff.data!.careRecipients[0]!;
    expect(first.name).toBeTruthy();

    const otherStaff = await e2e.gql(query, {}, staffB());
    expect(otherStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(otherStaff.data?.careRecipients ?? null).toBeNull();

    const audit = await e2e.gql<{ auditLog: { edges: Array<{ node: { actorId: string; subjectId: string; fields: string[] } }> } }>(
      `query($id: ID!) { auditLog(communityId: "${A}", subjectType: "CareRecipient", subjectId: $id) { edges { node { actorId subjectId fields } } } }`,
      { id: first.id },
      adminA(),
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.auditLog.edges.map((e) => e.node.actorId)).toContain('staff-a');
    const notAdmin = await e2e.gql(`{ auditLog(communityId: "${A}") { edges { node { id } } } }`, {}, staffA());
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 60_000);
});

describe('an alarm from a device, through the gateway', () => {
  it('registers a device, folds repeated signals into one alarm, and walks it to CLOSED', async () => {
    const registered = await e2e.gql<{ registerDevice: { device: { id: string }; secret: string } }>(
      `mutation($c: ID!, $input: RegisterDeviceInput!) { registerDevice(communityId: $c, input: $input) { device { id } secret } }`,
      { c: A, input: { kind: 'SMOKE_DETECTOR', name: '3号楼烟感', nameEn: 'Building 3 smoke detector', location: '3号楼2单元 (Building 3, unit 2)' } },
      securityA(),
    );
    expect(registered.errors).toBeUndefined();
    const device = { deviceId: registered.data!.registerDevice.device.id, secret: registered.data!.registerDevice.secret };

    // The device has no person's token: it calls anonymously with its own credential.
    const raise = (key: string) =>
      e2e.gql<{ raiseAlarm: { alarmId: string; outcome: string; count: number } }>(
        `mutation($c: ID!, $device: DeviceCredentialInput!, $alarm: AlarmSignalInput!) { raiseAlarm(communityId: $c, device: $device, alarm: $alarm) { alarmId outcome count } }`,
        { c: A, device, alarm: { type: 'FIRE_SMOKE', severity: 'CRITICAL', idempotencyKey: key } },
      );
    const first = await raise('smoke-1');
    const again = await raise('smoke-2');
    expect(first.data?.raiseAlarm.outcome).toBe('RAISED');
    expect(again.data?.raiseAlarm).toMatchObject({ outcome: 'FOLDED', alarmId: first.data!.raiseAlarm.alarmId, count: 2 });
    const forged = await e2e.gql(
      `mutation($c: ID!, $device: DeviceCredentialInput!, $alarm: AlarmSignalInput!) { raiseAlarm(communityId: $c, device: $device, alarm: $alarm) { alarmId } }`,
      { c: A, device: { ...device, secret: 'x'.repeat(43) }, alarm: { type: 'FIRE_SMOKE', idempotencyKey: 'forged-1' } },
    );
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'DEVICE_CREDENTIAL' });

    const id = first.data!.raiseAlarm.alarmId;
    for (const to of ['ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE', 'RESOLVED', 'CLOSED']) {
      const res = await e2e.gql<{ transitionAlarm: { status: string } }>(
        `mutation($c: ID!, $id: ID!, $to: AlarmStatus!, $note: String) { transitionAlarm(communityId: $c, id: $id, to: $to, note: $note) { status } }`,
        { c: A, id, to, note: to === 'RESOLVED' ? '误触，已复位 (Steam from cooking; reset)' : null },
        securityA(),
      );
      expect(res.errors, to).toBeUndefined();
      expect(res.data!.transitionAlarm.status).toBe(to);
    }

    // Alarms are for this community's security and staff: not its residents, not B's security.
    for (const token of [residentA(), securityB()]) {
      const res = await e2e.gql(`{ alarms(communityId: "${A}") { edges { node { id } } } }`, {}, token);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // The federation sees only counts.
    const stats = await e2e.gql<{ community: { safetyStats: { totalAlarms: number } } }>(
      `{ community(id: "${A}") { safetyStats(month: "${new Date().toISOString().slice(0, 7)}") { totalAlarms } } }`,
      {},
      staffB(),
    );
    expect(stats.data!.community.safetyStats.totalAlarms).toBeGreaterThan(0);
  }, 60_000);
});
