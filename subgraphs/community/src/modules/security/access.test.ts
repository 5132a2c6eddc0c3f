import { ManualClock } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { errorOf, recordAccess, registerDevice, viewersOf, type DeviceCredential } from '../../test/security.js';
import { developmentPseudonymSecret, pseudonymOf } from './pseudonym.js';

const COMMUNITY = 'sec-access';
const who = viewersOf(COMMUNITY);
const clock = new ManualClock(new Date('2026-11-10T02:00:00Z'));
const HOLDER = 'resident-card-0042';
const OTHER_HOLDER = 'resident-card-0077';

let h: CommunityHarness;
let eastGate: DeviceCredential;
let westGate: DeviceCredential;
let key = 0;
const nextKey = () => `pass-${++key}`;
const sql = <T>(query: string, params: unknown[] = []) => h.subgraph.orm.em.fork().execute<T[]>(query, params);
const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();

interface Listed {
  accessEvents: { edges: Array<{ node: { id: string; occurredAt: string; result: string; method: string; subjectPseudonym: string | null; device: { id: string; name: string } } }> } | null;
}
const LIST = `query($c: ID!, $subject: String, $first: Int) {
  accessEvents(communityId: $c, subjectPseudonym: $subject, first: $first) { edges { node { id occurredAt result method subjectPseudonym recordedAt device { id name } } } }
}`;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  eastGate = await registerDevice(h, { kind: 'DOOR_ACCESS', name: '东门', location: '东门' });
  westGate = await registerDevice(h, { kind: 'FACE_TERMINAL', name: '西门人脸终端', nameEn: 'West gate face terminal', location: '西门' });
});
afterAll(async () => {
  await h?.close();
});

