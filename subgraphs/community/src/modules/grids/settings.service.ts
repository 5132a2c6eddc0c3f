import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { CaseUrgency } from './case.entity.js';
import { RiskTier } from './care.entity.js';
import { GridRuleError } from './grid.errors.js';
import { GridSettings, MAX_RESOLVE_MINUTES, MAX_VISIT_INTERVAL_DAYS } from './settings.entity.js';

/** The community's settings; the defaults while the admin has changed nothing. */
export async function readSettings(em: EntityManager): Promise<GridSettings> {
  return (await em.findOne(GridSettings, { id: 1 })) ?? new GridSettings();
}

export function visitIntervalDays(settings: GridSettings, tier: RiskTier): number {
  switch (tier) {
    case RiskTier.HIGH:
      return settings.highRiskVisitDays;
    case RiskTier.KEY:
      return settings.keyRiskVisitDays;
    case RiskTier.GENERAL:
      return settings.generalRiskVisitDays;
  }
}

export function resolveMinutes(settings: GridSettings, urgency: CaseUrgency): number {
  switch (urgency) {
    case CaseUrgency.RED:
      return settings.redResolveMinutes;
    case CaseUrgency.YELLOW:
      return settings.yellowResolveMinutes;
    case CaseUrgency.BLUE:
      return settings.blueResolveMinutes;
  }
}

export interface SettingsChange {
  highRiskVisitDays?: number | null;
  keyRiskVisitDays?: number | null;
  generalRiskVisitDays?: number | null;
  redResolveMinutes?: number | null;
  yellowResolveMinutes?: number | null;
  blueResolveMinutes?: number | null;
}

const DAY_FIELDS = ['highRiskVisitDays', 'keyRiskVisitDays', 'generalRiskVisitDays'] as const;
const MINUTE_FIELDS = ['redResolveMinutes', 'yellowResolveMinutes', 'blueResolveMinutes'] as const;

/**
 * Changes what is given, keeps the rest. New intervals apply to every resident in care at
 * once (the next visit is derived, not stored); new deadlines apply to cases reported (or
 * re-graded at registration) from now on — a case keeps the deadline it was given.
 */
export async function updateSettings(em: EntityManager, change: SettingsChange, actorId: string, now: Date): Promise<GridSettings> {
  for (const field of DAY_FIELDS) checkRange(field, change[field], MAX_VISIT_INTERVAL_DAYS);
  for (const field of MINUTE_FIELDS) checkRange(field, change[field], MAX_RESOLVE_MINUTES);
  return em.transactional(async (tx) => {
    await tx.execute('insert into grid_settings (id) values (1) on conflict (id) do nothing');
    const settings = await tx.findOneOrFail(GridSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    for (const field of [...DAY_FIELDS, ...MINUTE_FIELDS]) {
      const value = change[field];
      if (value !== null && value !== undefined) settings[field] = value;
    }
    settings.updatedAt = now;
    settings.updatedBy = actorId;
    return settings;
  });
}

function checkRange(field: string, value: number | null | undefined, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new GridRuleError('settings', `${field} 须为 1–${max} 的整数`, `${field} must be a whole number from 1 to ${max}`, { field });
  }
}
