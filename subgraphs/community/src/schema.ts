import { buildFederatedSchema, gatewayServedPubSub, PageInfo } from '@linli/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { communityReference, CommunityResolver } from './modules/community/community.resolver.js';
import { Community } from './modules/community/community.type.js';
import { CommunityLiveResolver } from './modules/community/live.resolver.js';
import { sharedResourceReference } from './modules/resources/resource.reference.js';
import { SharedResourceResolver } from './modules/resources/resource.resolver.js';
import { ResourceHold } from './modules/resources/hold.entity.js';
import { ResourceHoldResolver } from './modules/resources/hold.resolver.js';
import { AvailabilityException, OpeningHours } from './modules/resources/availability.entity.js';
import { SharedResource } from './modules/resources/resource.entity.js';
import { AuditEntry } from './modules/audit/audit.entity.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { gridEntities, gridResolvers } from './modules/grids/grids.module.js';
import { pointsModule } from './modules/points/points.module.js';
import { timebankModule } from './modules/timebank/timebank.module.js';
import { securityEntities, securityResolvers } from './modules/security/index.js';

export const entities = [SharedResource, OpeningHours, AvailabilityException, ResourceHold, AuditEntry, ...gridEntities, ...pointsModule.entities, ...timebankModule.entities, ...securityEntities];

/** The community subgraph's schema: the contract every community instance serves. */
export function buildCommunitySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [SharedResourceResolver, ResourceHoldResolver, CommunityResolver, AuditResolver, ...gridResolvers, ...pointsModule.resolvers, ...timebankModule.resolvers, ...securityResolvers, CommunityLiveResolver],
      // Live fields (alarmRaised, alarmUpdated, caseEscalated) are served by the gateway.
      pubSub: gatewayServedPubSub,
      orphanedTypes: [Community, PageInfo],
      validate: { forbidUnknownValues: false },
    },
    { SharedResource: sharedResourceReference, Community: communityReference },
  );
}
