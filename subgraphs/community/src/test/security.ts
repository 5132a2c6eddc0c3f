import { eventChannel, ROLES, Role, ANONYMOUS, type LinliEvent, type Viewer } from '@linli/subgraph-kit';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { CommunityHarness, GraphQLBody } from './harness.js';

/** Everyone who might ask a community's security fields, named by how they relate to it. */
export function viewersOf(communityId: string) {
  const of = (userId: string, roles: Role[], home: string | null = communityId): Viewer => ({ userId, homeCommunityId: home, roles });
  return {
    resident: of('resident-1', [Role.RESIDENT]),
    volunteer: of('volunteer-1', [Role.RESIDENT, Role.VOLUNTEER]),
    gridWorker: of('grid-worker-1', [Role.GRID_WORKER]),
    staff: of('staff-1', [Role.COMMUNITY_STAFF]),
    security: of('guard-1', [Role.SECURITY_STAFF]),
    admin: of('admin-1', [Role.COMMUNITY_ADMIN]),
    securityElsewhere: of('guard-b', [Role.SECURITY_STAFF], 'elsewhere'),
    adminElsewhere: of('admin-b', [Role.COMMUNITY_ADMIN], 'elsewhere'),
    residentElsewhere: of('resident-b', [Role.RESIDENT], 'elsewhere'),
    federationAdmin: of('fed-1', [Role.FEDERATION_ADMIN], null),
    everyRoleElsewhere: of('everything-b', [...ROLES], 'elsewhere'),
    anonymous: ANONYMOUS,
  };
}

export function errorOf(body: GraphQLBody<unknown>): Record<string, unknown> | undefined {
  return body.errors?.[0]?.extensions;
}

export interface DeviceCredential {
  deviceId: string;
  secret: string;
}

export const REGISTER_DEVICE = `mutation($communityId: ID!, $input: RegisterDeviceInput!) {
  registerDevice(communityId: $communityId, input: $input) { secret device { id kind name nameEn location locationEn status heartbeatIntervalSeconds lastHeartbeatAt } }
}`;

export async function registerDevice(h: CommunityHarness, input: Record<string, unknown> = {}, viewer = viewersOf(h.communityId).security): Promise<DeviceCredential> {
  const res = await h.request<{ registerDevice: { secret: string; device: { id: string } } }>(
    REGISTER_DEVICE,
    { communityId: h.communityId, input: { kind: 'DOOR_ACCESS', name: '东门门禁', nameEn: 'East gate door', location: '东门', locationEn: 'East gate', ...input } },
    viewer,
  );
  expect(res.body.errors).toBeUndefined();
  return { deviceId: res.body.data!.registerDevice.device.id, secret: res.body.data!.registerDevice.secret };
}

export function heartbeat(h: CommunityHarness, device: DeviceCredential) {
  return h.request<{ deviceHeartbeat: { deviceId: string; status: string; receivedAt: string; heartbeatIntervalSeconds: number } | null }>(
    `mutation($c: ID!, $d: DeviceCredentialInput!) { deviceHeartbeat(communityId: $c, device: $d) { deviceId status receivedAt heartbeatIntervalSeconds } }`,
    { c: h.communityId, d: device },
  );
}

export interface SignalReceipt {
  alarmId: string;
  outcome: 'RAISED' | 'FOLDED' | 'REPLAYED';
  status: string;
  count: number;
}

export function raise(h: CommunityHarness, device: DeviceCredential, alarm: { type: string; idempotencyKey: string; severity?: string }) {
  return h.request<{ raiseAlarm: SignalReceipt | null }>(
    `mutation($c: ID!, $d: DeviceCredentialInput!, $a: AlarmSignalInput!) { raiseAlarm(communityId: $c, device: $d, alarm: $a) { alarmId outcome status count } }`,
    { c: h.communityId, d: device, a: alarm },
  );
}

export async function raiseOk(h: CommunityHarness, device: DeviceCredential, alarm: { type: string; idempotencyKey: string; severity?: string }): Promise<SignalReceipt> {
  const res = await raise(h, device, alarm);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.raiseAlarm!;
}

