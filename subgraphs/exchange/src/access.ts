import { ForbiddenError, hasRole, isFederationService, Role, UnauthenticatedError, type Viewer } from '@linli/subgraph-kit';

/** Anonymous visitors may read the catalogue but change nothing. Returns the user id. */
export function requireSignedIn(viewer: Viewer): string {
  if (viewer.userId === null) throw new UnauthenticatedError();
  return viewer.userId;
}

export function requireFederationAdmin(viewer: Viewer): void {
  requireSignedIn(viewer);
  if (!hasRole(viewer, Role.FEDERATION_ADMIN)) {
    throw new ForbiddenError('只有联邦管理员可以管理社区名录', 'Only a federation admin may manage the community directory');
  }
}

/**
 * Service endpoints are infrastructure: the gateway (SERVICE) routes by them and federation
 * admins register them; residents and community staff have no use for them.
 */
export function canSeeInfrastructure(viewer: Viewer): boolean {
  return hasRole(viewer, Role.FEDERATION_ADMIN) || isFederationService(viewer);
}
