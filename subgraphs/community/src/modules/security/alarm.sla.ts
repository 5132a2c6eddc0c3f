import type { LinliEvent } from '@linli/subgraph-kit';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { CommunityServices } from '../../context.js';
import type { ScheduledJob } from '../../scheduler.js';
import { ALARM_UPDATED, alarmEvent } from './alarm.events.js';
import { Alarm, AlarmEscalation, AlarmSlaStep } from './alarm.entity.js';
import { stillDue } from './alarm.lifecycle.js';

/** Most breaches handled in one pass; the rest wait for the next. */
const BATCH = 500;

interface Breach {
  alarm_id: string;
  step: AlarmSlaStep;
}

/**
 * Escalates every deadline missed by `now`: an open alarm still short of the step whose
 * deadline passed gets one AlarmEscalation for that step (the unique (alarm, step) key makes
 * it once per breach, however many instances run the check), its escalation level goes up,
 * and `alarm.updated` is published with the escalation. Returns the events published.
 */
export async function escalateBreaches(em: EntityManager, services: CommunityServices, now: Date): Promise<LinliEvent[]> {
  const breaches = await em.execute<Breach[]>(
    `select a.id as alarm_id, s.step
       from security_alarm a
       cross join lateral (values ('ACKNOWLEDGE'::security_alarm_sla_step, a.acknowledge_due_at, a.status = 'RAISED'),
                                  ('ON_SCENE'::security_alarm_sla_step, a.on_scene_due_at, a.status in ('RAISED', 'ACKNOWLEDGED', 'DISPATCHED')),
                                  ('RESOLVE'::security_alarm_sla_step, a.resolve_due_at, true)) as s(step, due_at, pending)
      where a.status in ('RAISED', 'ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE')
        and s.pending and s.due_at <= ?
        and not exists (select 1 from security_alarm_escalation e where e.alarm_id = a.id and e.step = s.step)
      order by s.due_at
      limit ?`,
    [now, BATCH],
  );
  const events: LinliEvent[] = [];
  for (const breach of breaches) {
    const event = await em.fork().transactional(async (tx) => {
      const alarm = await tx.findOne(Alarm, { id: breach.alarm_id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      // Handled meanwhile, or escalated by another instance: nothing to do.
      if (!alarm || !stillDue(alarm.status, breach.step)) return null;
      const dueAt = dueOf(alarm, breach.step);
      if (dueAt > now) return null;
      const level = alarm.escalationLevel + 1;
      const [inserted] = await tx.execute<Array<{ id: string }>>(
        `insert into security_alarm_escalation (id, alarm_id, step, level, due_at, escalated_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?) on conflict (alarm_id, step) do nothing returning id`,
        [alarm.id, breach.step, level, dueAt, now],
      );
      if (!inserted) return null;
      alarm.escalationLevel = level;
      alarm.lastEscalatedAt = now;
      return alarmEvent(ALARM_UPDATED, services.communityId, alarm, now, { change: 'escalation', escalation: { step: breach.step, level, dueAt } });
    });
    if (event) {
      await services.events.publish(event);
      events.push(event);
    }
  }
  return events;
}

function dueOf(alarm: Alarm, step: AlarmSlaStep): Date {
  switch (step) {
    case AlarmSlaStep.ACKNOWLEDGE:
      return alarm.acknowledgeDueAt;
    case AlarmSlaStep.ON_SCENE:
      return alarm.onSceneDueAt;
    case AlarmSlaStep.RESOLVE:
      return alarm.resolveDueAt;
  }
}

export async function escalationsOf(em: EntityManager, alarmId: string): Promise<AlarmEscalation[]> {
  return em.find(AlarmEscalation, { alarm: alarmId }, { orderBy: { level: 'asc' } });
}

export const alarmSlaJob: ScheduledJob = {
  name: 'security.alarm-sla',
  run: async (em, services, now) => {
    await escalateBreaches(em, services, now);
  },
};
