import type { LinliEvent } from '@linli/subgraph-kit';
import type { Alarm, AlarmSlaStep } from './alarm.entity.js';

/** Event types this module publishes, on `linli:<communityId>:<type>`. */
export const ALARM_RAISED = 'alarm.raised';
export const ALARM_UPDATED = 'alarm.updated';

/** What changed, in `data.change` of `alarm.updated`. */
export type AlarmChange = 'status' | 'repeat' | 'escalation';

/**
 * An alarm event: ids and facts only (type, severity, status, count) — never who raised,
 * handled or was recorded near it. Subscribers read details through the graph, which authorises.
 */
export function alarmEvent(
  type: typeof ALARM_RAISED | typeof ALARM_UPDATED,
  communityId: string,
  alarm: Alarm,
  at: Date,
  extra: { change?: AlarmChange; escalation?: { step: AlarmSlaStep; level: number; dueAt: Date } } = {},
): LinliEvent {
  return {
    type,
    communityId,
    subjectId: alarm.id,
    occurredAt: at.toISOString(),
    data: {
      alarmId: alarm.id,
      type: alarm.type,
      severity: alarm.severity,
      status: alarm.status,
      count: alarm.count,
      escalationLevel: alarm.escalationLevel,
      ...(extra.change ? { change: extra.change } : {}),
      ...(extra.escalation ? { escalation: { ...extra.escalation, dueAt: extra.escalation.dueAt.toISOString() } } : {}),
    },
  };
}
