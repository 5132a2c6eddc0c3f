import { CareCategory, RiskTier, VisitMode } from '@linli/community/modules/grids/care.entity';
import * as careService from '@linli/community/modules/grids/care.service';
import { CaseCategory, CaseStatus, CaseUrgency } from '@linli/community/modules/grids/case.entity';
import * as caseService from '@linli/community/modules/grids/case.service';
import { Grid } from '@linli/community/modules/grids/grid.entity';
import * as gridService from '@linli/community/modules/grids/grid.service';
import { Role } from '@linli/subgraph-kit/identity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DemoPerson } from './people.js';

/*
 * The demo's grid work (网格化) in each Qibao community: two grids with their party
 * branches and workers, households, residents in care — some of them overdue a visit —
 * their visits, and cases at every stage, a red one already past its deadline (the
 * scheduler escalates it once the community is up).
 *
 * Grid workers are `grid-<letter><n>` (grid-a1 leads grid 1 of qibao-a, grid-a3 grid 2);
 * DEMO_GRID_WORKERS describes them as demo identities. The demo resident of each community
 * (`resident-<letter>`) is the one-to-one helper of one elderly neighbour and has reported
 * two cases, so signing in as them shows both sides.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface CommunityGrids {
  /** South-west corner of the community on the map, [longitude, latitude]. */
  origin: [number, number];
  /** Grid 1 and grid 2: zh, en, the road they lie along. */
  grids: Array<{ name: string; nameEn: string; partyBranch: string; partyBranchEn: string; road: string }>;
  /** Worker names, grid-x1 … grid-x4 (x1 leads grid 1, x3 leads grid 2). */
  workers: [string, string, string, string];
  /** Residents in care: [name, phone, grid 0|1, category, tier, days since enrolment, days since last visit (null: none yet), notes]. */
  care: Array<[string, string, 0 | 1, CareCategory, RiskTier, number, number | null, string]>;
}

const COMMUNITIES: Record<string, CommunityGrids> = {
  'qibao-a': {
    origin: [121.335, 31.152],
    grids: [
      { name: '新镇第一网格', nameEn: 'Xinzhen Grid 1', partyBranch: '新镇社区第一党支部', partyBranchEn: 'First Party Branch, Xinzhen Community', road: '新镇路' },
      { name: '新镇第二网格', nameEn: 'Xinzhen Grid 2', partyBranch: '新镇社区第二党支部', partyBranchEn: 'Second Party Branch, Xinzhen Community', road: '七莘路' },
    ],
    workers: ['李秀梅', '黄伟', '徐静', '马国强'],
    care: [
      ['陈阿婆', '13916200101', 0, CareCategory.ELDERLY_ALONE, RiskTier.HIGH, 120, 9, '独居，高血压，子女在外地，每周电话联系一次'],
      ['沈老伯', '13916200102', 0, CareCategory.DISABLED, RiskTier.KEY, 200, 12, '下肢残疾，轮椅出行，楼道需保持畅通'],
      ['朱阿姨', '13916200103', 1, CareCategory.ELDERLY_ALONE, RiskTier.HIGH, 60, 3, '独居，轻度认知障碍，已装燃气报警器'],
      ['蒋先生', '13916200104', 1, CareCategory.OTHER_KEY, RiskTier.GENERAL, 100, null, '低保家庭，需关注就业援助'],
    ],
  },
  'qibao-b': {
    origin: [121.35, 31.162],
    grids: [
      { name: '沪星第一网格', nameEn: 'Huxing Grid 1', partyBranch: '沪星社区第一党支部', partyBranchEn: 'First Party Branch, Huxing Community', road: '沪星路' },
      { name: '沪星第二网格', nameEn: 'Huxing Grid 2', partyBranch: '沪星社区第二党支部', partyBranchEn: 'Second Party Branch, Huxing Community', road: '漕宝路' },
    ],
    workers: ['钱海军', '孙丽', '周晓东', '吴佳'],
    care: [
      ['杨奶奶', '13916200201', 0, CareCategory.ELDERLY_ALONE, RiskTier.HIGH, 90, 2, '独居，糖尿病，需每周助餐'],
      ['许大爷', '13916200202', 0, CareCategory.ELDERLY_ALONE, RiskTier.KEY, 150, 35, '独居，听力差，上门时需多敲门'],
      ['何女士', '13916200203', 1, CareCategory.DISABLED, RiskTier.KEY, 80, 6, '视力残疾，由女儿照看'],
      ['冯老师', '13916200204', 1, CareCategory.OTHER_KEY, RiskTier.GENERAL, 40, null, '退休教师，术后康复期'],
    ],
  },
  'qibao-c': {
    origin: [121.342, 31.142],
    grids: [
      { name: '万科第一网格', nameEn: 'Wanke Grid 1', partyBranch: '万科社区第一党支部', partyBranchEn: 'First Party Branch, Wanke Community', road: '吴宝路' },
      { name: '万科第二网格', nameEn: 'Wanke Grid 2', partyBranch: '万科社区第二党支部', partyBranchEn: 'Second Party Branch, Wanke Community', road: '新龙路' },
    ],
    workers: ['郭建华', '林芳', '罗志明', '高雪'],
    care: [
      ['宋阿公', '13916200301', 0, CareCategory.ELDERLY_ALONE, RiskTier.HIGH, 30, 8, '独居，行动不便，已申请助浴服务'],
      ['唐阿姨', '13916200302', 0, CareCategory.DISABLED, RiskTier.HIGH, 45, 1, '肢体残疾，独自居住，需定期送药'],
      ['韩伯伯', '13916200303', 1, CareCategory.ELDERLY_ALONE, RiskTier.KEY, 300, 20, '独居，喜欢下棋，可引导参加社区活动'],
      ['曹先生', '13916200304', 1, CareCategory.OTHER_KEY, RiskTier.GENERAL, 120, 95, '刑满释放人员，安置帮教对象'],
    ],
  },
};

