import { MemoryEventPublisher } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessMethod, AccessResult } from '@linli/community/modules/security/access.entity';
import { recordAccessEvent } from '@linli/community/modules/security/access.service';
import { AlarmActorKind, AlarmStatus, AlarmType } from '@linli/community/modules/security/alarm.entity';
import { moveAlarm, raiseAlarm } from '@linli/community/modules/security/alarm.service';
import { DeviceKind, DeviceStatus, SecurityDevice } from '@linli/community/modules/security/device.entity';
import { registerDevice } from '@linli/community/modules/security/device.service';
import { developmentPseudonymSecret } from '@linli/community/modules/security/pseudonym';

/*
 * Smart-security demo data for the three Qibao communities: devices at the gates and in the
 * buildings, a few alarms at every stage of their handling, and a day of door passes. The
 * devices are simulated — nothing sends heartbeats — so they get a daily heartbeat interval:
 * they stay ONLINE for three days after seeding before the community's check marks them
 * OFFLINE (and raises DEVICE_OFFLINE alarms, which is what would happen to real ones).
 */

interface DemoDevice {
  slug: string;
  kind: DeviceKind;
  name: string;
  nameEn: string;
  location: string;
  locationEn: string;
  /** Never heard from: stays OFFLINE. */
  offline?: boolean;
}

interface DemoAlarm {
  device: string;
  type: AlarmType;
  /** When it was raised, in minutes before `today`. */
  minutesAgo: number;
  /** Further signals folded into it, a minute apart. */
  repeats?: number;
  /** Each step, with minutes after the raise and a note. */
  steps: Array<[to: AlarmStatus, afterMinutes: number, note?: string]>;
}

const DAILY = 86_400;

function devicesOf(place: { zh: string; en: string }, buildings: Array<[string, string]>): DemoDevice[] {
  return [
    { slug: 'east-gate-door', kind: DeviceKind.DOOR_ACCESS, name: '东门门禁', nameEn: 'East gate door access', location: `${place.zh}东门`, locationEn: `East gate, ${place.en}` },
    { slug: 'north-gate-face', kind: DeviceKind.FACE_TERMINAL, name: '北门人脸通行终端', nameEn: 'North gate face terminal', location: `${place.zh}北门`, locationEn: `North gate, ${place.en}` },
    { slug: 'east-gate-camera', kind: DeviceKind.CAMERA, name: '东门摄像头', nameEn: 'East gate camera', location: `${place.zh}东门岗亭`, locationEn: `East gate booth, ${place.en}` },
    { slug: 'garage-camera', kind: DeviceKind.CAMERA, name: '地下车库摄像头', nameEn: 'Underground garage camera', location: '地下车库 B1', locationEn: 'Underground garage, B1', offline: true },
    ...buildings.map(([zh, en], i): DemoDevice => ({
      slug: `smoke-${i + 1}`,
      kind: DeviceKind.SMOKE_DETECTOR,
      name: `${zh}烟感`,
      nameEn: `${en} smoke detector`,
      location: `${zh} 1 楼楼道`,
      locationEn: `${en}, ground-floor corridor`,
    })),
    { slug: 'panic-button', kind: DeviceKind.OTHER, name: '居委会一键报警', nameEn: 'Neighbourhood office panic button', location: '居委会接待大厅', locationEn: 'Neighbourhood office reception' },
  ];
}

