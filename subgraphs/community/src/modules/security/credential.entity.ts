import { Check, Entity, OneToOne, OptionalProps, Property, type Rel } from '@mikro-orm/postgresql';
import { SecurityDevice } from './device.entity.js';

/** A device's steady request rate: 10 a second, with bursts of up to 20. */
export const DEVICE_REQUESTS_PER_SECOND = 10;
export const DEVICE_REQUEST_BURST = 20;

/**
 * A device's credential and its request allowance. Never part of the graph: the secret is
 * shown once, when issued, and only its SHA-256 is kept. The secret is 32 random bytes, so a
 * fast hash is enough — there is nothing to guess that a slow hash would protect.
 *
 * The allowance is a token bucket (see credential.service.ts) kept on this row, so every
 * instance of the community serves the same allowance and the row lock orders concurrent
 * requests of one device.
 */
@Entity({ tableName: 'security_device_credential' })
@Check({ name: 'security_device_credential_secret_hash_check', expression: 'length(secret_hash) = 64' })
@Check({ name: 'security_device_credential_rate_tokens_check', expression: 'rate_tokens >= (0)::double precision' })
export class DeviceCredential {
  [OptionalProps]?: 'rateTokens';

  @OneToOne({ entity: () => SecurityDevice, primary: true, owner: true, deleteRule: 'cascade' })
  device: Rel<SecurityDevice>;

  /** Hex SHA-256 of the secret. */
  @Property({ type: 'text' })
  secretHash: string;

  @Property({ type: 'timestamptz' })
  issuedAt: Date;

  /** Requests the device may still make at once; refilled by elapsed time since `rateRefilledAt`. */
  @Property({ type: 'double' })
  rateTokens: number = DEVICE_REQUEST_BURST;

  @Property({ type: 'timestamptz' })
  rateRefilledAt: Date;
}
