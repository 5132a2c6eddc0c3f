import { Check, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { AlarmSeverity, AlarmSlaStep } from './alarm.entity.js';

/** Limits on what the community admin may configure. */
export const MAX_SLA_MINUTES = 7 * 24 * 60;
export const MAX_DEDUP_WINDOW_MINUTES = 24 * 60;

/** Minutes from raise to each deadline, per severity. */
export type SlaMinutes = Record<AlarmSlaStep, number>;

const slaColumns = (prefix: string) =>
  `${prefix}_acknowledge_minutes >= 1 and ${prefix}_acknowledge_minutes <= ${prefix}_on_scene_minutes and ${prefix}_on_scene_minutes <= ${prefix}_resolve_minutes and ${prefix}_resolve_minutes <= ${MAX_SLA_MINUTES}`;

/**
 * The community's alarm deadlines and dedup window. One row (id 1); until the community
 * admin changes something, the defaults below apply without a row. Deadlines are fixed on
 * each alarm when it is raised, so a change applies to alarms raised after it.
 */
@Entity({ tableName: 'security_settings' })
@Check({ name: 'security_settings_singleton_check', expression: 'id = 1' })
@Check({ name: 'security_settings_critical_check', expression: slaColumns('critical') })
@Check({ name: 'security_settings_major_check', expression: slaColumns('major') })
@Check({ name: 'security_settings_minor_check', expression: slaColumns('minor') })
@Check({
  name: 'security_settings_dedup_window_minutes_check',
  expression: `dedup_window_minutes >= 0 and dedup_window_minutes <= ${MAX_DEDUP_WINDOW_MINUTES}`,
})
export class SecuritySettings {
  [OptionalProps]?:
    | 'id'
    | 'dedupWindowMinutes'
    | 'criticalAcknowledgeMinutes'
    | 'criticalOnSceneMinutes'
    | 'criticalResolveMinutes'
    | 'majorAcknowledgeMinutes'
    | 'majorOnSceneMinutes'
    | 'majorResolveMinutes'
    | 'minorAcknowledgeMinutes'
    | 'minorOnSceneMinutes'
    | 'minorResolveMinutes'
    | 'updatedAt'
    | 'updatedBy';

  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = 1;

  /** A repeat of an open alarm (same device, same type) within this many minutes of its last raise folds into it. 0 turns folding off. */
  @Property({ type: 'integer' })
  dedupWindowMinutes: number = 5;

  @Property({ type: 'integer' })
  criticalAcknowledgeMinutes: number = 2;

  @Property({ type: 'integer' })
  criticalOnSceneMinutes: number = 10;

  @Property({ type: 'integer' })
  criticalResolveMinutes: number = 60;

  @Property({ type: 'integer' })
  majorAcknowledgeMinutes: number = 10;

  @Property({ type: 'integer' })
  majorOnSceneMinutes: number = 30;

  @Property({ type: 'integer' })
  majorResolveMinutes: number = 240;

  @Property({ type: 'integer' })
  minorAcknowledgeMinutes: number = 60;

  @Property({ type: 'integer' })
  minorOnSceneMinutes: number = 240;

  @Property({ type: 'integer' })
  minorResolveMinutes: number = 1440;

  @Property({ type: 'timestamptz', nullable: true })
  updatedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  updatedBy: string | null = null;
}

export function slaOf(settings: SecuritySettings, severity: AlarmSeverity): SlaMinutes {
  switch (severity) {
    case AlarmSeverity.CRITICAL:
      return { ACKNOWLEDGE: settings.criticalAcknowledgeMinutes, ON_SCENE: settings.criticalOnSceneMinutes, RESOLVE: settings.criticalResolveMinutes };
    case AlarmSeverity.MAJOR:
      return { ACKNOWLEDGE: settings.majorAcknowledgeMinutes, ON_SCENE: settings.majorOnSceneMinutes, RESOLVE: settings.majorResolveMinutes };
    case AlarmSeverity.MINOR:
      return { ACKNOWLEDGE: settings.minorAcknowledgeMinutes, ON_SCENE: settings.minorOnSceneMinutes, RESOLVE: settings.minorResolveMinutes };
  }
}

export function setSla(settings: SecuritySettings, severity: AlarmSeverity, sla: SlaMinutes): void {
  switch (severity) {
    case AlarmSeverity.CRITICAL:
      settings.criticalAcknowledgeMinutes = sla.ACKNOWLEDGE;
      settings.criticalOnSceneMinutes = sla.ON_SCENE;
      settings.criticalResolveMinutes = sla.RESOLVE;
      return;
    case AlarmSeverity.MAJOR:
      settings.majorAcknowledgeMinutes = sla.ACKNOWLEDGE;
      settings.majorOnSceneMinutes = sla.ON_SCENE;
      settings.majorResolveMinutes = sla.RESOLVE;
      return;
    case AlarmSeverity.MINOR:
      settings.minorAcknowledgeMinutes = sla.ACKNOWLEDGE;
      settings.minorOnSceneMinutes = sla.ON_SCENE;
      settings.minorResolveMinutes = sla.RESOLVE;
      return;
  }
}
