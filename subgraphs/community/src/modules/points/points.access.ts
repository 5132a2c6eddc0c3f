import { ForbiddenError, hasRole, isCommunityService, isStaffOf, Role, UnauthenticatedError } from '@linli/subgraph-kit';
import type { CommunityContext } from '../../context.js';
import type { PointsRule } from './points.entity.js';

/** Points live in the resident's home community: only its residents hold them here. */
export function requireHomeResident(ctx: CommunityContext): string {
  const { userId, homeCommunityId } = ctx.viewer;
  if (userId === null) throw new UnauthenticatedError();
  if (homeCommunityId !== ctx.communityId || hasRole(ctx.viewer, Role.SERVICE)) {
    throw new ForbiddenError('积分属于居民所在社区，只有本社区居民可以使用', 'Points belong to your home community: only its residents use them here', {
      communityId: ctx.communityId,
    });
  }
  return userId;
}

export function requireStaff(ctx: CommunityContext): string {
  if (ctx.viewer.userId === null) throw new UnauthenticatedError();
  if (!isStaffOf(ctx.viewer, ctx.communityId)) {
    throw new ForbiddenError('只有本社区工作人员可以执行此操作', 'Only staff of this community may do this', { communityId: ctx.communityId });
  }
  return ctx.viewer.userId;
}

export function requireAdmin(ctx: CommunityContext): string {
  if (ctx.viewer.userId === null) throw new UnauthenticatedError();
  if (ctx.viewer.homeCommunityId !== ctx.communityId || !hasRole(ctx.viewer, Role.COMMUNITY_ADMIN)) {
    throw new ForbiddenError('只有本社区管理员可以修改积分规则和设置', 'Only the community admin may change earning rules and settings', { communityId: ctx.communityId });
  }
  return ctx.viewer.userId;
}

/**
 * Who may award a rule's points directly: staff of this community, any rule; its grid workers
 * and its own trusted devices (SERVICE identities of this community), only `autoAward` rules.
 * Nobody awards themselves (the service forbids that separately). Returns the awarder's id.
 */
export function requireAwarder(ctx: CommunityContext, rule: PointsRule): string {
  const { viewer, communityId } = ctx;
  if (viewer.userId === null) throw new UnauthenticatedError();
  if (isStaffOf(viewer, communityId)) return viewer.userId;
  const trusted = isCommunityService(viewer, communityId) || (viewer.homeCommunityId === communityId && hasRole(viewer, Role.GRID_WORKER));
  if (trusted && rule.autoAward) return viewer.userId;
  throw new ForbiddenError('无权直接发放该积分，请通过申请', 'You may not award these points directly; claim them instead', { communityId, ruleId: rule.id });
}
