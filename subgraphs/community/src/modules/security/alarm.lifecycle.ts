import { AlarmSeverity, AlarmSlaStep, AlarmStatus, AlarmType } from './alarm.entity.js';

/** Where an alarm may go from each status. FALSE_ALARM ends it from any status before RESOLVED. */
export const NEXT_STATUSES: Readonly<Record<AlarmStatus, readonly AlarmStatus[]>> = {
  [AlarmStatus.RAISED]: [AlarmStatus.ACKNOWLEDGED, AlarmStatus.FALSE_ALARM],
  [AlarmStatus.ACKNOWLEDGED]: [AlarmStatus.DISPATCHED, AlarmStatus.FALSE_ALARM],
  [AlarmStatus.DISPATCHED]: [AlarmStatus.ON_SCENE, AlarmStatus.FALSE_ALARM],
  [AlarmStatus.ON_SCENE]: [AlarmStatus.RESOLVED, AlarmStatus.FALSE_ALARM],
  [AlarmStatus.RESOLVED]: [AlarmStatus.CLOSED],
  [AlarmStatus.CLOSED]: [],
  [AlarmStatus.FALSE_ALARM]: [],
};

/** Steps that need a note saying what was done, or why it was no alarm. */
export const NOTE_REQUIRED: readonly AlarmStatus[] = [AlarmStatus.RESOLVED, AlarmStatus.FALSE_ALARM];

const ORDER: readonly AlarmStatus[] = [
  AlarmStatus.RAISED,
  AlarmStatus.ACKNOWLEDGED,
  AlarmStatus.DISPATCHED,
  AlarmStatus.ON_SCENE,
  AlarmStatus.RESOLVED,
  AlarmStatus.CLOSED,
];

/** The status that meets each deadline. */
const MET_BY: Readonly<Record<AlarmSlaStep, AlarmStatus>> = {
  [AlarmSlaStep.ACKNOWLEDGE]: AlarmStatus.ACKNOWLEDGED,
  [AlarmSlaStep.ON_SCENE]: AlarmStatus.ON_SCENE,
  [AlarmSlaStep.RESOLVE]: AlarmStatus.RESOLVED,
};

/** Whether an alarm in `status` has still to meet the deadline of `step`. */
export function stillDue(status: AlarmStatus, step: AlarmSlaStep): boolean {
  if (status === AlarmStatus.FALSE_ALARM) return false;
  return ORDER.indexOf(status) < ORDER.indexOf(MET_BY[step]);
}

/** What a device's alarm is, when it does not say. */
export const DEFAULT_SEVERITY: Readonly<Record<AlarmType, AlarmSeverity>> = {
  [AlarmType.FIRE_SMOKE]: AlarmSeverity.CRITICAL,
  [AlarmType.PANIC]: AlarmSeverity.CRITICAL,
  [AlarmType.INTRUSION]: AlarmSeverity.MAJOR,
  [AlarmType.DEVICE_TAMPER]: AlarmSeverity.MAJOR,
  [AlarmType.TAILGATING]: AlarmSeverity.MINOR,
  [AlarmType.DEVICE_OFFLINE]: AlarmSeverity.MINOR,
  [AlarmType.OTHER]: AlarmSeverity.MINOR,
};
