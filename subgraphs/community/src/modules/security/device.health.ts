import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommunityServices } from '../../context.js';
import type { ScheduledJob } from '../../scheduler.js';
import { AlarmActorKind, AlarmSeverity, AlarmType } from './alarm.entity.js';
import { raiseAlarmIn, type Raised } from './alarm.service.js';
import { DeviceKind, MISSED_HEARTBEATS_OFFLINE } from './device.entity.js';

/** An ONLINE device whose last heartbeat is more than MISSED_HEARTBEATS_OFFLINE intervals old. */
const SILENT = `status = 'ONLINE' and last_heartbeat_at < ?::timestamptz - make_interval(secs => heartbeat_interval_seconds * ${MISSED_HEARTBEATS_OFFLINE})`;

/**
 * Marks silent devices OFFLINE and raises a DEVICE_OFFLINE alarm for each (MAJOR for a smoke
 * detector, which no longer protects anyone, MINOR otherwise). Marking and raising share one
 * transaction, so a device is never marked without its alarm; the conditional update makes
 * it once per outage whichever instance runs the check. Returns the alarms raised or folded.
 */
export async function markSilentDevicesOffline(em: EntityManager, services: CommunityServices, now: Date): Promise<Raised[]> {
  const silent = await em.execute<Array<{ id: string; kind: DeviceKind }>>(`select id, kind from security_device where ${SILENT} order by last_heartbeat_at limit 500`, [now]);
  const raised: Raised[] = [];
  for (const device of silent) {
    const result = await em.fork().transactional(async (tx) => {
      const [marked] = await tx.execute<Array<{ id: string }>>(
        `update security_device set status = 'OFFLINE', updated_at = ? where id = ? and ${SILENT} returning id`,
        [now, device.id, now],
      );
      if (!marked) return null;
      return raiseAlarmIn(
        tx,
        services.communityId,
        {
          deviceId: device.id,
          type: AlarmType.DEVICE_OFFLINE,
          severity: device.kind === DeviceKind.SMOKE_DETECTOR ? AlarmSeverity.MAJOR : AlarmSeverity.MINOR,
          actor: { kind: AlarmActorKind.SYSTEM, id: null },
        },
        now,
      );
    });
    if (!result) continue;
    if (result.event) await services.events.publish(result.event);
    raised.push(result);
  }
  return raised;
}

export const deviceHealthJob: ScheduledJob = {
  name: 'security.device-heartbeats',
  run: async (em, services, now) => {
    await markSilentDevicesOffline(em, services, now);
  },
};