const PLACES: Record<string, { devices: DemoDevice[]; alarms: DemoAlarm[] }> = {
  'qibao-a': {
    devices: devicesOf({ zh: '新镇社区', en: 'Xinzhen' }, [['12 号楼', 'Building 12'], ['15 号楼', 'Building 15']]),
    alarms: [
      { device: 'smoke-1', type: AlarmType.FIRE_SMOKE, minutesAgo: 3 * 24 * 60, steps: [[AlarmStatus.ACKNOWLEDGED, 1], [AlarmStatus.DISPATCHED, 2], [AlarmStatus.ON_SCENE, 7], [AlarmStatus.RESOLVED, 25, '3 楼住户炒菜油烟，已开窗通风 Cooking smoke on floor 3; windows opened'], [AlarmStatus.CLOSED, 40]] },
      { device: 'east-gate-door', type: AlarmType.TAILGATING, minutesAgo: 26 * 60, repeats: 2, steps: [[AlarmStatus.ACKNOWLEDGED, 12], [AlarmStatus.FALSE_ALARM, 20, '快递员与住户同行，已登记 A courier walking in with a resident; registered']] },
      { device: 'panic-button', type: AlarmType.PANIC, minutesAgo: 95, steps: [[AlarmStatus.ACKNOWLEDGED, 1], [AlarmStatus.DISPATCHED, 3, '派保安前往接待大厅 Guard sent to reception']] },
      { device: 'east-gate-camera', type: AlarmType.INTRUSION, minutesAgo: 12, steps: [] },
    ],
  },
  'qibao-b': {
    devices: devicesOf({ zh: '沪星社区', en: 'Huxing' }, [['3 号楼', 'Building 3'], ['体育馆', 'Sports hall']]),
    alarms: [
      { device: 'smoke-2', type: AlarmType.FIRE_SMOKE, minutesAgo: 5 * 24 * 60, steps: [[AlarmStatus.ACKNOWLEDGED, 2], [AlarmStatus.DISPATCHED, 3], [AlarmStatus.ON_SCENE, 9], [AlarmStatus.RESOLVED, 30, '体育馆烟雾机测试，未报备 Smoke machine test in the hall, not announced'], [AlarmStatus.CLOSED, 60]] },
      { device: 'north-gate-face', type: AlarmType.DEVICE_TAMPER, minutesAgo: 7 * 60, steps: [[AlarmStatus.ACKNOWLEDGED, 8], [AlarmStatus.DISPATCHED, 15], [AlarmStatus.ON_SCENE, 28]] },
      { device: 'east-gate-door', type: AlarmType.TAILGATING, minutesAgo: 40, repeats: 1, steps: [[AlarmStatus.ACKNOWLEDGED, 6]] },
    ],
  },
  'qibao-c': {
    devices: devicesOf({ zh: '号文社区', en: 'Haowen' }, [['7 号楼', 'Building 7'], ['卫生服务站', 'Health station']]),
    alarms: [
      { device: 'panic-button', type: AlarmType.PANIC, minutesAgo: 2 * 24 * 60, steps: [[AlarmStatus.ACKNOWLEDGED, 1], [AlarmStatus.DISPATCHED, 2], [AlarmStatus.ON_SCENE, 6], [AlarmStatus.RESOLVED, 20, '独居老人身体不适，已联系家属并送医 An elderly resident living alone felt unwell; family called, taken to hospital'], [AlarmStatus.CLOSED, 45]] },
      { device: 'smoke-1', type: AlarmType.FIRE_SMOKE, minutesAgo: 20 * 60, steps: [[AlarmStatus.FALSE_ALARM, 4, '烟感积灰误报，已清洁 Dust in the detector; cleaned']] },
      { device: 'east-gate-camera', type: AlarmType.INTRUSION, minutesAgo: 30, steps: [[AlarmStatus.ACKNOWLEDGED, 3]] },
      { device: 'garage-camera', type: AlarmType.OTHER, minutesAgo: 8, steps: [] },
    ],
  },
};

/** A day of passes at the two entrances: who (by demo holder id), when, how, and the outcome. */
const PASSES: Array<[door: 'east-gate-door' | 'north-gate-face', minutesAgo: number, method: AccessMethod, result: AccessResult, holder: string | null]> = [
  ['east-gate-door', 14 * 60, AccessMethod.CARD, AccessResult.GRANTED, 'card-10023'],
  ['north-gate-face', 13 * 60 + 20, AccessMethod.FACE, AccessResult.GRANTED, 'resident'],
  ['east-gate-door', 11 * 60, AccessMethod.QR, AccessResult.GRANTED, 'visitor-qr-5531'],
  ['east-gate-door', 9 * 60 + 45, AccessMethod.CARD, AccessResult.DENIED, 'card-99817'],
  ['north-gate-face', 8 * 60, AccessMethod.FACE, AccessResult.DENIED, null],
  ['east-gate-door', 6 * 60 + 30, AccessMethod.PIN, AccessResult.GRANTED, 'card-10023'],
  ['north-gate-face', 3 * 60, AccessMethod.FACE, AccessResult.GRANTED, 'resident'],
  ['east-gate-door', 50, AccessMethod.CARD, AccessResult.GRANTED, 'card-20417'],
];

