import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { AlarmSeverity, AlarmSlaStep } from './alarm.entity.js';
import { SecurityRuleError } from './security.errors.js';
import { MAX_DEDUP_WINDOW_MINUTES, MAX_SLA_MINUTES, SecuritySettings, setSla, slaOf, type SlaMinutes } from './settings.entity.js';

/** The community's settings; the defaults (unsaved) until the admin first changes them. */
export async function getSettings(em: EntityManager): Promise<SecuritySettings> {
  return (await em.findOne(SecuritySettings, { id: 1 })) ?? em.create(SecuritySettings, {}, { persist: false });
}

export interface SettingsChange {
  dedupWindowMinutes?: number | null;
  sla?: ReadonlyArray<{ severity: AlarmSeverity } & SlaMinutes> | null;
}

/**
 * Changes the settings (what is not given stays). Deadlines must grow along the way —
 * acknowledge ≤ on scene ≤ resolve — and stay within MAX_SLA_MINUTES. Alarms already raised
 * keep the deadlines they were given.
 */
export async function updateSettings(em: EntityManager, change: SettingsChange, actorId: string, now: Date): Promise<SecuritySettings> {
  return em.transactional(async (tx) => {
    await tx.execute('insert into security_settings (id) values (1) on conflict (id) do nothing');
    const settings = await tx.findOneOrFail(SecuritySettings, { id: 1 }, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (change.dedupWindowMinutes !== undefined && change.dedupWindowMinutes !== null) {
      const minutes = change.dedupWindowMinutes;
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_DEDUP_WINDOW_MINUTES) {
        throw new SecurityRuleError('sla', `去重窗口须为 0–${MAX_DEDUP_WINDOW_MINUTES} 分钟`, `dedupWindowMinutes must be 0–${MAX_DEDUP_WINDOW_MINUTES}`, {
          argument: 'dedupWindowMinutes',
        });
      }
      settings.dedupWindowMinutes = minutes;
    }
    const seen = new Set<AlarmSeverity>();
    for (const { severity, ...sla } of change.sla ?? []) {
      if (seen.has(severity)) throw new SecurityRuleError('sla', `级别 ${severity} 重复`, `Severity ${severity} is given twice`, { severity });
      seen.add(severity);
      checkSla(severity, sla);
      setSla(settings, severity, sla);
    }
    settings.updatedAt = now;
    settings.updatedBy = actorId;
    return settings;
  });
}

function checkSla(severity: AlarmSeverity, sla: SlaMinutes): void {
  const steps = [sla[AlarmSlaStep.ACKNOWLEDGE], sla[AlarmSlaStep.ON_SCENE], sla[AlarmSlaStep.RESOLVE]];
  const ok = steps.every((m) => Number.isInteger(m) && m >= 1 && m <= MAX_SLA_MINUTES) && steps[0]! <= steps[1]! && steps[1]! <= steps[2]!;
  if (!ok) {
    throw new SecurityRuleError(
      'sla',
      `时限须为 1–${MAX_SLA_MINUTES} 分钟，且确认 ≤ 到场 ≤ 处置完成`,
      `Deadlines must be 1–${MAX_SLA_MINUTES} minutes with acknowledge ≤ on scene ≤ resolve`,
      { severity },
    );
  }
}

export { slaOf };