export function recordAccess(h: CommunityHarness, device: DeviceCredential, event: Record<string, unknown>) {
  return h.request<{ recordAccessEvent: { accessEventId: string; recordedAt: string } | null }>(
    `mutation($c: ID!, $d: DeviceCredentialInput!, $e: AccessEventInput!) { recordAccessEvent(communityId: $c, device: $d, event: $e) { accessEventId recordedAt } }`,
    { c: h.communityId, d: device, e: event },
  );
}

export const ALARM_FIELDS = `id type severity status count raisedAt lastRaisedAt acknowledgeDueAt onSceneDueAt resolveDueAt
  acknowledgedAt dispatchedAt onSceneAt resolvedAt closedAt assigneeId escalationLevel lastEscalatedAt
  device { id name }
  history { from to actorKind actorId at note }
  escalations { step level dueAt escalatedAt }`;

export interface AlarmView {
  id: string;
  type: string;
  severity: string;
  status: string;
  count: number;
  raisedAt: string;
  lastRaisedAt: string;
  acknowledgeDueAt: string;
  onSceneDueAt: string;
  resolveDueAt: string;
  acknowledgedAt: string | null;
  dispatchedAt: string | null;
  onSceneAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  assigneeId: string | null;
  escalationLevel: number;
  lastEscalatedAt: string | null;
  device: { id: string; name: string };
  history: Array<{ from: string | null; to: string; actorKind: string; actorId: string | null; at: string; note: string }>;
  escalations: Array<{ step: string; level: number; dueAt: string; escalatedAt: string }>;
}

export async function getAlarm(h: CommunityHarness, id: string, viewer = viewersOf(h.communityId).security): Promise<AlarmView | null> {
  const res = await h.request<{ alarm: AlarmView | null }>(`query($c: ID!, $id: ID!) { alarm(communityId: $c, id: $id) { ${ALARM_FIELDS} } }`, { c: h.communityId, id }, viewer);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.alarm;
}

export function transition(h: CommunityHarness, id: string, to: string, extra: { note?: string; assigneeId?: string } = {}, viewer = viewersOf(h.communityId).security) {
  return h.request<{ transitionAlarm: AlarmView | null }>(
    `mutation($c: ID!, $id: ID!, $to: AlarmStatus!, $note: String, $assigneeId: ID) {
      transitionAlarm(communityId: $c, id: $id, to: $to, note: $note, assigneeId: $assigneeId) { ${ALARM_FIELDS} }
    }`,
    { c: h.communityId, id, to, ...extra },
    viewer,
  );
}

export function updateSettings(h: CommunityHarness, input: Record<string, unknown>, viewer = viewersOf(h.communityId).admin) {
  return h.request<{ updateSecuritySettings: { dedupWindowMinutes: number; sla: Array<{ severity: string; acknowledgeMinutes: number; onSceneMinutes: number; resolveMinutes: number }> } | null }>(
    `mutation($c: ID!, $input: SecuritySettingsInput!) { updateSecuritySettings(communityId: $c, input: $input) { dedupWindowMinutes sla { severity acknowledgeMinutes onSceneMinutes resolveMinutes } } }`,
    { c: h.communityId, input },
    viewer,
  );
}

/** A real Redis subscriber on one community's event type, as the gateway would be. */
export class EventListener {
  readonly events: LinliEvent[] = [];
  private constructor(private readonly redis: Redis) {}

  static async listen(communityId: string, type: string): Promise<EventListener> {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const listener = new EventListener(redis);
    redis.on('message', (_channel: string, message: string) => listener.events.push(JSON.parse(message) as LinliEvent));
    await redis.subscribe(eventChannel(communityId, type));
    return listener;
  }

  /** Waits until an event matching `predicate` has arrived. */
  async waitFor(predicate: (e: LinliEvent) => boolean, timeoutMs = 3000): Promise<LinliEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Events matching `predicate` after a short wait for stragglers (to assert none came). */
  async settled(predicate: (e: LinliEvent) => boolean, waitMs = 200): Promise<LinliEvent[]> {
    await new Promise((r) => setTimeout(r, waitMs));
    return this.events.filter(predicate);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export const MINUTE = 60_000;
