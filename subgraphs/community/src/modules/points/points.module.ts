import { PointsClaim } from './claim.entity.js';
import { PointsClaimResolver } from './claim.resolver.js';
import { PointConversion } from './conversion.entity.js';
import { PointConversionResolver } from './conversion.resolver.js';
import { conversionRecoveryJob } from './conversion.service.js';
import { PointsAccount, PointsEntry, PointsRule, PointsSettings } from './points.entity.js';
import { PointsEntryResolver, PointsResolver } from './points.resolver.js';
import { PointsStatsResolver } from './points.stats.js';
import { Reward, RewardRedemption } from './reward.entity.js';
import { RewardResolver } from './reward.resolver.js';
import { ExchangeCall } from '../exchange/exchange-call.entity.js';

/** What the points module adds to the subgraph (schema.ts and jobs.ts take it from here). */
export const pointsModule = {
  // ExchangeCall (the outbox to the shared ledger) is created by the points migration.
  entities: [PointsRule, PointsAccount, PointsEntry, PointsSettings, PointsClaim, Reward, RewardRedemption, PointConversion, ExchangeCall],
  resolvers: [PointsResolver, PointsEntryResolver, PointsClaimResolver, RewardResolver, PointConversionResolver, PointsStatsResolver],
  jobs: [conversionRecoveryJob],
} as const;
