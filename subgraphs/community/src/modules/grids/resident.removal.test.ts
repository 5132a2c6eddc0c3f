import { Role, type Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, ok, people, setUpGrids, type GridSetup } from '../../test/grids.js';

const COMMUNITY = 'test-grid-removal';
const who = people(COMMUNITY);
const c = COMMUNITY;
/** The resident in care of grid A, signed in with their own account. */
const elder: Viewer = { userId: 'elder-1', homeCommunityId: COMMUNITY, roles: [Role.RESIDENT] };

const REMOVE = `mutation($c: ID!, $id: ID!) { removeResident(communityId: $c, residentId: $id) { residentId pseudonym visitsPseudonymised casesPseudonymised } }`;
const RECORD = `mutation($c: ID!, $input: RecordVisitInput!) { recordVisit(communityId: $c, input: $input) { id } }`;
const REPORT = `mutation($c: ID!, $input: ReportCaseInput!) { reportCase(communityId: $c, input: $input) { id } }`;
const TRANSITION = `mutation($c: ID!, $input: TransitionCaseInput!) { transitionCase(communityId: $c, input: $input) { id } }`;
const CASE = `query($c: ID!, $id: ID!) { case(communityId: $c, id: $id) { reporterId subjectId description careRecipient { id } history { actorId note } } }`;

/** Personal details of the elder that must not survive removal anywhere in the database. */
const PERSONAL = ['王秀英', '13800000001', 'elder-1', '高血压', '血压偏高', '助餐', '王阿姨', '家里漏水'];

let h: CommunityHarness;
let setup: GridSetup;
const ids = { visits: [] as string[], aboutCase: '', reportedCase: '', otherCase: '' };

beforeAll(async () => {
  h = await startCommunity(COMMUNITY);
  setup = await setUpGrids(h);
  const now = new Date().toISOString();
  for (const [key, notes] of [['v1', '血压偏高，已提醒服药'], ['v2', '情况良好']] as const) {
    const { recordVisit } = await ok<{ recordVisit: { id: string } }>(h, RECORD, { c, input: { careRecipientId: setup.careA, visitedAt: now, mode: 'HOME', notes, needs: ['助餐'], idempotencyKey: key } }, who.workerA);
    ids.visits.push(recordVisit.id);
  }
  // A case about the elder (an errand for them), with notes in its history that name them.
  ids.aboutCase = (
    await ok<{ reportCase: { id: string } }>(h, REPORT, { c, input: { category: 'SERVICE_ERRAND', urgency: 'BLUE', title: '代购药品', description: '王阿姨需要代购降压药', careRecipientId: setup.careA, idempotencyKey: 'about' } }, who.workerA)
  ).reportCase.id;
  await ok(h, TRANSITION, { c, input: { caseId: ids.aboutCase, to: 'REGISTERED', note: '王阿姨，周三送达' } }, who.workerA);
  // A case the elder reported themselves.
  ids.reportedCase = (
    await ok<{ reportCase: { id: string } }>(h, REPORT, { c, input: { category: 'OTHER', urgency: 'YELLOW', title: '楼上漏水', description: '我是 301 的王秀英，家里漏水', idempotencyKey: 'mine' } }, elder)
  ).reportCase.id;
  // Someone else's case, which must come through untouched.
  ids.otherCase = (
    await ok<{ reportCase: { id: string } }>(h, REPORT, { c, input: { category: 'ENVIRONMENT', urgency: 'BLUE', title: '路灯不亮', description: '8 号楼前', idempotencyKey: 'other' } }, who.resident)
  ).reportCase.id;
});
afterAll(async () => {
  await h?.close();
});

/** Every row of every grid table, as text: what a database dump would show. */
async function dump(): Promise<string> {
  const em = h.subgraph.orm.em.fork();
  const tables = ['grid', 'grid_worker', 'household', 'resident', 'care_record', 'care_visit', 'grid_case', 'grid_case_transition', 'audit_entry'];
  const rows = await Promise.all(tables.map((t) => em.execute(`select * from "${t}"`)));
  return JSON.stringify(rows);
}

