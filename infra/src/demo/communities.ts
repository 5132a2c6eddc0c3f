import type * as exchange from '@linli/exchange';
import { ResourceKind } from '@linli/subgraph-kit';

/**
 * The seed story: three neighbouring communities of 闵行区七宝镇, each with something the
 * others lack. A has a kindergarten with spare seats, B a sports hall and courts, C a
 * medical team that holds clinics.
 */
export interface DemoResource {
  /** Stable handle: the listing's idempotency key and how a re-run finds the resource. */
  slug: string;
  name: string;
  nameEn: string;
  kind: ResourceKind;
  description: string;
  descriptionEn: string;
  location: string;
  locationEn: string;
  capacity: number;
  policy: {
    requiresApproval?: boolean;
    slotMinutes?: number;
    minDurationMinutes?: number;
    maxDurationMinutes?: number;
    leadTimeMinutes?: number;
    maxDaysAhead?: number;
    priceCreditsPerSlot?: number;
  };
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weeklyHours: Array<{ weekday: number; opensAt: string; closesAt: string }>;
  /** Dated changes, `inDays` counted from the day the demo is seeded. */
  exceptions: Array<{ inDays: number; kind: 'CLOSED' | 'EXTRA_OPENING'; opensAt?: string; closesAt?: string; reason: string; reasonEn: string }>;
  listing: { summary: string; summaryEn: string };
}

