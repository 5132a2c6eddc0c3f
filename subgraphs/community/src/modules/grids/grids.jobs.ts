import type { ScheduledJob } from '../../scheduler.js';
import { announceOverdueVisits } from './care.service.js';
import { escalateBreachedCases } from './case.service.js';

/** The grids module's periodic checks: case deadlines and overdue visits. */
export const gridJobs: ScheduledJob[] = [
  {
    name: 'grids.escalate-breached-cases',
    async run(em, services, now) {
      await escalateBreachedCases(em, services.events, services.communityId, now);
    },
  },
  {
    name: 'grids.announce-overdue-visits',
    async run(em, services, now) {
      await announceOverdueVisits(em, services.events, services.communityId, services.timezone, now);
    },
  },
];
