import { decodeCursor, encodeCursor, pageSize } from '@linli/subgraph-kit';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../resources/resource.errors.js';
import { issueCredential } from './credential.service.js';
import { DeviceKind, DeviceStatus, SecurityDevice } from './device.entity.js';
import { DeviceNotFoundError } from './security.errors.js';

export interface NewDevice {
  kind: DeviceKind;
  name: string;
  nameEn?: string | null;
  location: string;
  locationEn?: string | null;
  heartbeatIntervalSeconds?: number | null;
}

/** A device and the secret of its credential — the only time the secret is ever shown. */
export interface IssuedDevice {
  device: SecurityDevice;
  secret: string;
}

/** Registers a device (OFFLINE until it is first heard from) with a fresh credential. */
export async function registerDevice(em: EntityManager, input: NewDevice, now: Date): Promise<IssuedDevice> {
  return em.transactional(async (tx) => {
    const device = tx.create(SecurityDevice, {
      kind: input.kind,
      name: input.name,
      nameEn: input.nameEn ?? '',
      location: input.location,
      locationEn: input.locationEn ?? '',
      ...(input.heartbeatIntervalSeconds ? { heartbeatIntervalSeconds: input.heartbeatIntervalSeconds } : {}),
      createdAt: now,
      updatedAt: now,
    });
    const secret = await issueCredential(tx, device, now);
    return { device, secret };
  });
}

/** A fresh credential; the old secret stops working at once. A disabled device stays disabled. */
export async function rotateCredential(em: EntityManager, deviceId: string, now: Date): Promise<IssuedDevice> {
  return em.transactional(async (tx) => {
    const device = await lockDevice(tx, deviceId);
    const secret = await issueCredential(tx, device, now);
    return { device, secret };
  });
}

/** DISABLED: its credential is refused and it is no longer watched for heartbeats. */
export async function disableDevice(em: EntityManager, deviceId: string, now: Date): Promise<SecurityDevice> {
  return em.transactional(async (tx) => {
    const device = await lockDevice(tx, deviceId);
    if (device.status !== DeviceStatus.DISABLED) {
      device.status = DeviceStatus.DISABLED;
      device.updatedAt = now;
    }
    return device;
  });
}

/** Back in service as OFFLINE; ONLINE again from its next request. */
export async function enableDevice(em: EntityManager, deviceId: string, now: Date): Promise<SecurityDevice> {
  return em.transactional(async (tx) => {
    const device = await lockDevice(tx, deviceId);
    if (device.status === DeviceStatus.DISABLED) {
      device.status = DeviceStatus.OFFLINE;
      device.updatedAt = now;
    }
    return device;
  });
}

async function lockDevice(tx: EntityManager, deviceId: string): Promise<SecurityDevice> {
  if (!isUuid(deviceId)) throw new DeviceNotFoundError(deviceId);
  const device = await tx.findOne(SecurityDevice, { id: deviceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!device) throw new DeviceNotFoundError(deviceId);
  return device;
}

export async function getDevice(em: EntityManager, deviceId: string): Promise<SecurityDevice | null> {
  if (!isUuid(deviceId)) return null;
  return em.findOne(SecurityDevice, { id: deviceId });
}

export interface DeviceFilter {
  kind?: DeviceKind | null;
  status?: DeviceStatus | null;
  first?: number | null;
  after?: string | null;
}

export interface DevicePage {
  devices: SecurityDevice[];
  hasNextPage: boolean;
}

export function deviceCursor(d: SecurityDevice): string {
  return encodeCursor([d.createdAt.toISOString(), d.id]);
}

/** In order of registration, by keyset on (createdAt, id). */
export async function listDevices(em: EntityManager, filter: DeviceFilter): Promise<DevicePage> {
  const limit = pageSize(filter.first);
  const after = decodeCursor(filter.after, 2) as [string, string] | null;
  const where: Record<string, unknown> = {};
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (after) {
    const at = new Date(after[0]);
    where.$or = [{ createdAt: { $gt: at } }, { createdAt: at, id: { $gt: after[1] } }];
  }
  const rows = await em.find(SecurityDevice, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
  return { devices: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
