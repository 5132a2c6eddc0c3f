import { creditRecoveryJob } from './record.service.js';
import { FundAllocation, RecipientProxy, ServiceRecipient, ServiceRecord, ServiceRequest, TimebankSettings, Volunteer } from './timebank.entity.js';
import {
  FundAllocationResolver,
  RecipientProxyResolver,
  ServiceRecipientResolver,
  ServiceRecordResolver,
  ServiceRequestResolver,
  TimebankResolver,
} from './timebank.resolver.js';
import { VolunteerStatsResolver } from './timebank.stats.js';

/** What the time-bank module adds to the subgraph (schema.ts and jobs.ts take it from here). */
export const timebankModule = {
  entities: [TimebankSettings, Volunteer, ServiceRecipient, RecipientProxy, ServiceRequest, ServiceRecord, FundAllocation],
  resolvers: [TimebankResolver, ServiceRecipientResolver, ServiceRecordResolver, ServiceRequestResolver, FundAllocationResolver, RecipientProxyResolver, VolunteerStatsResolver],
  jobs: [creditRecoveryJob],
} as const;
