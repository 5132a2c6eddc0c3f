import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, ok, people, setUpGrids, square, type GridSetup } from '../../test/grids.js';

const COMMUNITY = 'test-grids';
const who = people(COMMUNITY);
const c = COMMUNITY;

const CREATE = `mutation($c: ID!, $input: CreateGridInput!) { createGrid(communityId: $c, input: $input) { id name nameEn partyBranch partyBranchEn boundary createdAt } }`;
const ASSIGN = `mutation($c: ID!, $input: AssignGridWorkerInput!) { assignGridWorker(communityId: $c, input: $input) { userId leader gridId } }`;
const GRIDS = `query($c: ID!) { grids(communityId: $c) { id name workers { userId leader } } }`;
const SETTINGS = `query($c: ID!) { gridSettings(communityId: $c) { highRiskVisitDays keyRiskVisitDays generalRiskVisitDays redResolveMinutes yellowResolveMinutes blueResolveMinutes updatedBy } }`;
const UPDATE_SETTINGS = `mutation($c: ID!, $input: UpdateGridSettingsInput!) { updateGridSettings(communityId: $c, input: $input) { highRiskVisitDays redResolveMinutes updatedBy } }`;

let h: CommunityHarness;
let setup: GridSetup;
beforeAll(async () => {
  h = await startCommunity(COMMUNITY);
  setup = await setUpGrids(h);
});
afterAll(async () => {
  await h?.close();
});

