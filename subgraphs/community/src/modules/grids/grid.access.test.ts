import type { Viewer } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { codes, ok, people, setUpGrids, type GridSetup } from '../../test/grids.js';

/*
 * Who may read which personal detail of a resident in care, asked field by field through
 * the subgraph as every kind of viewer, and what the audit log records of it.
 */

const COMMUNITY = 'test-grid-access';
const who = people(COMMUNITY);
const c = COMMUNITY;

/** grid A's resident in care, as set up by setUpGrids. */
const VALUES = { name: '王秀英', phone: '13800000001', address: '七宝镇新镇路 88 弄 5 号 301 室', notes: '独居，有高血压，子女在外地' };
type Field = keyof typeof VALUES;
const FIELDS = Object.keys(VALUES) as Field[];

/** What each viewer gets: every field, some fields (the rest FORBIDDEN), or no record at all. */
const MATRIX: Array<[label: string, viewer: Viewer, allowed: Field[] | 'record FORBIDDEN']> = [
  ['community admin', who.admin, FIELDS],
  ['community staff', who.staff, FIELDS],
  ['grid worker of this grid (leader)', who.workerA, FIELDS],
  ['grid worker of this grid', who.workerA2, FIELDS],
  ['one-to-one helper (volunteer)', who.helper, ['name', 'phone', 'address']],
  ['grid worker of another grid', who.workerB, 'record FORBIDDEN'],
  ['assigned to this grid without the GRID_WORKER role', who.formerWorkerA, 'record FORBIDDEN'],
  ['resident', who.resident, 'record FORBIDDEN'],
  ['volunteer (not the helper)', who.volunteer, 'record FORBIDDEN'],
  ['security staff', who.security, 'record FORBIDDEN'],
  ['resident of another community', who.residentElsewhere, 'record FORBIDDEN'],
  ['staff and admin of another community', who.staffElsewhere, 'record FORBIDDEN'],
  ['grid worker of another community with the same user id', who.workerElsewhere, 'record FORBIDDEN'],
  ['federation admin', who.federationAdmin, 'record FORBIDDEN'],
  ['a Linli service', who.service, 'record FORBIDDEN'],
  ['anonymous', who.anonymous, 'record FORBIDDEN'],
];

const AUDIT = `query($c: ID!, $type: String, $id: ID) { auditLog(communityId: $c, subjectType: $type, subjectId: $id, first: 100) {
  edges { node { actorId actorRoles action subjectType subjectId fields } } } }`;
interface Audit {
  actorId: string;
  actorRoles: string[];
  action: string;
  subjectType: string;
  subjectId: string;
  fields: string[];
}

let h: CommunityHarness;
let setup: GridSetup;
let visitId: string;
beforeAll(async () => {
  h = await startCommunity(COMMUNITY);
  setup = await setUpGrids(h);
  visitId = (
    await ok<{ recordVisit: { id: string } }>(
      h,
      `mutation($c: ID!, $input: RecordVisitInput!) { recordVisit(communityId: $c, input: $input) { id } }`,
      { c, input: { careRecipientId: setup.careA, visitedAt: new Date().toISOString(), mode: 'PHONE', notes: '电话回访，情绪稳定', needs: ['陪同就医'], idempotencyKey: 'v' } },
      who.workerA,
    )
  ).recordVisit.id;
});
afterAll(async () => {
  await h?.close();
});

async function auditOf(subjectType: string, subjectId: string): Promise<Audit[]> {
  const res = await ok<{ auditLog: { edges: Array<{ node: Audit }> } }>(h, AUDIT, { c, type: subjectType, id: subjectId }, who.admin);
  return res.auditLog.edges.map((e) => e.node);
}

