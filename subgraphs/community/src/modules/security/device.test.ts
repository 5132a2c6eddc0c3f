import { ManualClock } from '@linli/subgraph-kit';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { EventListener, errorOf, getAlarm, heartbeat, raise, REGISTER_DEVICE, registerDevice, viewersOf, type DeviceCredential } from '../../test/security.js';

const COMMUNITY = 'sec-devices';
const who = viewersOf(COMMUNITY);
const clock = new ManualClock(new Date('2026-11-10T02:00:00Z'));
const SECOND = 1000;

let h: CommunityHarness;
let raised: EventListener;

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  raised = await EventListener.listen(COMMUNITY, 'alarm.raised');
});
afterAll(async () => {
  await raised?.close();
  await h?.close();
});

const sql = <T>(query: string, params: unknown[] = []) => h.subgraph.orm.em.fork().execute<T[]>(query, params);

function device(id: string) {
  return h.request<{ securityDevice: { id: string; status: string; lastHeartbeatAt: string | null } | null }>(
    `query($c: ID!, $id: ID!) { securityDevice(communityId: $c, id: $id) { id status lastHeartbeatAt } }`,
    { c: COMMUNITY, id },
    who.security,
  );
}

function deviceMutation(name: 'disableDevice' | 'enableDevice', id: string) {
  return h.request<Record<string, { status: string } | null>>(`mutation($c: ID!, $id: ID!) { ${name}(communityId: $c, id: $id) { status } }`, { c: COMMUNITY, id }, who.security);
}

