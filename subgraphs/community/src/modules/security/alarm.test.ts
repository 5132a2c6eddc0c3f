import { ManualClock } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import {
  EventListener,
  errorOf,
  getAlarm,
  MINUTE,
  raise,
  raiseOk,
  registerDevice,
  transition,
  updateSettings,
  viewersOf,
  type DeviceCredential,
} from '../../test/security.js';

const COMMUNITY = 'sec-alarms';
const who = viewersOf(COMMUNITY);
const clock = new ManualClock(new Date('2026-11-10T02:00:00Z'));

let h: CommunityHarness;
let raised: EventListener;
let updated: EventListener;
let smoke: DeviceCredential;
let key = 0;
const nextKey = () => `signal-${++key}`;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  raised = await EventListener.listen(COMMUNITY, 'alarm.raised');
  updated = await EventListener.listen(COMMUNITY, 'alarm.updated');
  smoke = await registerDevice(h, { kind: 'SMOKE_DETECTOR', name: '3号楼烟感', nameEn: 'Building 3 smoke detector', location: '3号楼 2 层', locationEn: 'Building 3, floor 2' });
});
afterAll(async () => {
  await raised?.close();
  await updated?.close();
  await h?.close();
});

describe('an alarm’s lifecycle', () => {
  it('goes RAISED → ACKNOWLEDGED → DISPATCHED → ON_SCENE → RESOLVED → CLOSED, recording who, when and why, and announcing each step', async () => {
    const t0 = clock.now();
    const receipt = await raiseOk(h, smoke, { type: 'FIRE_SMOKE', idempotencyKey: nextKey() });
    expect(receipt).toMatchObject({ outcome: 'RAISED', status: 'RAISED', count: 1 });
    const event = await raised.waitFor((e) => e.subjectId === receipt.alarmId);
    expect(event).toMatchObject({ type: 'alarm.raised', communityId: COMMUNITY, data: { alarmId: receipt.alarmId, type: 'FIRE_SMOKE', severity: 'CRITICAL', status: 'RAISED' } });

    const fresh = await getAlarm(h, receipt.alarmId);
    expect(fresh).toMatchObject({
      type: 'FIRE_SMOKE',
      severity: 'CRITICAL',
      status: 'RAISED',
      raisedAt: t0.toISOString(),
      // Default CRITICAL deadlines: acknowledge 2 min, on scene 10, resolved 60.
      acknowledgeDueAt: new Date(t0.getTime() + 2 * MINUTE).toISOString(),
      onSceneDueAt: new Date(t0.getTime() + 10 * MINUTE).toISOString(),
      resolveDueAt: new Date(t0.getTime() + 60 * MINUTE).toISOString(),
      device: { id: smoke.deviceId, name: '3号楼烟感' },
      history: [{ from: null, to: 'RAISED', actorKind: 'DEVICE', actorId: smoke.deviceId }],
    });

    const steps: Array<[string, { note?: string; assigneeId?: string }]> = [
      ['ACKNOWLEDGED', {}],
      ['DISPATCHED', { assigneeId: 'guard-2', note: '派保安前往 Sent a guard' }],
      ['ON_SCENE', {}],
      ['RESOLVED', { note: '厨房油烟，已通风 Kitchen smoke, aired' }],
      ['CLOSED', {}],
    ];
    for (const [to, extra] of steps) {
      clock.advance(MINUTE);
      const res = await transition(h, receipt.alarmId, to, extra);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.transitionAlarm?.status).toBe(to);
      await updated.waitFor((e) => e.subjectId === receipt.alarmId && e.data?.status === to && e.data?.change === 'status');
    }

    const done = await getAlarm(h, receipt.alarmId);
    const at = (m: number) => new Date(t0.getTime() + m * MINUTE).toISOString();
    expect(done).toMatchObject({
      status: 'CLOSED',
      acknowledgedAt: at(1),
      dispatchedAt: at(2),
      onSceneAt: at(3),
      resolvedAt: at(4),
      closedAt: at(5),
      assigneeId: 'guard-2',
      escalationLevel: 0,
    });
    expect(done!.history.map((s) => [s.from, s.to, s.actorKind, s.actorId, s.at])).toEqual([
      [null, 'RAISED', 'DEVICE', smoke.deviceId, at(0)],
      ['RAISED', 'ACKNOWLEDGED', 'STAFF', 'guard-1', at(1)],
      ['ACKNOWLEDGED', 'DISPATCHED', 'STAFF', 'guard-1', at(2)],
      ['DISPATCHED', 'ON_SCENE', 'STAFF', 'guard-1', at(3)],
      ['ON_SCENE', 'RESOLVED', 'STAFF', 'guard-1', at(4)],
      ['RESOLVED', 'CLOSED', 'STAFF', 'guard-1', at(5)],
    ]);
    expect(done!.history[4]!.note).toBe('厨房油烟，已通风 Kitchen smoke, aired');
  });

  it('publishes no personal data: the events name the alarm, not the people who handled it', async () => {
    const all = [...raised.events, ...updated.events];
    expect(all.length).toBeGreaterThan(0);
    for (const e of all) {
      expect(JSON.stringify(e)).not.toMatch(/guard-1|guard-2|Kitchen/);
      expect(Object.keys(e.data ?? {}).sort()).toEqual(expect.arrayContaining(['alarmId', 'type', 'severity', 'status']));
    }
  });

  it('can be declared a false alarm from any open status, with a note', async () => {
    for (const path of [[], ['ACKNOWLEDGED'], ['ACKNOWLEDGED', 'DISPATCHED'], ['ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE']]) {
      const { alarmId } = await raiseOk(h, smoke, { type: 'PANIC', idempotencyKey: nextKey() });
      for (const to of path) expect((await transition(h, alarmId, to)).body.errors).toBeUndefined();
      const res = await transition(h, alarmId, 'FALSE_ALARM', { note: '误触 Pressed by mistake' });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.transitionAlarm).toMatchObject({ status: 'FALSE_ALARM', closedAt: clock.now().toISOString() });
      await transition(h, alarmId, 'FALSE_ALARM', { note: 'again' }); // ended: the same status is a no-op
    }
  });

  it.each([
    ['RAISED', [], 'RESOLVED'],
    ['RAISED', [], 'CLOSED'],
    ['RAISED', [], 'ON_SCENE'],
    ['ACKNOWLEDGED', ['ACKNOWLEDGED'], 'RAISED'],
    ['CLOSED', ['ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE', 'RESOLVED', 'CLOSED'], 'ACKNOWLEDGED'],
    ['RESOLVED', ['ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE', 'RESOLVED'], 'FALSE_ALARM'],
  ])('refuses %s → %3$s with BAD_USER_INPUT, rule "transition", and changes nothing', async (from, path, to) => {
    const { alarmId } = await raiseOk(h, smoke, { type: 'INTRUSION', idempotencyKey: nextKey() });
    for (const step of path) expect((await transition(h, alarmId, step, { note: 'ok' })).body.errors).toBeUndefined();
    const before = await getAlarm(h, alarmId);
    const res = await transition(h, alarmId, to, { note: 'not allowed' });
    expect(res.status).toBe(200);
    expect(res.body.data?.transitionAlarm).toBeNull();
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'transition', from, to });
    expect(await getAlarm(h, alarmId)).toEqual(before);
  });

  it('needs a note to resolve or declare a false alarm', async () => {
    const { alarmId } = await raiseOk(h, smoke, { type: 'OTHER', idempotencyKey: nextKey() });
    const res = await transition(h, alarmId, 'FALSE_ALARM');
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'note' });
    expect((await getAlarm(h, alarmId))?.status).toBe('RAISED');
  });

  it('treats a repeated step as done: no second history entry, no second event', async () => {
    const { alarmId } = await raiseOk(h, smoke, { type: 'DEVICE_TAMPER', idempotencyKey: nextKey() });
    expect((await transition(h, alarmId, 'ACKNOWLEDGED')).body.errors).toBeUndefined();
    await updated.waitFor((e) => e.subjectId === alarmId && e.data?.status === 'ACKNOWLEDGED');
    const again = await transition(h, alarmId, 'ACKNOWLEDGED');
    expect(again.body.data?.transitionAlarm?.status).toBe('ACKNOWLEDGED');
    expect(again.body.data?.transitionAlarm?.history).toHaveLength(2);
    expect(await updated.settled((e) => e.subjectId === alarmId)).toHaveLength(1);
  });

  it('answers NOT_FOUND for an alarm that does not exist', async () => {
    const res = await transition(h, '00000000-0000-4000-8000-000000000000', 'ACKNOWLEDGED');
    expect(errorOf(res.body)?.code).toBe('NOT_FOUND');
  });
});

