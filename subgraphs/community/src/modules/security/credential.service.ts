import { RateLimitedError } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../resources/resource.errors.js';
import { DEVICE_REQUEST_BURST, DEVICE_REQUESTS_PER_SECOND, DeviceCredential } from './credential.entity.js';
import { DeviceStatus, SecurityDevice } from './device.entity.js';
import { DeviceCredentialError, DeviceDisabledError } from './security.errors.js';

/*
 * How a device proves who it is. Ingestion mutations are called through the gateway without
 * a person's token; the device passes its id and secret as an argument instead. Order of
 * checks on every call: the credential (a wrong one costs no allowance of the real device),
 * then the device's request allowance, then the device is marked as heard from.
 */

export interface DeviceSecret {
  deviceId: string;
  secret: string;
}

/** A new secret: 32 random bytes, base64url. Shown to staff once; only its hash is kept. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Gives the device a fresh credential, replacing any earlier one (which stops working at
 * once), and returns its secret. The caller flushes.
 */
export async function issueCredential(em: EntityManager, device: SecurityDevice, now: Date): Promise<string> {
  const secret = newSecret();
  const fresh = { secretHash: hashSecret(secret), issuedAt: now, rateTokens: DEVICE_REQUEST_BURST, rateRefilledAt: now };
  const existing = await em.findOne(DeviceCredential, { device: device.id });
  if (existing) Object.assign(existing, fresh);
  else em.create(DeviceCredential, { device, ...fresh });
  return secret;
}

/** The device the credential belongs to; FORBIDDEN (reason DEVICE_CREDENTIAL or DEVICE_DISABLED) otherwise. */
export async function authenticateDevice(em: EntityManager, credential: DeviceSecret): Promise<SecurityDevice> {
  if (!isUuid(credential.deviceId)) throw new DeviceCredentialError();
  const stored = await em.findOne(DeviceCredential, { device: credential.deviceId }, { populate: ['device'] });
  const given = Buffer.from(hashSecret(credential.secret), 'hex');
  if (!stored || !timingSafeEqual(given, Buffer.from(stored.secretHash, 'hex'))) throw new DeviceCredentialError();
  const device = stored.device;
  if (device.status === DeviceStatus.DISABLED) throw new DeviceDisabledError(device.id);
  return device;
}

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const DEVICE_RATE_LIMIT: RateLimit = { perSecond: DEVICE_REQUESTS_PER_SECOND, burst: DEVICE_REQUEST_BURST };

/**
 * Takes one request from the device's token bucket, or throws RATE_LIMITED with how long to
 * wait. The bucket lives on the credential row and one statement refills and takes under the
 * row's lock, so concurrent requests on any instance of the community share one allowance.
 * Time is the service clock's, never earlier than the last refill.
 */
export async function takeRequest(em: EntityManager, deviceId: string, now: Date, limit: RateLimit = DEVICE_RATE_LIMIT): Promise<void> {
  const [row] = await em.execute<Array<{ available: number }>>(
    `with current as (
       select device_id,
              least(?::double precision, rate_tokens + greatest(0, extract(epoch from (?::timestamptz - rate_refilled_at))) * ?::double precision) as available,
              greatest(rate_refilled_at, ?::timestamptz) as refilled_at
         from security_device_credential where device_id = ? for update)
     update security_device_credential c
        set rate_tokens = case when current.available >= 1 then current.available - 1 else current.available end,
            rate_refilled_at = current.refilled_at
       from current
      where c.device_id = current.device_id
  returning current.available as available`,
    [limit.burst, now, limit.perSecond, now, deviceId],
  );
  if (!row) throw new DeviceCredentialError();
  const available = Number(row.available);
  if (available < 1) {
    throw new RateLimitedError({ deviceId, retryAfterMs: Math.ceil(((1 - available) / limit.perSecond) * 1000) });
  }
}

/**
 * Notes that the device was heard from: any authenticated request counts as a heartbeat, and
 * brings an OFFLINE device back ONLINE. One statement, so it cannot undo a concurrent disable.
 */
export async function markHeardFrom(em: EntityManager, deviceId: string, now: Date): Promise<DeviceStatus> {
  const [row] = await em.execute<Array<{ status: DeviceStatus }>>(
    `update security_device
        set last_heartbeat_at = greatest(coalesce(last_heartbeat_at, ?::timestamptz), ?::timestamptz),
            status = case when status = 'OFFLINE' then 'ONLINE'::security_device_status else status end,
            updated_at = ?
      where id = ? and status <> 'DISABLED'
  returning status`,
    [now, now, now, deviceId],
  );
  if (!row) throw new DeviceDisabledError(deviceId);
  return row.status;
}

export interface AdmittedDevice {
  device: SecurityDevice;
  /** Its status after this request (ONLINE unless it was disabled meanwhile). */
  status: DeviceStatus;
}

/** Authenticates, takes one request of the allowance and marks the device heard from. */
export async function admitDevice(em: EntityManager, credential: DeviceSecret, now: Date): Promise<AdmittedDevice> {
  const device = await authenticateDevice(em, credential);
  await takeRequest(em, device.id, now);
  return { device, status: await markHeardFrom(em, device.id, now) };
}