describe('registering a device', () => {
  it('shows the secret once and keeps only its SHA-256', async () => {
    const res = await h.request<{ registerDevice: { secret: string; device: Record<string, unknown> } }>(
      REGISTER_DEVICE,
      { communityId: COMMUNITY, input: { kind: 'CAMERA', name: '南门摄像头', nameEn: 'South gate camera', location: '南门', locationEn: 'South gate', heartbeatIntervalSeconds: 30 } },
      who.admin,
    );
    expect(res.body.errors).toBeUndefined();
    const { secret, device: registered } = res.body.data!.registerDevice;
    expect(registered).toMatchObject({ kind: 'CAMERA', name: '南门摄像头', locationEn: 'South gate', status: 'OFFLINE', heartbeatIntervalSeconds: 30, lastHeartbeatAt: null });
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

    const [row] = await sql<{ secret_hash: string }>('select secret_hash from security_device_credential where device_id = ?', [registered.id]);
    expect(row!.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const everything = await sql<{ dump: string }>(`select string_agg(t::text, '|') as dump from (select * from security_device_credential) t`);
    expect(everything[0]!.dump).not.toContain(secret);
  });

  it.each([
    ['community staff', who.staff],
    ['a resident', who.resident],
    ['security staff of another community', who.securityElsewhere],
    ['an anonymous caller', who.anonymous],
  ])('refuses %s', async (_who, viewer) => {
    const res = await h.request(REGISTER_DEVICE, { communityId: COMMUNITY, input: { kind: 'CAMERA', name: 'x', location: 'y' } }, viewer);
    expect(errorOf(res.body)?.code).toBe('FORBIDDEN');
  });

  it('refuses a heartbeat interval out of range', async () => {
    const res = await h.request(REGISTER_DEVICE, { communityId: COMMUNITY, input: { kind: 'CAMERA', name: 'x', location: 'y', heartbeatIntervalSeconds: 5 } }, who.security);
    expect(errorOf(res.body)?.code).toBe('BAD_USER_INPUT');
  });
});

describe('device credentials', () => {
  let door: DeviceCredential;
  beforeAll(async () => {
    door = await registerDevice(h);
  });

  it('accepts the device’s own secret from an anonymous caller and brings it ONLINE', async () => {
    const res = await heartbeat(h, door);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.deviceHeartbeat).toMatchObject({ deviceId: door.deviceId, status: 'ONLINE', receivedAt: clock.now().toISOString(), heartbeatIntervalSeconds: 60 });
    expect((await device(door.deviceId)).body.data?.securityDevice).toMatchObject({ status: 'ONLINE', lastHeartbeatAt: clock.now().toISOString() });
  });

  it.each([
    ['a wrong secret', () => ({ ...door, secret: 'wrong' })],
    ['another device’s id', () => ({ ...door, deviceId: '00000000-0000-4000-8000-000000000000' })],
    ['an id that is not a UUID', () => ({ ...door, deviceId: 'gate-1' })],
  ])('refuses %s with FORBIDDEN (reason DEVICE_CREDENTIAL) in a 200 response', async (_what, credential) => {
    const res = await heartbeat(h, credential());
    expect(res.status).toBe(200);
    expect(res.body.data?.deviceHeartbeat).toBeNull();
    expect(errorOf(res.body)).toEqual({ code: 'FORBIDDEN', reason: 'DEVICE_CREDENTIAL' });
  });

  it('stops accepting the old secret once the credential is rotated', async () => {
    const res = await h.request<{ rotateDeviceCredential: { secret: string } }>(
      `mutation($c: ID!, $id: ID!) { rotateDeviceCredential(communityId: $c, id: $id) { secret device { id } } }`,
      { c: COMMUNITY, id: door.deviceId },
      who.security,
    );
    const secret = res.body.data!.rotateDeviceCredential.secret;
    expect(secret).not.toBe(door.secret);
    expect(errorOf((await heartbeat(h, door)).body)?.reason).toBe('DEVICE_CREDENTIAL');
    door = { ...door, secret };
    expect((await heartbeat(h, door)).body.errors).toBeUndefined();
  });

  it('refuses a disabled device (reason DEVICE_DISABLED) and accepts it again once enabled', async () => {
    expect((await deviceMutation('disableDevice', door.deviceId)).body.data?.disableDevice?.status).toBe('DISABLED');
    const refused = await raise(h, door, { type: 'INTRUSION', idempotencyKey: 'while-disabled' });
    expect(errorOf(refused.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'DEVICE_DISABLED' });
    expect((await sql('select id from security_alarm where device_id = ?', [door.deviceId])).length).toBe(0);

    expect((await deviceMutation('enableDevice', door.deviceId)).body.data?.enableDevice?.status).toBe('OFFLINE');
    expect((await heartbeat(h, door)).body.data?.deviceHeartbeat?.status).toBe('ONLINE');
  });
});