const MINUTE = 60_000;

/**
 * Seeds one community's security data, unless it has devices already (then nothing is
 * written). `today` is "now" for the seed: alarms and passes are placed before it. Access
 * events are pseudonymised with the community's key — the development key unless
 * `pseudonymSecret` is given, which must then be the one the community runs with.
 * Returns whether anything was written.
 */
export async function seedSecurity(em: EntityManager, communityId: string, today: Date, options: { pseudonymSecret?: string } = {}): Promise<boolean> {
  const plan = PLACES[communityId];
  if (!plan) throw new Error(`No security demo data for community ${communityId}`);
  // One transaction: a seed cut short leaves nothing behind, so the next start seeds again.
  return em.fork().transactional((fork) => seedInto(fork, plan, communityId, today, options));
}

async function seedInto(fork: EntityManager, plan: { devices: DemoDevice[]; alarms: DemoAlarm[] }, communityId: string, today: Date, options: { pseudonymSecret?: string }): Promise<boolean> {
  if ((await fork.count(SecurityDevice, {})) > 0) return false;

  const ago = (minutes: number) => new Date(today.getTime() - minutes * MINUTE);
  const letter = communityId.slice(-1);
  const staff = `staff-${letter}`;
  // The seed announces nothing: no one is subscribed yet, and these alarms are history.
  const services = { communityId, events: new MemoryEventPublisher() };

  const devices = new Map<string, SecurityDevice>();
  for (const { slug, offline, ...input } of plan.devices) {
    const { device } = await registerDevice(fork, { ...input, heartbeatIntervalSeconds: DAILY }, ago(30 * 24 * 60));
    if (!offline) {
      device.status = DeviceStatus.ONLINE;
      device.lastHeartbeatAt = today;
    }
    devices.set(slug, device);
  }
  await fork.flush();

  for (const alarm of plan.alarms) {
    const device = devices.get(alarm.device)!;
    const raisedAt = ago(alarm.minutesAgo);
    const actor = { kind: AlarmActorKind.DEVICE, id: device.id };
    const { alarm: raised } = await raiseAlarm(fork, services, { deviceId: device.id, type: alarm.type, idempotencyKey: `demo-${alarm.device}-${alarm.minutesAgo}`, actor }, raisedAt);
    for (let i = 1; i <= (alarm.repeats ?? 0); i++) {
      await raiseAlarm(fork, services, { deviceId: device.id, type: alarm.type, idempotencyKey: `demo-${alarm.device}-${alarm.minutesAgo}-${i}`, actor }, new Date(raisedAt.getTime() + i * MINUTE));
    }
    for (const [to, afterMinutes, note] of alarm.steps) {
      await moveAlarm(fork, services, { alarmId: raised.id, to, note: note ?? null }, { kind: AlarmActorKind.STAFF, id: staff }, new Date(raisedAt.getTime() + afterMinutes * MINUTE));
    }
  }

  const keys = { communityId, pseudonymSecret: options.pseudonymSecret ?? developmentPseudonymSecret(communityId) };
  for (const [index, [door, minutesAgo, method, result, holder]] of PASSES.entries()) {
    const occurredAt = ago(minutesAgo);
    await recordAccessEvent(
      fork,
      devices.get(door)!,
      { occurredAt, method, result, credentialHolderId: holder === 'resident' ? `resident-${letter}` : holder, idempotencyKey: `demo-pass-${index}` },
      keys,
      new Date(occurredAt.getTime() + 1000),
    );
  }
  return true;
}
