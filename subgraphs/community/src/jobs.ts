import type { ScheduledJob } from './scheduler.js';

/** Every module's periodic checks. A module adds its job here. */
export const scheduledJobs: ScheduledJob[] = [];