/** What the directory records of a community, less its endpoint (known only at start-up). */
export interface DemoCommunity extends Omit<exchange.directoryService.CommunityRegistration, 'endpoint'> {
  resources: DemoResource[];
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hours = (days: number[], opensAt: string, closesAt: string) => days.map((weekday) => ({ weekday, opensAt, closesAt }));
const QIBAO = { district: '闵行区', districtEn: 'Minhang District', street: '七宝镇', streetEn: 'Qibao Town' };

export const DEMO_COMMUNITIES: DemoCommunity[] = [
  {
    id: 'qibao-a',
    name: '七宝新镇社区',
    nameEn: 'Xinzhen Community, Qibao',
    ...QIBAO,
    resources: [
      {
        slug: 'kindergarten-day-seats',
        name: '新镇幼儿园日托学位',
        nameEn: 'Day-care seats at Xinzhen Kindergarten',
        kind: ResourceKind.EDUCATION_SEATS,
        description: '面向 3–6 岁儿童的全日托临时学位，含午餐与午睡。需园方审核。',
        descriptionEn: 'Temporary full-day seats for children aged 3–6, lunch and nap included. Reviewed by the kindergarten.',
        location: '七宝镇新镇路 88 号 新镇幼儿园',
        locationEn: 'Xinzhen Kindergarten, 88 Xinzhen Road, Qibao',
        capacity: 12,
        policy: { requiresApproval: true, slotMinutes: 480, minDurationMinutes: 480, maxDurationMinutes: 480, leadTimeMinutes: 24 * 60, maxDaysAhead: 60, priceCreditsPerSlot: 20 },
        weeklyHours: hours(WEEKDAYS, '08:00', '16:00'),
        exceptions: [{ inDays: 9, kind: 'CLOSED', reason: '教师教研日', reasonEn: 'Teacher training day' }],
        listing: {
          summary: '工作日全日托临时学位，适合家长临时加班或外出。',
          summaryEn: 'Weekday full-day seats for parents who must work late or travel.',
        },
      },
      {
        slug: 'parent-child-room',
        name: '亲子活动室',
        nameEn: 'Parent–child activity room',
        kind: ResourceKind.ROOM,
        description: '铺有软垫、绘本角和小型滑梯，可容纳 6 个家庭。',
        descriptionEn: 'Soft floor, a picture-book corner and a small slide; fits six families.',
        location: '新镇社区服务中心 2 楼 203 室',
        locationEn: 'Room 203, Xinzhen Community Service Centre',
        capacity: 1,
        policy: { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 180, leadTimeMinutes: 60, maxDaysAhead: 14, priceCreditsPerSlot: 5 },
        weeklyHours: hours([6, 7], '09:00', '17:00'),
        exceptions: [{ inDays: 3, kind: 'EXTRA_OPENING', opensAt: '18:00', closesAt: '20:30', reason: '晚间亲子阅读', reasonEn: 'Evening family reading' }],
        listing: { summary: '周末亲子活动室，按小时预约。', summaryEn: 'Weekend family room, booked by the hour.' },
      },
    ],
  },
  {
    id: 'qibao-b',
    name: '七宝沪星社区',
    nameEn: 'Huxing Community, Qibao',
    ...QIBAO,
    resources: [
      {
        slug: 'sports-hall',
        name: '沪星社区体育馆',
        nameEn: 'Huxing Community Sports Hall',
        kind: ResourceKind.VENUE,
        description: '室内综合馆，可用于篮球、排球与社区活动，配更衣室。',
        descriptionEn: 'Indoor hall for basketball, volleyball and community events, with changing rooms.',
        location: '七宝镇沪星路 120 号',
        locationEn: '120 Huxing Road, Qibao',
        capacity: 1,
        policy: { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 180, leadTimeMinutes: 120, maxDaysAhead: 30, priceCreditsPerSlot: 30 },
        weeklyHours: hours(EVERY_DAY, '07:00', '21:00'),
        exceptions: [{ inDays: 12, kind: 'CLOSED', reason: '地板维护', reasonEn: 'Floor maintenance' }],
        listing: { summary: '整馆包场，适合社区联赛与活动。', summaryEn: 'The whole hall, for league games and events.' },
      },
      {
        slug: 'badminton-courts',
        name: '羽毛球场',
        nameEn: 'Badminton courts',
        kind: ResourceKind.VENUE,
        description: '4 片标准场地，提供球网，球拍可在前台借用。',
        descriptionEn: 'Four standard courts with nets; rackets can be borrowed at the desk.',
        location: '沪星社区体育馆 2 楼',
        locationEn: 'Level 2, Huxing Community Sports Hall',
        capacity: 4,
        policy: { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 120, leadTimeMinutes: 30, maxDaysAhead: 7, priceCreditsPerSlot: 8 },
        weeklyHours: hours(EVERY_DAY, '08:00', '22:00'),
        exceptions: [],
        listing: { summary: '按场按小时预约，每次最多 2 小时。', summaryEn: 'Per court and hour, up to two hours a booking.' },
      },
      {
        slug: 'basketball-court',
        name: '室外篮球场',
        nameEn: 'Outdoor basketball court',
        kind: ResourceKind.VENUE,
        description: '标准半场两个，夜间有照明。',
        descriptionEn: 'Two half courts with floodlights.',
        location: '沪星社区中心广场东侧',
        locationEn: 'East side of Huxing Community Square',
        capacity: 2,
        policy: { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 120, leadTimeMinutes: 30, maxDaysAhead: 7, priceCreditsPerSlot: 5 },
        weeklyHours: hours(EVERY_DAY, '06:00', '20:00'),
        exceptions: [],
        listing: { summary: '室外半场，傍晚最受欢迎。', summaryEn: 'Outdoor half courts, busiest in the early evening.' },
      },
    ],
  },
  {
    id: 'qibao-c',
    name: '七宝号文社区',
    nameEn: 'Haowen Community, Qibao',
    ...QIBAO,
    resources: [
      {
        slug: 'family-doctor-clinic',
        name: '家庭医生义诊',
        nameEn: 'Family-doctor clinic',
        kind: ResourceKind.MEDICAL_SERVICE,
        description: '社区卫生服务中心医疗队驻点义诊：血压血糖测量、慢病随访与用药咨询。',
        descriptionEn: 'The health centre’s team holds clinics: blood pressure and glucose checks, chronic-care follow-up, medication advice.',
        location: '号文社区卫生服务站',
        locationEn: 'Haowen Community Health Station',
        capacity: 4,
        policy: { slotMinutes: 30, minDurationMinutes: 30, maxDurationMinutes: 30, leadTimeMinutes: 60, maxDaysAhead: 21, priceCreditsPerSlot: 0 },
        weeklyHours: hours([2, 4], '09:00', '11:30'),
        exceptions: [{ inDays: 5, kind: 'EXTRA_OPENING', opensAt: '14:00', closesAt: '16:00', reason: '秋冬流感疫苗咨询', reasonEn: 'Flu-vaccine advice session' }],
        listing: { summary: '每周二、四上午，每 30 分钟 4 个号。', summaryEn: 'Tuesday and Thursday mornings, four places every half hour.' },
      },
      {
        slug: 'rehab-equipment',
        name: '康复辅具借用',
        nameEn: 'Rehabilitation equipment loan',
        kind: ResourceKind.EQUIPMENT,
        description: '轮椅、助行器与理疗仪，借用需出示身份证件。',
        descriptionEn: 'Wheelchairs, walkers and physiotherapy devices; bring an ID to borrow.',
        location: '号文社区卫生服务站 1 楼',
        locationEn: 'Ground floor, Haowen Community Health Station',
        capacity: 6,
        policy: { slotMinutes: 240, minDurationMinutes: 240, maxDurationMinutes: 480, leadTimeMinutes: 60, maxDaysAhead: 14, priceCreditsPerSlot: 2 },
        weeklyHours: hours([1, 2, 3, 4, 5, 6], '08:30', '16:30'),
        exceptions: [],
        listing: { summary: '按半天借用，可连续借一天。', summaryEn: 'Borrowed by the half day, up to a full day.' },
      },
    ],
  },
];
