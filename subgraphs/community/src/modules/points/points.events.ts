import type { LinliEvent } from '@linli/subgraph-kit';
import type { CommunityServices } from '../../context.js';

/** Events this module announces (ids only: subscribers read the details through the graph). */
export const PointsEvent = {
  /** subjectId: the EARN entry; data: { residentId, ruleId }. */
  AWARDED: 'points.awarded',
  /** subjectId: the redemption; data: { residentId, rewardId }. */
  REWARD_REDEEMED: 'reward.redeemed',
} as const;

export function pointsEvent(services: CommunityServices, type: string, subjectId: string, data: Record<string, string | null>): LinliEvent {
  return { type, communityId: services.communityId, subjectId, occurredAt: services.clock.now().toISOString(), data };
}
