import { PointsClaim } from '@linli/community/modules/points/claim.entity';
import * as claims from '@linli/community/modules/points/claim.service';
import { PointsActivity, PointsRule } from '@linli/community/modules/points/points.entity';
import * as points from '@linli/community/modules/points/points.service';
import { Reward, RewardKind } from '@linli/community/modules/points/reward.entity';
import * as rewards from '@linli/community/modules/points/reward.service';
import { logService, recordConfirmation } from '@linli/community/modules/timebank/record.service';
import { ProxyRelation, ServiceRecord, ServiceType } from '@linli/community/modules/timebank/timebank.entity';
import * as timebank from '@linli/community/modules/timebank/timebank.service';
import { stableUuid, type Orm } from '@linli/subgraph-kit';
import { DEMO_PEOPLE } from './people.js';

type EntityManager = Orm['em'];

/*
 * Demo points and time bank for one community (qibao-a, -b, -c), in its own database.
 * Idempotent: rules and rewards are found by English name, every entry, claim, record and
 * request by a stable idempotency key, so a second run writes nothing.
 *
 * The time bank's confirmed services are recorded with their call to the shared ledger
 * pending: once the community runs with a gateway, its scheduler credits the volunteers'
 * hours in the exchange (as after any outage).
 */

const TIMEZONE = 'Asia/Shanghai';
/** Shanghai keeps UTC+8 all year (no daylight saving). */
const UTC_OFFSET = '+08:00';
const DAY = 86_400_000;

/** YYYY-MM-DD, `days` before `today`, on the demo communities' calendar. */
function daysBefore(today: Date, days: number): string {
  return new Date(today.getTime() - days * DAY).toLocaleDateString('en-CA', { timeZone: TIMEZONE });
}

/** `hour`:00 local time, `days` before `today`. */
function localTime(today: Date, days: number, hour: number): Date {
  return new Date(`${daysBefore(today, days)}T${String(hour).padStart(2, '0')}:00:00${UTC_OFFSET}`);
}

const RULES: Array<points.NewRule> = [
  { activity: PointsActivity.GARBAGE_SORTING, name: '垃圾分类投放', nameEn: 'Sorting household waste', points: 5, dailyCap: 10, monthlyCap: 150, autoAward: true },
  { activity: PointsActivity.VOLUNTEERING, name: '志愿服务（每次）', nameEn: 'Volunteering (per session)', points: 20, dailyCap: 60, monthlyCap: 400 },
  { activity: PointsActivity.NEIGHBOUR_HELP, name: '邻里互助', nameEn: 'Helping a neighbour', points: 10, dailyCap: 20, monthlyCap: 100 },
  { activity: PointsActivity.ADOPTED_SUGGESTION, name: '建议被采纳', nameEn: 'Suggestion adopted', points: 50, monthlyCap: 100 },
  { activity: PointsActivity.MEETING_ATTENDANCE, name: '参加邻里议事会', nameEn: 'Attending the neighbourhood council', points: 10, monthlyCap: 40, autoAward: true },
];

const REWARDS: rewards.NewReward[] = [
  { kind: RewardKind.GOODS, name: '环保购物袋', nameEn: 'Reusable shopping bag', description: '社区定制帆布袋', descriptionEn: 'A canvas bag with the community logo', costPoints: 30, stock: 50, perResidentLimit: 2 },
  { kind: RewardKind.GOODS, name: '东北大米 5 公斤', nameEn: 'Rice, 5 kg', description: '到社区服务站领取', descriptionEn: 'Collect at the community service station', costPoints: 200, stock: 20, perResidentLimit: 1 },
  { kind: RewardKind.GOODS, name: '社区食堂餐券', nameEn: 'Community canteen meal voucher', description: '长者食堂午餐一份', descriptionEn: 'One lunch at the seniors\' canteen', costPoints: 40, stock: 100, perResidentLimit: 5 },
  { kind: RewardKind.PROPERTY_FEE_VOUCHER, name: '物业费抵用券 50 元', nameEn: 'Property-fee voucher, 50 yuan', description: '抵扣当季物业费', descriptionEn: 'Off this quarter\'s property fee', costPoints: 500, stock: 10, perResidentLimit: 1 },
  { kind: RewardKind.EVENT_PRIORITY, name: '议事会活动优先报名券', nameEn: 'Council event priority pass', description: '热门活动优先报名', descriptionEn: 'Sign up first for popular events', costPoints: 80, stock: 30, perResidentLimit: 2 },
];

/** Earnings of the last fortnight: [who (per letter), rule (English name), days ago]. */
const EARNINGS: Array<[string, string, number]> = [
  ['resident', 'Sorting household waste', 1],
  ['resident', 'Sorting household waste', 2],
  ['resident', 'Volunteering (per session)', 3],
  ['resident', 'Helping a neighbour', 5],
  ['resident', 'Attending the neighbourhood council', 8],
  ['staff', 'Volunteering (per session)', 4],
  ['volunteer1', 'Volunteering (per session)', 2],
  ['volunteer1', 'Volunteering (per session)', 6],
  ['volunteer1', 'Suggestion adopted', 10],
  ['volunteer2', 'Sorting household waste', 1],
  ['volunteer2', 'Helping a neighbour', 3],
];

function people(communityId: string) {
  const letter = communityId.slice(-1);
  const id = (who: string) => (who === 'resident' || who === 'staff' ? `${who}-${letter}` : `${who.replace(/\d$/, '')}-${letter}${who.slice(-1)}`);
  return { letter, id };
}

