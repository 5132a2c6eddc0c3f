import { ManualClock } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { EventListener, errorOf, getAlarm, MINUTE, raiseOk, registerDevice, transition, updateSettings, viewersOf, type DeviceCredential } from '../../test/security.js';

const COMMUNITY = 'sec-sla';
const who = viewersOf(COMMUNITY);
const clock = new ManualClock(new Date('2026-11-10T02:00:00Z'));

let h: CommunityHarness;
let updated: EventListener;
let panic: DeviceCredential;
let key = 0;
const nextKey = () => `sla-${++key}`;
const escalationsOf = (alarmId: string) => updated.events.filter((e) => e.subjectId === alarmId && e.data?.change === 'escalation');

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  updated = await EventListener.listen(COMMUNITY, 'alarm.updated');
  panic = await registerDevice(h, { kind: 'OTHER', name: '2号楼紧急按钮', nameEn: 'Building 2 panic button', location: '2号楼大堂', locationEn: 'Building 2 lobby' });
});
afterAll(async () => {
  await updated?.close();
  await h?.close();
});

describe('alarm deadlines', () => {
  it('escalates a CRITICAL alarm not acknowledged within 2 minutes, once, and announces it on Redis', async () => {
    const t0 = clock.now();
    const { alarmId } = await raiseOk(h, panic, { type: 'PANIC', idempotencyKey: nextKey() });

    clock.set(new Date(t0.getTime() + 2 * MINUTE - 1000));
    await h.subgraph.scheduler.tick();
    expect((await getAlarm(h, alarmId))?.escalationLevel).toBe(0);

    clock.set(new Date(t0.getTime() + 2 * MINUTE + 1000));
    await h.subgraph.scheduler.tick();
    const event = await updated.waitFor((e) => e.subjectId === alarmId && e.data?.change === 'escalation');
    expect(event).toMatchObject({
      type: 'alarm.updated',
      communityId: COMMUNITY,
      data: {
        alarmId,
        type: 'PANIC',
        severity: 'CRITICAL',
        status: 'RAISED',
        escalationLevel: 1,
        escalation: { step: 'ACKNOWLEDGE', level: 1, dueAt: new Date(t0.getTime() + 2 * MINUTE).toISOString() },
      },
    });
    const alarm = await getAlarm(h, alarmId);
    expect(alarm).toMatchObject({
      escalationLevel: 1,
      lastEscalatedAt: clock.now().toISOString(),
      escalations: [{ step: 'ACKNOWLEDGE', level: 1, dueAt: new Date(t0.getTime() + 2 * MINUTE).toISOString(), escalatedAt: clock.now().toISOString() }],
    });

    // Later passes find nothing new to escalate for this breach.
    clock.advance(30_000);
    await h.subgraph.scheduler.tick();
    await h.subgraph.scheduler.tick();
    expect(await updated.settled((e) => e.subjectId === alarmId && e.data?.change === 'escalation')).toHaveLength(1);
    expect((await getAlarm(h, alarmId))?.escalationLevel).toBe(1);

    // Acknowledged late; the on-scene deadline (10 min) is the next breach.
    expect((await transition(h, alarmId, 'ACKNOWLEDGED')).body.errors).toBeUndefined();
    clock.set(new Date(t0.getTime() + 10 * MINUTE + 1000));
    await h.subgraph.scheduler.tick();
    await updated.waitFor((e) => e.subjectId === alarmId && (e.data?.escalation as { step?: string } | undefined)?.step === 'ON_SCENE');
    expect((await getAlarm(h, alarmId))?.escalations.map((e) => [e.step, e.level])).toEqual([
      ['ACKNOWLEDGE', 1],
      ['ON_SCENE', 2],
    ]);
  });

  it('does not escalate an alarm handled in time', async () => {
    const t0 = clock.now();
    const { alarmId } = await raiseOk(h, panic, { type: 'FIRE_SMOKE', idempotencyKey: nextKey() });
    clock.advance(MINUTE);
    for (const to of ['ACKNOWLEDGED', 'DISPATCHED']) expect((await transition(h, alarmId, to)).body.errors).toBeUndefined();
    clock.set(new Date(t0.getTime() + 5 * MINUTE));
    expect((await transition(h, alarmId, 'ON_SCENE')).body.errors).toBeUndefined();
    clock.set(new Date(t0.getTime() + 30 * MINUTE));
    expect((await transition(h, alarmId, 'RESOLVED', { note: '已扑灭 Put out' })).body.errors).toBeUndefined();
    clock.set(new Date(t0.getTime() + 5 * 60 * MINUTE));
    await h.subgraph.scheduler.tick();
    expect(await updated.settled((e) => e.subjectId === alarmId && e.data?.change === 'escalation')).toEqual([]);
    expect((await getAlarm(h, alarmId))?.escalationLevel).toBe(0);
  });

  it('escalates every deadline missed while nobody looked, each once', async () => {
    const { alarmId } = await raiseOk(h, panic, { type: 'INTRUSION', idempotencyKey: nextKey() });
    clock.advance(5 * 60 * MINUTE); // MAJOR: 10 / 30 / 240 minutes, all passed
    await h.subgraph.scheduler.tick();
    await h.subgraph.scheduler.tick();
    await updated.waitFor((e) => e.subjectId === alarmId && e.data?.escalationLevel === 3);
    expect(escalationsOf(alarmId).map((e) => (e.data?.escalation as { step: string }).step)).toEqual(['ACKNOWLEDGE', 'ON_SCENE', 'RESOLVE']);
    expect((await getAlarm(h, alarmId))?.escalationLevel).toBe(3);
    await h.subgraph.scheduler.tick();
    expect(await updated.settled((e) => e.subjectId === alarmId && e.data?.change === 'escalation')).toHaveLength(3);
  });

  it('uses the deadlines the community admin configured, for alarms raised afterwards', async () => {
    const earlier = await raiseOk(h, panic, { type: 'TAILGATING', idempotencyKey: nextKey() }); // MINOR, default ack 60 min
    const res = await updateSettings(h, { sla: [{ severity: 'MINOR', acknowledgeMinutes: 5, onSceneMinutes: 20, resolveMinutes: 120 }] });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.updateSecuritySettings?.sla).toEqual([
      { severity: 'CRITICAL', acknowledgeMinutes: 2, onSceneMinutes: 10, resolveMinutes: 60 },
      { severity: 'MAJOR', acknowledgeMinutes: 10, onSceneMinutes: 30, resolveMinutes: 240 },
      { severity: 'MINOR', acknowledgeMinutes: 5, onSceneMinutes: 20, resolveMinutes: 120 },
    ]);
    const t0 = clock.now();
    const later = await raiseOk(h, panic, { type: 'OTHER', idempotencyKey: nextKey() }); // MINOR, now 5 min
    expect((await getAlarm(h, later.alarmId))?.acknowledgeDueAt).toBe(new Date(t0.getTime() + 5 * MINUTE).toISOString());

    clock.advance(6 * MINUTE);
    await h.subgraph.scheduler.tick();
    await updated.waitFor((e) => e.subjectId === later.alarmId && e.data?.change === 'escalation');
    expect(escalationsOf(earlier.alarmId)).toEqual([]);
  });

  it.each([
    ['acknowledge after on scene', { sla: [{ severity: 'MAJOR', acknowledgeMinutes: 40, onSceneMinutes: 30, resolveMinutes: 240 }] }, 'sla'],
    ['a severity given twice', { sla: [{ severity: 'MAJOR', acknowledgeMinutes: 1, onSceneMinutes: 2, resolveMinutes: 3 }, { severity: 'MAJOR', acknowledgeMinutes: 1, onSceneMinutes: 2, resolveMinutes: 3 }] }, 'sla'],
  ])('refuses settings with %s', async (_what, input, rule) => {
    const res = await updateSettings(h, input);
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_USER_INPUT', rule });
  });

  it('refuses a zero-minute deadline as invalid input', async () => {
    const res = await updateSettings(h, { sla: [{ severity: 'MAJOR', acknowledgeMinutes: 0, onSceneMinutes: 30, resolveMinutes: 240 }] });
    expect(errorOf(res.body)?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['security staff', who.security],
    ['community staff', who.staff],
    ['the admin of another community', who.adminElsewhere],
  ])('lets only the community admin change the deadlines, not %s', async (_who, viewer) => {
    const res = await updateSettings(h, { dedupWindowMinutes: 9 }, viewer);
    expect(errorOf(res.body)?.code).toBe('FORBIDDEN');
    const settings = await h.request<{ securitySettings: { dedupWindowMinutes: number } }>(`query($c: ID!) { securitySettings(communityId: $c) { dedupWindowMinutes } }`, { c: COMMUNITY }, who.security);
    expect(settings.body.data?.securitySettings.dedupWindowMinutes).toBe(5);
  });
});
