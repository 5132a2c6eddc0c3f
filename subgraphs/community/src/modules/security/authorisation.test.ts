import { ManualClock, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { errorOf, raiseOk, recordAccess, registerDevice, viewersOf, type DeviceCredential } from '../../test/security.js';

const COMMUNITY = 'sec-authz';
const who = viewersOf(COMMUNITY);
const clock = new ManualClock(new Date('2026-11-10T02:00:00Z'));

let h: CommunityHarness;
let door: DeviceCredential;
let alarmId: string;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  door = await registerDevice(h);
  ({ alarmId } = await raiseOk(h, door, { type: 'INTRUSION', idempotencyKey: 'authz-1' }));
  const res = await recordAccess(h, door, { occurredAt: clock.now().toISOString(), result: 'GRANTED', method: 'CARD', credentialHolderId: 'card-1', idempotencyKey: 'authz-pass-1' });
  expect(res.body.errors).toBeUndefined();
});
afterAll(async () => {
  await h?.close();
});

type Operation = { name: string; query: string; variables: () => Record<string, unknown>; field: string };

/** Each security field, as any client would ask it. Mutations here are harmless to repeat. */
const OPERATIONS: Record<string, Operation> = {
  alarms: { name: 'list alarms', query: `query($c: ID!) { alarms(communityId: $c) { edges { node { id } } } }`, variables: () => ({ c: COMMUNITY }), field: 'alarms' },
  alarm: { name: 'read an alarm', query: `query($c: ID!, $id: ID!) { alarm(communityId: $c, id: $id) { id history { to } } }`, variables: () => ({ c: COMMUNITY, id: alarmId }), field: 'alarm' },
  acknowledge: {
    name: 'acknowledge an alarm',
    query: `mutation($c: ID!, $id: ID!) { transitionAlarm(communityId: $c, id: $id, to: ACKNOWLEDGED) { status } }`,
    variables: () => ({ c: COMMUNITY, id: alarmId }),
    field: 'transitionAlarm',
  },
  devices: { name: 'list devices', query: `query($c: ID!) { securityDevices(communityId: $c) { edges { node { id } } } }`, variables: () => ({ c: COMMUNITY }), field: 'securityDevices' },
  device: { name: 'read a device', query: `query($c: ID!, $id: ID!) { securityDevice(communityId: $c, id: $id) { id } }`, variables: () => ({ c: COMMUNITY, id: door.deviceId }), field: 'securityDevice' },
  settings: { name: 'read alarm settings', query: `query($c: ID!) { securitySettings(communityId: $c) { dedupWindowMinutes } }`, variables: () => ({ c: COMMUNITY }), field: 'securitySettings' },
  register: {
    name: 'register a device',
    query: `mutation($c: ID!) { registerDevice(communityId: $c, input: { kind: OTHER, name: "矩阵", location: "测试" }) { device { id } } }`,
    variables: () => ({ c: COMMUNITY }),
    field: 'registerDevice',
  },
  enable: { name: 'enable a device', query: `mutation($c: ID!, $id: ID!) { enableDevice(communityId: $c, id: $id) { id } }`, variables: () => ({ c: COMMUNITY, id: door.deviceId }), field: 'enableDevice' },
  accessEvents: {
    name: 'read access events',
    query: `query($c: ID!) { accessEvents(communityId: $c) { edges { node { id subjectPseudonym } } } }`,
    variables: () => ({ c: COMMUNITY }),
    field: 'accessEvents',
  },
  configure: {
    name: 'change alarm settings',
    query: `mutation($c: ID!) { updateSecuritySettings(communityId: $c, input: { dedupWindowMinutes: 5 }) { dedupWindowMinutes } }`,
    variables: () => ({ c: COMMUNITY }),
    field: 'updateSecuritySettings',
  },
};

const WATCH = ['alarms', 'alarm', 'acknowledge', 'devices', 'device', 'settings'];
const OPERATE = ['register', 'enable', 'accessEvents'];

/** Who may do what: everything not listed is FORBIDDEN. */
const MATRIX: Array<[string, Viewer, string[]]> = [
  ['a resident', who.resident, []],
  ['a volunteer', who.volunteer, []],
  ['a grid worker', who.gridWorker, []],
  ['community staff', who.staff, WATCH],
  ['security staff', who.security, [...WATCH, ...OPERATE]],
  ['the community admin', who.admin, [...WATCH, ...OPERATE, 'configure']],
  ['security staff of another community', who.securityElsewhere, []],
  ['the admin of another community', who.adminElsewhere, []],
  ['a resident of another community', who.residentElsewhere, []],
  ['someone with every role in another community', who.everyRoleElsewhere, []],
  ['a federation admin', who.federationAdmin, []],
  ['an anonymous caller', who.anonymous, []],
];

describe.each(MATRIX)('%s', (_who, viewer, allowed) => {
  it.each(Object.keys(OPERATIONS))('%s: allowed only if the matrix says so', async (key) => {
    const op = OPERATIONS[key]!;
    const res = await h.request<Record<string, unknown>>(op.query, op.variables(), viewer);
    expect(res.status).toBe(200);
    if (allowed.includes(key)) {
      expect(res.body.errors, op.name).toBeUndefined();
      expect(res.body.data?.[op.field], op.name).not.toBeNull();
    } else {
      expect(res.body.data?.[op.field] ?? null, op.name).toBeNull();
      expect(errorOf(res.body)?.code, op.name).toBe('FORBIDDEN');
    }
  });
});

describe('safety statistics', () => {
  it.each(MATRIX)('are aggregates %s may read', async (_who, viewer) => {
    const res = await h.request<{ _entities: Array<{ safetyStats: { totalAlarms: number; alarmsByType: Array<{ type: string; count: number }> } | null }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { safetyStats(month: "2026-11") { totalAlarms alarmsByType { type count } } } } }`,
      { r: [{ __typename: 'Community', id: COMMUNITY }] },
      viewer,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities[0]?.safetyStats).toMatchObject({ totalAlarms: 1, alarmsByType: [{ type: 'INTRUSION', count: 1 }] });
  });
});