describe('access events', () => {
  it('keeps only a pseudonym of whoever passed: the same person gets the same one at every door, and the raw id is stored nowhere', async () => {
    const passes = [
      [eastGate, { occurredAt: minutesAgo(30), result: 'GRANTED', method: 'CARD', credentialHolderId: HOLDER }],
      [westGate, { occurredAt: minutesAgo(20), result: 'GRANTED', method: 'FACE', credentialHolderId: HOLDER }],
      [westGate, { occurredAt: minutesAgo(10), result: 'DENIED', method: 'QR', credentialHolderId: OTHER_HOLDER }],
      [eastGate, { occurredAt: minutesAgo(5), result: 'DENIED', method: 'PIN', credentialHolderId: null }],
    ] as const;
    for (const [door, event] of passes) {
      const res = await recordAccess(h, door, { ...event, idempotencyKey: nextKey() });
      expect(res.body.errors).toBeUndefined();
    }

    const rows = await sql<{ subject_pseudonym: string | null; dump: string }>(`select subject_pseudonym, t::text as dump from security_access_event t order by occurred_at`);
    expect(rows).toHaveLength(4);
    const [a, b, c, d] = rows.map((r) => r.subject_pseudonym);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(d).toBeNull();
    // The documented construction, under this community's (development) key.
    expect(a).toBe(pseudonymOf(developmentPseudonymSecret(COMMUNITY), COMMUNITY, HOLDER));
    const everywhere = await sql<{ dump: string }>(`select string_agg(t::text, '|') as dump from security_access_event t`);
    for (const raw of [HOLDER, OTHER_HOLDER, '0042']) {
      expect(rows.every((r) => !r.dump.includes(raw))).toBe(true);
      expect(everywhere[0]!.dump).not.toContain(raw);
    }
  });

  it('shows security staff the pseudonym and the door, never the holder’s id, and logs every event read', async () => {
    const res = await h.request<Listed>(LIST, { c: COMMUNITY }, who.security);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.accessEvents!.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.device.name, n.result, n.method])).toEqual([
      ['东门', 'DENIED', 'PIN'],
      ['西门人脸终端', 'DENIED', 'QR'],
      ['西门人脸终端', 'GRANTED', 'FACE'],
      ['东门', 'GRANTED', 'CARD'],
    ]);
    expect(JSON.stringify(res.body)).not.toContain(HOLDER);

    const audit = await sql<{ actor_id: string; actor_roles: string[]; action: string; subject_id: string; fields: string[]; at: Date }>(
      `select actor_id, actor_roles, action, subject_id, fields, at from audit_entry where subject_type = 'AccessEvent' order by subject_id`,
    );
    expect(audit.map((r) => r.subject_id)).toEqual(nodes.map((n) => n.id).sort());
    for (const row of audit) {
      expect(row).toMatchObject({ actor_id: 'guard-1', actor_roles: ['SECURITY_STAFF'], action: 'READ' });
      expect(row.fields).toContain('subjectPseudonym');
      expect(new Date(row.at).toISOString()).toBe(clock.now().toISOString());
    }
  });

  it('lets the admin follow one pseudonym, and logs that read too; the admin then sees both reads in the audit log', async () => {
    const [{ subject_pseudonym: pseudonym }] = (await sql<{ subject_pseudonym: string }>(`select subject_pseudonym from security_access_event where method = 'CARD'`)) as [{ subject_pseudonym: string }];
    const res = await h.request<Listed>(LIST, { c: COMMUNITY, subject: pseudonym }, who.admin);
    const nodes = res.body.data!.accessEvents!.edges.map((e) => e.node);
    expect(nodes.map((n) => n.method)).toEqual(['FACE', 'CARD']);

    const log = await h.request<{ auditLog: { edges: Array<{ node: { actorId: string; subjectType: string; subjectId: string } }> } }>(
      `query($c: ID!) { auditLog(communityId: $c, subjectType: "AccessEvent", first: 100) { edges { node { actorId subjectType subjectId } } } }`,
      { c: COMMUNITY },
      who.admin,
    );
    expect(log.body.errors).toBeUndefined();
    const entries = log.body.data!.auditLog.edges.map((e) => e.node);
    expect(entries.filter((e) => e.actorId === 'admin-1').map((e) => e.subjectId).sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(entries.filter((e) => e.actorId === 'guard-1')).toHaveLength(4);
  });

  it('writes no audit entry for a refused read', async () => {
    const before = await sql(`select id from audit_entry`);
    for (const viewer of [who.staff, who.resident, who.securityElsewhere]) {
      const res = await h.request<Listed>(LIST, { c: COMMUNITY }, viewer);
      expect(errorOf(res.body)?.code).toBe('FORBIDDEN');
    }
    expect(await sql(`select id from audit_entry`)).toHaveLength(before.length);
  });

  it('stores a retried report once, and refuses the same key for a different report', async () => {
    const event = { occurredAt: minutesAgo(1), result: 'GRANTED', method: 'CARD', credentialHolderId: HOLDER, idempotencyKey: nextKey() };
    const first = await recordAccess(h, eastGate, event);
    const retry = await recordAccess(h, eastGate, event);
    expect(retry.body.data?.recordAccessEvent?.accessEventId).toBe(first.body.data?.recordAccessEvent?.accessEventId);
    const changed = await recordAccess(h, eastGate, { ...event, result: 'DENIED' });
    expect(errorOf(changed.body)).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await sql(`select id from security_access_event where idempotency_key = ?`, [event.idempotencyKey])).toHaveLength(1);
  });

  it.each([
    ['from a camera', async () => registerDevice(h, { kind: 'CAMERA', name: '摄像头', location: '东门' }), { occurredAt: minutesAgo(1) }, 'deviceKind'],
    ['more than 7 days old', async () => eastGate, { occurredAt: minutesAgo(8 * 24 * 60) }, 'occurredAt'],
    ['from the future', async () => eastGate, { occurredAt: minutesAgo(-60) }, 'occurredAt'],
  ])('refuses a report %s', async (_what, door, overrides, rule) => {
    const res = await recordAccess(h, await door(), { result: 'GRANTED', method: 'CARD', credentialHolderId: HOLDER, idempotencyKey: nextKey(), ...overrides });
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_USER_INPUT', rule });
  });

  it('refuses a report with a wrong device secret', async () => {
    const res = await recordAccess(h, { ...eastGate, secret: 'nope' }, { occurredAt: minutesAgo(1), result: 'GRANTED', method: 'CARD', idempotencyKey: nextKey() });
    expect(errorOf(res.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'DEVICE_CREDENTIAL' });
  });

  it('has no way to send a face image or template: such an input field does not exist', async () => {
    const res = await recordAccess(h, eastGate, { occurredAt: minutesAgo(1), result: 'GRANTED', method: 'FACE', idempotencyKey: nextKey(), faceImage: 'data:image/png;base64,AAAA' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/faceImage/);
  });
});

describe('pseudonyms', () => {
  it('differ between communities and between secrets for the same holder, and are stable otherwise', () => {
    const secret = 'x'.repeat(32);
    expect(pseudonymOf(secret, 'qibao-a', HOLDER)).toBe(pseudonymOf(secret, 'qibao-a', HOLDER));
    expect(pseudonymOf(secret, 'qibao-a', HOLDER)).not.toBe(pseudonymOf(secret, 'qibao-b', HOLDER));
    expect(pseudonymOf(secret, 'qibao-a', HOLDER)).not.toBe(pseudonymOf('y'.repeat(32), 'qibao-a', HOLDER));
  });
});
