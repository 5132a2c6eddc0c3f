import { gridJobs } from './modules/grids/grids.module.js';
import { pointsModule } from './modules/points/points.module.js';
import { timebankModule } from './modules/timebank/timebank.module.js';
import { securityJobs } from './modules/security/index.js';
import type { ScheduledJob } from './scheduler.js';

/** Every module's periodic checks. A module adds its job here. */
export const scheduledJobs: ScheduledJob[] = [...gridJobs, ...pointsModule.jobs, ...timebankModule.jobs, ...securityJobs];
