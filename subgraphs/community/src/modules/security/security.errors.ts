import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '@linli/subgraph-kit';
import type { AlarmStatus } from './alarm.entity.js';

/** Why a request was refused, in `extensions.reason`. */
export type SecurityForbiddenReason = 'DEVICE_CREDENTIAL' | 'DEVICE_DISABLED';

/**
 * The device id and secret do not match a device of this community. One answer for an unknown
 * device and a wrong secret, so nobody can probe which devices exist. FORBIDDEN, not
 * UNAUTHENTICATED: the caller did come through the gateway (UNAUTHENTICATED would fail the
 * whole HTTP request with 401); it is the device credential in the arguments that is refused.
 */
export class DeviceCredentialError extends ForbiddenError {
  constructor() {
    super('设备凭证无效', 'Invalid device credential', { reason: 'DEVICE_CREDENTIAL' satisfies SecurityForbiddenReason });
  }
}

export class DeviceDisabledError extends ForbiddenError {
  constructor(deviceId: string) {
    super('设备已停用', 'This device is disabled', { reason: 'DEVICE_DISABLED' satisfies SecurityForbiddenReason, deviceId });
  }
}

/** The rule an input broke, in `extensions.rule`. */
export type SecurityRule = 'transition' | 'note' | 'assignee' | 'deviceKind' | 'occurredAt' | 'sla' | 'month' | 'idempotencyKey' | 'credentialHolderId';

export class SecurityRuleError extends BadInputError {
  constructor(rule: SecurityRule, zh: string, en: string, details: Record<string, unknown> = {}) {
    super(zh, en, { rule, ...details });
  }
}

export class AlarmTransitionError extends SecurityRuleError {
  constructor(alarmId: string, from: AlarmStatus, to: AlarmStatus, allowed: readonly AlarmStatus[]) {
    super('transition', `告警不能从 ${from} 变为 ${to}`, `An alarm cannot go from ${from} to ${to}`, { alarmId, from, to, allowed });
  }
}

export class DeviceNotFoundError extends NotFoundError {
  constructor(deviceId: string) {
    super({ zh: '设备', en: 'Device' }, { deviceId });
  }
}

export class AlarmNotFoundError extends NotFoundError {
  constructor(alarmId: string) {
    super({ zh: '告警', en: 'Alarm' }, { alarmId });
  }
}

/** A device reused an idempotency key for a different report. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(idempotencyKey: string) {
    super('该幂等键已用于另一条记录', 'This idempotencyKey was already used for a different report', {
      reason: 'IDEMPOTENCY_KEY_REUSED',
      idempotencyKey,
    });
  }
}