/** Rules, the rewards shop, a fortnight of earnings and a pending claim. Returns whether it wrote anything. */
export async function seedPoints(em: EntityManager, communityId: string, today: Date): Promise<boolean> {
  let wrote = false;
  const rules = new Map<string, PointsRule>();
  for (const rule of RULES) {
    const existing = await em.fork().findOne(PointsRule, { nameEn: rule.nameEn });
    rules.set(rule.nameEn, existing ?? (await points.createRule(em.fork(), rule)));
    wrote ||= !existing;
  }
  for (const reward of REWARDS) {
    if (await em.fork().findOne(Reward, { nameEn: reward.nameEn })) continue;
    await rewards.createReward(em.fork(), reward);
    wrote = true;
  }
  const { id } = people(communityId);
  for (const [who, ruleName, daysAgo] of EARNINGS) {
    const written = await em.fork().transactional((tx) =>
      points.earn(
        tx,
        { residentId: id(who), rule: rules.get(ruleName)!, earnedOn: daysBefore(today, daysAgo), idempotencyKey: `seed:${communityId}:${who}:${ruleName}:${daysAgo}`, actorId: `staff-${communityId.slice(-1)}` },
        localTime(today, daysAgo, 10),
      ),
    );
    wrote ||= written.created;
  }
  const claimKey = `seed:${communityId}:claim`;
  if (!(await em.fork().findOne(PointsClaim, { residentId: id('resident'), idempotencyKey: claimKey }))) {
    await claims.claimPoints(
      em.fork(),
      { residentId: id('resident'), ruleId: rules.get('Suggestion adopted')!.id, occurredOn: daysBefore(today, 1), note: '建议在小区东门增设电动车充电桩 (Proposed e-bike chargers at the east gate)', idempotencyKey: claimKey },
      today,
      TIMEZONE,
    );
    wrote = true;
  }
  return wrote;
}

const VOLUNTEERS: Array<[string, string, ServiceType[], string]> = [
  ['volunteer1', '李建国', [ServiceType.HOME_CARE, ServiceType.ERRANDS], '周二、周四下午 (Tue and Thu afternoons)'],
  ['volunteer2', '陈美玲', [ServiceType.COMPANIONSHIP, ServiceType.MEDICAL_ESCORT], '周末上午 (Weekend mornings)'],
  ['resident', '', [ServiceType.COMPANIONSHIP], '工作日晚上 (Weekday evenings)'],
];

const ELDERS: Array<[string, string, boolean, string, ProxyRelation]> = [
  ['elder1', '周阿婆', true, 'grid', ProxyRelation.GRID_WORKER],
  ['elder2', '吴老伯', false, 'family', ProxyRelation.FAMILY],
];

/** Past services: [volunteer, elder, days ago, hours, confirmed?]. */
const SERVICES: Array<[string, string, number, number, boolean]> = [
  ['volunteer1', 'elder1', 9, 2, true],
  ['volunteer1', 'elder1', 2, 2, true],
  ['volunteer2', 'elder2', 6, 1, true],
  ['volunteer2', 'elder1', 4, 3, true],
  ['resident', 'elder2', 1, 1, false],
];

/**
 * Volunteers, elders with their proxies (a grid worker, a family member), past services —
 * confirmed ones credited once the community reaches the exchange, one still awaiting
 * confirmation — and an open request. Returns whether it wrote anything.
 */
export async function seedTimebank(em: EntityManager, communityId: string, today: Date): Promise<boolean> {
  const { letter, id } = people(communityId);
  const before = await em.fork().count(ServiceRecord, {});
  for (const [who, name, skills, availability] of VOLUNTEERS) {
    const displayName = name || (DEMO_PEOPLE.find((p) => p.userId === id(who))?.name ?? id(who));
    await timebank.registerVolunteer(em.fork(), id(who), { displayName, skills, availability });
  }
  for (const [who, name, livesAlone, proxy, relation] of ELDERS) {
    await timebank.registerRecipient(em.fork(), `staff-${letter}`, { userId: id(who), displayName: name, livesAlone });
    await timebank.addProxy(em.fork(), `staff-${letter}`, { recipientId: id(who), proxyId: `${proxy}-${letter}${who.slice(-1)}`, relation });
  }
  const here = { communityId, clock: { now: () => today } };
  for (const [who, elder, daysAgo, hours, confirmed] of SERVICES) {
    const startsAt = localTime(today, daysAgo, 9);
    const record = await logService(
      em.fork(),
      id(who),
      {
        recipientId: id(elder),
        serviceType: ServiceType.HOME_CARE,
        startsAt,
        endsAt: new Date(startsAt.getTime() + hours * 3_600_000),
        note: '打扫卫生、代购蔬菜 (Cleaning, buying vegetables)',
        idempotencyKey: stableUuid(`seed:${communityId}:${who}:${elder}:${daysAgo}`),
      },
      today,
    );
    // Confirmed here, credited later: the running community sends the recorded call.
    if (confirmed) await recordConfirmation(em.fork(), here, record.id, `${elder === 'elder1' ? 'grid' : 'family'}-${letter}${elder.slice(-1)}`);
  }
  await timebank.requestService(
    em.fork(),
    null,
    communityId,
    `grid-${letter}1`,
    { recipientId: id('elder1'), serviceType: ServiceType.MEDICAL_ESCORT, description: '下周三陪同去社区医院复诊 (Escort to a follow-up at the clinic next Wednesday)', hours: 2, idempotencyKey: `seed:${communityId}:request` },
    today,
  );
  return (await em.fork().count(ServiceRecord, {})) > before;
}