describe('removeResident', () => {
  it('is for the community admin only, and nobody else changes anything', async () => {
    for (const viewer of [who.staff, who.workerA, elder, who.staffElsewhere, who.service, who.anonymous]) {
      const res = await h.request(REMOVE, { c, id: setup.residentA }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
    expect(await dump()).toContain('王秀英');
  });

  it('changes nothing when any part of it fails: it is one transaction', async () => {
    const em = h.subgraph.orm.em.fork();
    await em.execute(`create function refuse_resident_delete() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`);
    await em.execute(`create trigger refuse_resident_delete before delete on resident for each row execute function refuse_resident_delete()`);
    const before = await dump();
    try {
      const res = await h.request(REMOVE, { c, id: setup.residentA }, who.admin);
      expect(codes(res.body)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(await dump()).toBe(before);
    } finally {
      await em.execute('drop trigger refuse_resident_delete on resident');
      await em.execute('drop function refuse_resident_delete()');
    }
  });

  it('deletes the personal data and leaves the history under a pseudonym', async () => {
    const { removeResident } = await ok<{ removeResident: { residentId: string; pseudonym: string; visitsPseudonymised: number; casesPseudonymised: number } }>(
      h,
      REMOVE,
      { c, id: setup.residentA },
      who.admin,
    );
    expect(removeResident).toMatchObject({ residentId: setup.residentA, visitsPseudonymised: 2, casesPseudonymised: 2 });
    const { pseudonym } = removeResident;
    expect(pseudonym).toMatch(/^anon-[0-9a-f-]{36}$/);

    // Nothing personal anywhere: not the name, phone, account, notes, needs or words about them.
    const after = await dump();
    for (const detail of PERSONAL) expect(after, detail).not.toContain(detail);

    // The visits stay, for the grid's statistics, under the pseudonym.
    const em = h.subgraph.orm.em.fork();
    const visits = await em.execute<Array<Record<string, unknown>>>('select id, care_record_id, subject_pseudonym, grid_id, worker_id, notes, needs from care_visit order by id');
    expect(visits).toHaveLength(2);
    for (const v of visits) {
      expect(v).toMatchObject({ care_record_id: null, subject_pseudonym: pseudonym, grid_id: setup.gridA, worker_id: 'grid-a1', notes: null, needs: [] });
    }

    // The case about them: no link, no description, no notes naming them; the pseudonym instead.
    const about = (await ok<{ case: Record<string, unknown> }>(h, CASE, { c, id: ids.aboutCase }, who.staff)).case;
    expect(about).toMatchObject({ subjectId: pseudonym, description: '', careRecipient: null, history: [{ actorId: 'grid-a1', note: '' }, { actorId: 'grid-a1', note: '' }] });
    // The case they reported: reporter and first step pseudonymised, their words gone.
    const reported = (await ok<{ case: Record<string, unknown> }>(h, CASE, { c, id: ids.reportedCase }, who.staff)).case;
    expect(reported).toMatchObject({ reporterId: pseudonym, description: '', history: [{ actorId: pseudonym }] });
    // Everyone else's record is as it was.
    const other = (await ok<{ case: Record<string, unknown> }>(h, CASE, { c, id: ids.otherCase }, who.staff)).case;
    expect(other).toMatchObject({ reporterId: 'resident-1', description: '8 号楼前' });
    // The household (a dwelling) stays; the care record and the resident are gone.
    const careRecipient = await h.request<{ careRecipient: unknown }>(`query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { id } }`, { c, id: setup.careA }, who.staff);
    expect(careRecipient.body).toEqual({ data: { careRecipient: null } });
    const households = await ok<{ households: Array<{ id: string; residents: unknown[] }> }>(h, `query($c: ID!, $g: ID!) { households(communityId: $c, gridId: $g) { id residents { id } } }`, { c, g: setup.gridA }, who.staff);
    expect(households.households).toEqual([{ id: setup.householdA, residents: [] }]);
    // The other grid's resident in care is untouched.
    expect(after).toContain('李建国');
  });

  it('answers NOT_FOUND for a resident already removed, or never there', async () => {
    expect(codes((await h.request(REMOVE, { c, id: setup.residentA }, who.admin)).body)).toEqual(['NOT_FOUND']);
    expect(codes((await h.request(REMOVE, { c, id: 'not-a-resident' }, who.admin)).body)).toEqual(['NOT_FOUND']);
  });
});