describe('heartbeats', () => {
  it('marks a device OFFLINE after 3 missed heartbeats and raises one DEVICE_OFFLINE alarm', async () => {
    const smoke = await registerDevice(h, { kind: 'SMOKE_DETECTOR', name: '5号楼烟感', nameEn: 'Building 5 smoke detector', location: '5号楼', heartbeatIntervalSeconds: 60 });
    const camera = await registerDevice(h, { kind: 'CAMERA', name: '车库摄像头', location: '车库', heartbeatIntervalSeconds: 600 });
    const t0 = clock.now();
    await heartbeat(h, smoke);
    await heartbeat(h, camera);

    clock.set(new Date(t0.getTime() + 180 * SECOND));
    await h.subgraph.scheduler.tick();
    expect((await device(smoke.deviceId)).body.data?.securityDevice?.status).toBe('ONLINE');

    clock.set(new Date(t0.getTime() + 181 * SECOND));
    await h.subgraph.scheduler.tick();
    expect((await device(smoke.deviceId)).body.data?.securityDevice?.status).toBe('OFFLINE');
    expect((await device(camera.deviceId)).body.data?.securityDevice?.status).toBe('ONLINE'); // its interval is 10 minutes

    const offline = await sql<{ id: string }>(`select id from security_alarm where device_id = ? and type = 'DEVICE_OFFLINE'`, [smoke.deviceId]);
    expect(offline).toHaveLength(1);
    await raised.waitFor((e) => e.subjectId === offline[0]!.id && e.data?.type === 'DEVICE_OFFLINE');
    const alarm = await getAlarm(h, offline[0]!.id);
    expect(alarm).toMatchObject({
      type: 'DEVICE_OFFLINE',
      severity: 'MAJOR', // a smoke detector that is silent protects nobody
      status: 'RAISED',
      device: { id: smoke.deviceId },
      history: [{ from: null, to: 'RAISED', actorKind: 'SYSTEM', actorId: null }],
    });

    // Still silent: nothing more is raised.
    clock.advance(10 * SECOND);
    await h.subgraph.scheduler.tick();
    expect(await raised.settled((e) => e.subjectId === offline[0]!.id)).toHaveLength(1);
    expect(await sql(`select id from security_alarm where device_id = ? and type = 'DEVICE_OFFLINE'`, [smoke.deviceId])).toHaveLength(1);

    // Back: ONLINE at its next request.
    expect((await heartbeat(h, smoke)).body.data?.deviceHeartbeat?.status).toBe('ONLINE');
  });

  it('does not watch a disabled device, nor one never heard from', async () => {
    const quiet = await registerDevice(h, { kind: 'OTHER', name: '从未上线', location: '仓库' });
    const disabled = await registerDevice(h, { kind: 'OTHER', name: '已停用', location: '仓库' });
    await heartbeat(h, disabled);
    await deviceMutation('disableDevice', disabled.deviceId);
    clock.advance(3 * 3600 * SECOND);
    await h.subgraph.scheduler.tick();
    expect((await device(quiet.deviceId)).body.data?.securityDevice?.status).toBe('OFFLINE');
    expect((await device(disabled.deviceId)).body.data?.securityDevice?.status).toBe('DISABLED');
    const ids = await sql<{ device_id: string }>(`select device_id from security_alarm where type = 'DEVICE_OFFLINE'`);
    expect(ids.map((r) => r.device_id)).not.toContain(quiet.deviceId);
    expect(ids.map((r) => r.device_id)).not.toContain(disabled.deviceId);
  });
});

describe('rate limit per device', () => {
  it('allows a burst of 20 requests, then RATE_LIMITED with how long to wait, and 10 more a second after', async () => {
    const chatty = await registerDevice(h, { kind: 'CAMERA', name: '话多的摄像头', location: '东门' });
    const quiet = await registerDevice(h, { kind: 'CAMERA', name: '安静的摄像头', location: '西门' });
    for (let i = 0; i < 20; i++) expect((await heartbeat(h, chatty)).body.errors, `request ${i + 1}`).toBeUndefined();

    const limited = await heartbeat(h, chatty);
    expect(limited.status).toBe(200);
    expect(limited.body.data?.deviceHeartbeat).toBeNull();
    expect(errorOf(limited.body)).toMatchObject({ code: 'RATE_LIMITED', deviceId: chatty.deviceId, retryAfterMs: 100 });

    // Another device has its own allowance; a caller without the secret spends none of it.
    expect((await heartbeat(h, quiet)).body.errors).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(errorOf((await heartbeat(h, { ...quiet, secret: 'guess' })).body)?.reason).toBe('DEVICE_CREDENTIAL');

    clock.advance(SECOND);
    for (let i = 0; i < 10; i++) expect((await heartbeat(h, chatty)).body.errors, `after a second, request ${i + 1}`).toBeUndefined();
    expect(errorOf((await heartbeat(h, chatty)).body)?.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 19; i++) expect((await heartbeat(h, quiet)).body.errors).toBeUndefined();
  });

  it('shares one allowance between concurrent requests', async () => {
    const burst = await registerDevice(h, { kind: 'CAMERA', name: '并发摄像头', location: '北门' });
    const results = await Promise.all(Array.from({ length: 30 }, () => heartbeat(h, burst)));
    const codes = results.map((r) => (errorOf(r.body)?.code as string | undefined) ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(20);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(10);
  });
});
