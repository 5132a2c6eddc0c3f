import { ForbiddenError, hasRole, Role, type Viewer } from '@linli/subgraph-kit';

/*
 * Who may do what with this community's security data. Every rule first requires the viewer
 * to belong to this community: nobody from another community, and no federation-level user,
 * sees alarms, devices or access events. The federation reads only `Community.safetyStats`.
 */

/** Alarms, devices and settings: security staff, community staff and admins. */
export function canWatch(viewer: Viewer, communityId: string): boolean {
  return viewer.homeCommunityId === communityId && hasRole(viewer, Role.SECURITY_STAFF, Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN);
}

/** Registering, rotating and disabling devices; reading access events: security staff and admins. */
export function canOperate(viewer: Viewer, communityId: string): boolean {
  return viewer.homeCommunityId === communityId && hasRole(viewer, Role.SECURITY_STAFF, Role.COMMUNITY_ADMIN);
}

/** Alarm deadlines and dedup window: the community admin. */
export function canConfigure(viewer: Viewer, communityId: string): boolean {
  return viewer.homeCommunityId === communityId && hasRole(viewer, Role.COMMUNITY_ADMIN);
}

export function assertCanWatch(viewer: Viewer, communityId: string): void {
  if (!canWatch(viewer, communityId)) {
    throw new ForbiddenError('只有本社区安保和工作人员可以查看和处置告警与设备', 'Only security staff and staff of this community may see and handle alarms and devices', {
      communityId,
    });
  }
}

export function assertCanOperate(viewer: Viewer, communityId: string): void {
  if (!canOperate(viewer, communityId)) {
    throw new ForbiddenError('只有本社区安保人员和管理员可以管理设备、查看通行记录', 'Only security staff and the admin of this community may manage devices and read access events', {
      communityId,
    });
  }
}

export function assertCanConfigure(viewer: Viewer, communityId: string): void {
  if (!canConfigure(viewer, communityId)) {
    throw new ForbiddenError('只有本社区管理员可以修改安防设置', 'Only the admin of this community may change security settings', { communityId });
  }
}
