import { CareRecord, CareVisit } from './care.entity.js';
import { CareRecipientResolver, CareVisitResolver } from './care.resolver.js';
import { CaseTransition, GridCase } from './case.entity.js';
import { CommunityCaseStatsResolver, GridCaseResolver } from './case.resolver.js';
import { Grid, GridWorker, Household, Resident } from './grid.entity.js';
import { GridResolver, GridWorkerResolver, HouseholdResolver, ResidentResolver } from './grid.resolver.js';
import { GridSettings } from './settings.entity.js';
import { GridSettingsResolver } from './settings.resolver.js';

export { gridJobs } from './grids.jobs.js';

/** What the grids module adds to the community subgraph (schema.ts, jobs.ts). */
export const gridEntities = [Grid, GridWorker, Household, Resident, CareRecord, CareVisit, GridCase, CaseTransition, GridSettings];

export const gridResolvers = [
  GridResolver,
  GridWorkerResolver,
  HouseholdResolver,
  ResidentResolver,
  CareRecipientResolver,
  CareVisitResolver,
  GridCaseResolver,
  CommunityCaseStatsResolver,
  GridSettingsResolver,
] as const;