describe('grids', () => {
  it('are created by staff with a validated GeoJSON boundary, stored as given', async () => {
    const boundary = { type: 'MultiPolygon', coordinates: [square(121.36).coordinates, square(121.37).coordinates] };
    const { createGrid } = await ok<{ createGrid: Record<string, unknown> }>(
      h,
      CREATE,
      { c, input: { name: '第三网格', nameEn: 'Grid Three', boundary, partyBranch: '新镇第三党支部', partyBranchEn: 'Xinzhen Third Party Branch' } },
      who.staff,
    );
    expect(createGrid).toMatchObject({ name: '第三网格', nameEn: 'Grid Three', partyBranch: '新镇第三党支部', boundary });
  });

  it('reject a boundary that is not a closed polygon with BAD_USER_INPUT naming the part', async () => {
    const open = { type: 'Polygon', coordinates: [[[121.3, 31.1], [121.31, 31.1], [121.31, 31.11], [121.3, 31.11]]] };
    const res = await h.request(CREATE, { c, input: { name: '坏网格', boundary: open, partyBranch: '某党支部' } }, who.staff);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0]!.extensions).toMatchObject({ rule: 'boundary', path: 'coordinates[0]' });
    const point = await h.request(CREATE, { c, input: { name: '坏网格', boundary: { type: 'Point', coordinates: [121.3, 31.1] }, partyBranch: '某党支部' } }, who.staff);
    expect(point.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'boundary', path: 'type' });
  });

  it('refuse a second grid of the same name with CONFLICT', async () => {
    const res = await h.request(CREATE, { c, input: { name: '第一网格', boundary: square(), partyBranch: '某党支部' } }, who.staff);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'GRID_NAME_TAKEN' });
  });

  it('are created only by staff of this community', async () => {
    for (const viewer of [who.resident, who.workerA, who.security, who.staffElsewhere, who.anonymous, who.service]) {
      const res = await h.request<{ createGrid: unknown }>(CREATE, { c, input: { name: `越权 ${viewer.userId}`, boundary: square(), partyBranch: '某党支部' } }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
      expect(res.body.data?.createGrid ?? null).toBeNull();
    }
  });

  it('have one leader: naming another steps the first down', async () => {
    await ok(h, ASSIGN, { c, input: { gridId: setup.gridA, userId: 'grid-a2', leader: true } }, who.staff);
    let { grids } = await ok<{ grids: Array<{ id: string; workers: Array<{ userId: string; leader: boolean }> }> }>(h, GRIDS, { c }, who.workerA);
    expect(grids.find((g) => g.id === setup.gridA)!.workers).toEqual([
      { userId: 'grid-a2', leader: true },
      { userId: 'grid-a1', leader: false },
      { userId: 'grid-a9', leader: false },
    ]);
    await ok(h, ASSIGN, { c, input: { gridId: setup.gridA, userId: 'grid-a1', leader: true } }, who.staff);
    ({ grids } = await ok<{ grids: Array<{ id: string; workers: Array<{ userId: string; leader: boolean }> }> }>(h, GRIDS, { c }, who.staff));
    expect(grids.find((g) => g.id === setup.gridA)!.workers.filter((w) => w.leader)).toEqual([{ userId: 'grid-a1', leader: true }]);
  });

  it('are listed for members of this community only', async () => {
    const mine = await ok<{ grids: Array<{ name: string }> }>(h, GRIDS, { c }, who.resident);
    expect(mine.grids.map((g) => g.name)).toEqual(expect.arrayContaining(['第一网格', '第二网格']));
    for (const viewer of [who.residentElsewhere, who.staffElsewhere, who.federationAdmin, who.anonymous]) {
      const res = await h.request(GRIDS, { c }, viewer);
      expect(codes(res.body)).toEqual(['FORBIDDEN']);
      expect(res.body.data).toEqual({ grids: null });
    }
  });

  it('answer a request for another community with BAD_USER_INPUT (the gateway routed it wrongly)', async () => {
    const res = await h.request(GRIDS, { c: 'another-community' }, who.staff);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('households and residents', () => {
  const HOUSEHOLDS = `query($c: ID!, $g: ID!) { households(communityId: $c, gridId: $g) { id gridId address residents { id name phone careRecipient { id riskTier } } } }`;

  it('are listed with their residents for the grid’s workers and staff', async () => {
    const { households } = await ok<{ households: Array<{ address: string; residents: Array<{ name: string; phone: string; careRecipient: { riskTier: string } | null }> }> }>(
      h,
      HOUSEHOLDS,
      { c, g: setup.gridA },
      who.workerA,
    );
    expect(households).toHaveLength(1);
    expect(households[0]).toMatchObject({ address: '七宝镇新镇路 88 弄 5 号 301 室', residents: [{ name: '王秀英', phone: '13800000001', careRecipient: { riskTier: 'HIGH' } }] });
  });

  it('are refused to another grid’s worker, residents and other communities', async () => {
    for (const viewer of [who.workerB, who.resident, who.helper, who.formerWorkerA, who.staffElsewhere, who.workerElsewhere]) {
      const res = await h.request(HOUSEHOLDS, { c, g: setup.gridA }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
  });

  it('are added by the grid’s workers, not by another grid’s', async () => {
    const add = `mutation($c: ID!, $input: AddHouseholdInput!) { addHousehold(communityId: $c, input: $input) { id gridId } }`;
    const mine = await ok<{ addHousehold: { gridId: string } }>(h, add, { c, input: { gridId: setup.gridA, address: '新镇路 90 弄 1 号' } }, who.workerA);
    expect(mine.addHousehold.gridId).toBe(setup.gridA);
    const theirs = await h.request(add, { c, input: { gridId: setup.gridB, address: '沪星路 1 号' } }, who.workerA);
    expect(codes(theirs.body)).toEqual(['FORBIDDEN']);
  });

  it('validate a resident’s phone and refuse one user id for two residents', async () => {
    const add = `mutation($c: ID!, $input: AddResidentInput!) { addResident(communityId: $c, input: $input) { id } }`;
    const badPhone = await h.request(add, { c, input: { householdId: setup.householdA, name: '张三', phone: 'call me' } }, who.staff);
    expect(codes(badPhone.body)).toEqual(['BAD_USER_INPUT']);
    const taken = await h.request(add, { c, input: { householdId: setup.householdA, name: '张三', userId: 'elder-1' } }, who.staff);
    expect(taken.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'USER_ID_TAKEN' });
  });
});

describe('grid settings', () => {
  it('default to weekly / monthly / quarterly visits and 2 h / 24 h / 72 h deadlines', async () => {
    const { gridSettings } = await ok<{ gridSettings: Record<string, unknown> }>(h, SETTINGS, { c }, who.workerA);
    expect(gridSettings).toEqual({
      highRiskVisitDays: 7,
      keyRiskVisitDays: 30,
      generalRiskVisitDays: 90,
      redResolveMinutes: 120,
      yellowResolveMinutes: 1440,
      blueResolveMinutes: 4320,
      updatedBy: null,
    });
  });

  it('are changed by the community admin only, and only what is given', async () => {
    for (const viewer of [who.staff, who.workerA, who.staffElsewhere]) {
      const res = await h.request(UPDATE_SETTINGS, { c, input: { highRiskVisitDays: 3 } }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
    const { updateGridSettings } = await ok<{ updateGridSettings: Record<string, unknown> }>(h, UPDATE_SETTINGS, { c, input: { highRiskVisitDays: 5 } }, who.admin);
    expect(updateGridSettings).toEqual({ highRiskVisitDays: 5, redResolveMinutes: 120, updatedBy: 'admin-1' });
    const out = await h.request(UPDATE_SETTINGS, { c, input: { redResolveMinutes: 0 } }, who.admin);
    expect(codes(out.body)).toEqual(['BAD_USER_INPUT']);
    await ok(h, UPDATE_SETTINGS, { c, input: { highRiskVisitDays: 7 } }, who.admin);
  });
});