describe('deduplication', () => {
  let door: DeviceCredential;
  beforeAll(async () => {
    door = await registerDevice(h, { kind: 'DOOR_ACCESS', name: '北门门禁', nameEn: 'North gate door', location: '北门', locationEn: 'North gate' });
  });

  it('folds a repeat of the same device and type within 5 minutes of the last raise into the open alarm', async () => {
    const first = await raiseOk(h, door, { type: 'TAILGATING', idempotencyKey: nextKey() });
    clock.advance(4 * MINUTE);
    const second = await raiseOk(h, door, { type: 'TAILGATING', idempotencyKey: nextKey() });
    // The window slides with each repeat: 8 minutes after the first, 4 after the last.
    clock.advance(4 * MINUTE);
    const third = await raiseOk(h, door, { type: 'TAILGATING', idempotencyKey: nextKey() });
    expect(second).toMatchObject({ alarmId: first.alarmId, outcome: 'FOLDED', count: 2 });
    expect(third).toMatchObject({ alarmId: first.alarmId, outcome: 'FOLDED', count: 3 });
    const alarm = await getAlarm(h, first.alarmId);
    expect(alarm).toMatchObject({ count: 3, lastRaisedAt: clock.now().toISOString() });
    expect(alarm!.history).toHaveLength(1);
    await updated.waitFor((e) => e.subjectId === first.alarmId && e.data?.change === 'repeat' && e.data?.count === 3);
    expect(raised.events.filter((e) => e.subjectId === first.alarmId)).toHaveLength(1);

    // Another type from the same device is another alarm.
    const other = await raiseOk(h, door, { type: 'INTRUSION', idempotencyKey: nextKey() });
    expect(other.outcome).toBe('RAISED');
    expect(other.alarmId).not.toBe(first.alarmId);
  });

  it('opens a new alarm once the window has passed', async () => {
    const first = await raiseOk(h, door, { type: 'DEVICE_TAMPER', idempotencyKey: nextKey() });
    clock.advance(5 * MINUTE + 1000);
    const later = await raiseOk(h, door, { type: 'DEVICE_TAMPER', idempotencyKey: nextKey() });
    expect(later).toMatchObject({ outcome: 'RAISED', count: 1 });
    expect(later.alarmId).not.toBe(first.alarmId);
  });

  it('opens a new alarm when the earlier one has ended, however recent', async () => {
    const first = await raiseOk(h, door, { type: 'PANIC', idempotencyKey: nextKey() });
    expect((await transition(h, first.alarmId, 'FALSE_ALARM', { note: '测试 Test' })).body.errors).toBeUndefined();
    const again = await raiseOk(h, door, { type: 'PANIC', idempotencyKey: nextKey() });
    expect(again.outcome).toBe('RAISED');
    expect(again.alarmId).not.toBe(first.alarmId);
  });

  it('counts a retried signal (same idempotency key) once', async () => {
    const signal = { type: 'OTHER', idempotencyKey: nextKey() };
    const first = await raiseOk(h, door, signal);
    const retry = await raiseOk(h, door, signal);
    expect(retry).toMatchObject({ alarmId: first.alarmId, outcome: 'REPLAYED', count: 1 });
    expect((await getAlarm(h, first.alarmId))?.count).toBe(1);
  });

  it('folds two signals sent at the same moment into one alarm', async () => {
    const [a, b] = await Promise.all([raiseOk(h, door, { type: 'FIRE_SMOKE', idempotencyKey: nextKey() }), raiseOk(h, door, { type: 'FIRE_SMOKE', idempotencyKey: nextKey() })]);
    expect(a.alarmId).toBe(b.alarmId);
    expect([a.outcome, b.outcome].sort()).toEqual(['FOLDED', 'RAISED']);
  });

  it('follows the window the community admin sets (here 1 minute)', async () => {
    expect((await updateSettings(h, { dedupWindowMinutes: 1 })).body.data?.updateSecuritySettings?.dedupWindowMinutes).toBe(1);
    try {
      const first = await raiseOk(h, door, { type: 'INTRUSION', idempotencyKey: nextKey() });
      clock.advance(30_000);
      expect((await raiseOk(h, door, { type: 'INTRUSION', idempotencyKey: nextKey() })).alarmId).toBe(first.alarmId);
      clock.advance(2 * MINUTE);
      expect((await raiseOk(h, door, { type: 'INTRUSION', idempotencyKey: nextKey() })).alarmId).not.toBe(first.alarmId);
    } finally {
      await updateSettings(h, { dedupWindowMinutes: 5 });
    }
  });

  it('refuses a signal from a device of the community with a wrong secret', async () => {
    const res = await raise(h, { ...door, secret: 'not-the-secret' }, { type: 'INTRUSION', idempotencyKey: nextKey() });
    expect(res.status).toBe(200);
    expect(errorOf(res.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'DEVICE_CREDENTIAL' });
  });

  it('lets staff list open alarms newest first', async () => {
    const res = await h.request<{ alarms: { edges: Array<{ node: { id: string; status: string; raisedAt: string } }> } }>(
      `query($c: ID!) { alarms(communityId: $c, open: true, first: 100) { edges { node { id status raisedAt } } } }`,
      { c: COMMUNITY },
      who.staff,
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.alarms.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => ['RAISED', 'ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE'].includes(n.status))).toBe(true);
    const times = nodes.map((n) => n.raisedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