describe('personal details of a resident in care, field by field', () => {
  for (const [label, viewer, allowed] of MATRIX) {
    for (const field of FIELDS) {
      const expected = allowed === 'record FORBIDDEN' ? 'FORBIDDEN (no record)' : allowed.includes(field) ? 'the value' : 'FORBIDDEN (field null)';
      it(`${label} × ${field} → ${expected}`, async () => {
        const res = await h.request<{ careRecipient: Record<string, unknown> | null }>(
          `query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { id ${field} } }`,
          { c, id: setup.careA },
          viewer,
        );
        if (allowed === 'record FORBIDDEN') {
          expect(res.body.data).toEqual({ careRecipient: null });
          expect(codes(res.body)).toEqual(['FORBIDDEN']);
        } else if (allowed.includes(field)) {
          expect(res.body.errors).toBeUndefined();
          expect(res.body.data).toEqual({ careRecipient: { id: setup.careA, [field]: VALUES[field] } });
        } else {
          expect(res.body.data).toEqual({ careRecipient: { id: setup.careA, [field]: null } });
          expect(res.body.errors).toHaveLength(1);
          expect(res.body.errors![0]).toMatchObject({ path: ['careRecipient', field], extensions: { code: 'FORBIDDEN', field } });
        }
      });
    }
  }

  it('are also refused when reached through a case: its reporter sees the case but not the person', async () => {
    const reported = await ok<{ reportCase: { id: string } }>(
      h,
      `mutation($c: ID!, $input: ReportCaseInput!) { reportCase(communityId: $c, input: $input) { id } }`,
      { c, input: { category: 'SERVICE_ERRAND', urgency: 'BLUE', title: '代购', careRecipientId: setup.careA, idempotencyKey: 'errand' } },
      who.helper,
    );
    const read = `query($c: ID!, $id: ID!) { case(communityId: $c, id: $id) { title careRecipient { name notes } } }`;
    // The helper reported it: they see the person's name, not the care notes.
    const asHelper = await h.request<{ case: { careRecipient: { name: string | null; notes: string | null } } }>(read, { c, id: reported.reportCase.id }, who.helper);
    expect(asHelper.body.data?.case.careRecipient).toEqual({ name: VALUES.name, notes: null });
    expect(asHelper.body.errors?.map((e) => e.path)).toEqual([['case', 'careRecipient', 'notes']]);
  });

  it('of visits (notes, needs found) are for the grid’s workers and staff only', async () => {
    const read = `query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { visits { id mode notes needs } } }`;
    const asWorker = await ok<{ careRecipient: { visits: unknown[] } }>(h, read, { c, id: setup.careA }, who.workerA2);
    expect(asWorker.careRecipient.visits).toEqual([{ id: visitId, mode: 'PHONE', notes: '电话回访，情绪稳定', needs: ['陪同就医'] }]);
    const asHelper = await h.request<{ careRecipient: { visits: Array<Record<string, unknown>> } }>(read, { c, id: setup.careA }, who.helper);
    expect(asHelper.body.data?.careRecipient.visits).toEqual([{ id: visitId, mode: 'PHONE', notes: null, needs: null }]);
    expect(codes(asHelper.body)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('of residents and households are for the grid’s workers and staff only', async () => {
    const read = `query($c: ID!, $g: ID!) { households(communityId: $c, gridId: $g) { address residents { name phone } } }`;
    const asStaff = await ok<{ households: unknown[] }>(h, read, { c, g: setup.gridA }, who.staff);
    expect(asStaff.households).toEqual([{ address: VALUES.address, residents: [{ name: VALUES.name, phone: VALUES.phone }] }]);
    for (const viewer of [who.helper, who.workerB, who.resident, who.staffElsewhere]) {
      const res = await h.request(read, { c, g: setup.gridA }, viewer);
      expect(res.body).toMatchObject({ data: { households: null } });
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('the audit log of personal reads', () => {
  it('records who read which fields of which resident in care, once per record per request', async () => {
    const before = await auditOf('CareRecipient', setup.careB);
    await ok(h, `query($c: ID!) { careRecipients(communityId: $c) { id name phone address notes } }`, { c }, who.staff);
    const after = await auditOf('CareRecipient', setup.careB);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toEqual({
      actorId: 'staff-1',
      actorRoles: ['COMMUNITY_STAFF'],
      action: 'READ',
      subjectType: 'CareRecipient',
      subjectId: setup.careB,
      fields: ['address', 'name', 'notes', 'phone'],
    });
    expect((await auditOf('CareRecipient', setup.careA))[0]).toMatchObject({ actorId: 'staff-1', fields: ['address', 'name', 'notes', 'phone'] });
  });

  it('records the helper’s reads of the fields they may see, and not the refused ones', async () => {
    const before = await auditOf('CareRecipient', setup.careA);
    await h.request(`query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { name notes } }`, { c, id: setup.careA }, who.helper);
    const after = await auditOf('CareRecipient', setup.careA);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ actorId: 'helper-1', fields: ['name'] });
  });

  it('records nothing for reads of non-personal fields, or reads refused outright', async () => {
    const before = await auditOf('CareRecipient', setup.careA);
    await ok(h, `query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { id category riskTier nextVisitDue daysOverdue helperId } }`, { c, id: setup.careA }, who.workerA);
    await h.request(`query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { name } }`, { c, id: setup.careA }, who.workerB);
    await h.request(`query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { name } }`, { c, id: setup.careA }, who.staffElsewhere);
    expect(await auditOf('CareRecipient', setup.careA)).toEqual(before);
  });

  it('records reads of visit notes, residents and households too', async () => {
    await ok(h, `query($c: ID!, $id: ID!) { careRecipient(communityId: $c, id: $id) { visits { notes } } }`, { c, id: setup.careA }, who.workerA);
    expect((await auditOf('CareVisit', visitId))[0]).toMatchObject({ actorId: 'grid-a1', fields: ['notes'] });
    await ok(h, `query($c: ID!, $g: ID!) { households(communityId: $c, gridId: $g) { address residents { name } } }`, { c, g: setup.gridA }, who.workerA2);
    expect((await auditOf('Household', setup.householdA))[0]).toMatchObject({ actorId: 'grid-a2', fields: ['address'] });
    expect((await auditOf('Resident', setup.residentA))[0]).toMatchObject({ actorId: 'grid-a2', fields: ['name'] });
  });

  it('is read by the community admin only', async () => {
    for (const viewer of [who.staff, who.workerA, who.staffElsewhere]) {
      const res = await h.request(AUDIT, { c }, viewer);
      expect(codes(res.body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('lists of residents in care', () => {
  const LIST = `query($c: ID!, $g: ID) { careRecipients(communityId: $c, gridId: $g) { id } }`;

  it('show staff everything, a worker their grid, a helper whom they help, and other members nothing', async () => {
    const list = async (viewer: Viewer, g?: string) => (await ok<{ careRecipients: Array<{ id: string }> }>(h, LIST, { c, g }, viewer)).careRecipients.map((r) => r.id);
    expect((await list(who.staff)).sort()).toEqual([setup.careA, setup.careB].sort());
    expect(await list(who.workerA)).toEqual([setup.careA]);
    expect(await list(who.workerB)).toEqual([setup.careB]);
    expect(await list(who.helper)).toEqual([setup.careA]);
    expect(await list(who.resident)).toEqual([]);
    expect(codes((await h.request(LIST, { c, g: setup.gridB }, who.workerA)).body)).toEqual(['FORBIDDEN']);
    for (const viewer of [who.staffElsewhere, who.residentElsewhere, who.anonymous, who.federationAdmin]) {
      expect(codes((await h.request(LIST, { c }, viewer)).body), String(viewer.userId)).toEqual(['FORBIDDEN']);
    }
  });
});