/** The grid workers of every demo community, as demo identities (for the demo's people list). */
export const DEMO_GRID_WORKERS: DemoPerson[] = Object.entries(COMMUNITIES).flatMap(([communityId, spec]) =>
  spec.workers.map((name, i) => ({
    userId: `grid-${communityId.slice(-1)}${i + 1}`,
    name,
    label: i % 2 === 0 ? '网格长' : '网格员',
    labelEn: i % 2 === 0 ? 'Grid leader' : 'Grid worker',
    homeCommunityId: communityId,
    roles: [Role.RESIDENT, Role.GRID_WORKER],
  })),
);

/** A rectangle of about 500 m × 400 m, [longitude, latitude]. */
function block(west: number, south: number): { type: 'Polygon'; coordinates: number[][][] } {
  const east = west + 0.005;
  const north = south + 0.004;
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

/**
 * Writes the demo grid work of `communityId` into its own database, unless it has grids
 * already (then it writes nothing and returns false). `em` is an EntityManager of that
 * community's database, opened with the community's `entities` and `migrations`; `today`
 * is the moment the demo starts (visits and cases are dated back from it). All or nothing.
 */
export async function seedGrids(em: EntityManager, communityId: string, today: Date): Promise<boolean> {
  const spec = COMMUNITIES[communityId];
  if (!spec) throw new Error(`No demo grids for community ${communityId}`);
  if ((await em.fork().count(Grid, {})) > 0) return false;
  const letter = communityId.slice(-1);
  const ago = (days: number, hours = 0) => new Date(today.getTime() - days * DAY - hours * HOUR);
  const seededAt = ago(365);

  await em.fork().transactional(async (tx) => {
    const gridIds: string[] = [];
    for (const [i, g] of spec.grids.entries()) {
      const { road: _road, ...input } = g;
      const grid = await gridService.createGrid(tx, { ...input, boundary: block(spec.origin[0] + i * 0.005, spec.origin[1]) }, seededAt);
      gridIds.push(grid.id);
      for (const n of [1, 2]) {
        await gridService.assignWorker(tx, { gridId: grid.id, userId: `grid-${letter}${i * 2 + n}`, leader: n === 1 }, seededAt);
      }
    }
    const workerOf = (grid: 0 | 1, n: 1 | 2) => `grid-${letter}${grid * 2 + n}`;

    const careIds: string[] = [];
    for (const [i, [name, phone, grid, category, riskTier, enrolledDaysAgo, visitedDaysAgo, notes]] of spec.care.entries()) {
      const household = await gridService.addHousehold(tx, { gridId: gridIds[grid]!, address: `七宝镇${spec.grids[grid]!.road} ${100 + i * 12} 弄 ${i + 2} 号 ${i + 1}0${i + 1} 室` }, seededAt);
      const resident = await gridService.addResident(tx, { householdId: household.id, name, phone }, seededAt);
      // The demo resident helps the first elderly neighbour one to one (结对帮扶).
      const helperId = i === 0 ? `resident-${letter}` : null;
      const record = await careService.enrol(tx, { residentId: resident.id, category, riskTier, helperId, notes }, ago(enrolledDaysAgo));
      careIds.push(record.id);
      if (visitedDaysAgo !== null) {
        // An earlier visit a week before the latest one, when there was time for it.
        for (const [k, daysAgo] of [visitedDaysAgo + 7, visitedDaysAgo].entries()) {
          if (daysAgo >= enrolledDaysAgo) continue;
          const visitedAt = ago(daysAgo, -2);
          await careService.recordVisit(
            tx,
            {
              careRecordId: record.id,
              workerId: workerOf(grid, k === 0 ? 2 : 1),
              visitedAt,
              mode: k === 0 ? VisitMode.PHONE : VisitMode.HOME,
              notes: k === 0 ? '电话问候，身体状况平稳' : '上门走访，居家环境安全，已提醒按时服药',
              needs: riskTier === RiskTier.HIGH ? ['助餐', '代配药'] : [],
              idempotencyKey: `demo-visit-${record.id}-${k}`,
            },
            // Recorded an hour after the visit, as the worker would have on the day.
            new Date(visitedAt.getTime() + HOUR),
          );
        }
      }
    }

    const cases: Array<{
      reporter: string;
      grid: 0 | 1;
      category: CaseCategory;
      urgency: CaseUrgency;
      title: string;
      description: string;
      location: string;
      hoursAgo: number;
      to: CaseStatus;
      care?: number;
    }> = [
      { reporter: `resident-${letter}`, grid: 0, category: CaseCategory.SAFETY, urgency: CaseUrgency.RED, title: '楼道电线老化冒火花', description: '3 号楼 2 单元一楼楼道电表箱附近电线冒火花，有焦味。', location: '3 号楼 2 单元', hoursAgo: 3, to: CaseStatus.REGISTERED },
      { reporter: `resident-${letter}`, grid: 0, category: CaseCategory.ENVIRONMENT, urgency: CaseUrgency.YELLOW, title: '楼道堆放杂物', description: '5 号楼 1 单元楼道堆放纸箱和旧家具，影响通行。', location: '5 号楼 1 单元', hoursAgo: 30, to: CaseStatus.CLOSED },
      { reporter: workerOf(0, 2), grid: 0, category: CaseCategory.SERVICE_ERRAND, urgency: CaseUrgency.YELLOW, title: '代购降压药', description: '为独居老人代购本周降压药并送药上门。', location: '', hoursAgo: 5, to: CaseStatus.IN_PROGRESS, care: 0 },
      { reporter: `neighbour-${letter}1`, grid: 1, category: CaseCategory.MEDIATION, urgency: CaseUrgency.BLUE, title: '邻里噪音纠纷', description: '楼上夜间装修噪音，双方已多次争执，需要调解。', location: '12 号楼', hoursAgo: 20, to: CaseStatus.DISPATCHED },
      { reporter: workerOf(1, 1), grid: 1, category: CaseCategory.POLICY_OUTREACH, urgency: CaseUrgency.BLUE, title: '长护险政策宣传', description: '向辖区高龄老人家庭宣传长期护理保险申请流程。', location: '社区活动室', hoursAgo: 48, to: CaseStatus.RESOLVED },
      { reporter: `neighbour-${letter}2`, grid: 1, category: CaseCategory.OTHER, urgency: CaseUrgency.BLUE, title: '共享单车乱停放', description: '小区南门外共享单车堆积，堵住盲道。', location: '南门', hoursAgo: 1, to: CaseStatus.REPORTED },
    ];
    const path = [CaseStatus.REGISTERED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.VERIFIED, CaseStatus.CLOSED];
    const anyone: caseService.StepAuthoriser = () => {};
    for (const [n, c] of cases.entries()) {
      const reportedAt = ago(0, c.hoursAgo);
      const created = await caseService.reportCase(
        tx,
        {
          category: c.category,
          urgency: c.urgency,
          title: c.title,
          description: c.description,
          location: c.location,
          gridId: gridIds[c.grid]!,
          careRecordId: c.care === undefined ? null : careIds[c.care]!,
          reporterId: c.reporter,
          idempotencyKey: `demo-case-${n}`,
        },
        reportedAt,
      );
      const leader = workerOf(c.grid, 1);
      const assignee = workerOf(c.grid, 2);
      let at = reportedAt.getTime();
      for (const to of path.slice(0, path.indexOf(c.to) + 1)) {
        at += 20 * 60_000;
        const actor = to === CaseStatus.IN_PROGRESS || to === CaseStatus.RESOLVED ? assignee : to === CaseStatus.CLOSED ? `staff-${letter}` : leader;
        await caseService.transitionCase(
          tx,
          created.id,
          {
            to,
            assigneeId: to === CaseStatus.DISPATCHED ? assignee : null,
            note: to === CaseStatus.RESOLVED ? '已处理完毕，居民满意' : to === CaseStatus.REGISTERED ? '已受理' : null,
          },
          actor,
          anyone,
          new Date(at),
        );
      }
      if (c.to === CaseStatus.CLOSED) await caseService.evaluateCase(tx, created.id, { score: 5, comment: '处理很快，谢谢网格员！' }, new Date(at + HOUR));
    }
  });
  return true;
}
