import { hasRole, isFederationService, isStaffOf, Role, type Viewer } from '@linli/subgraph-kit';
import { requireSignedIn } from '../../access.js';
import { AccountKind, type Account } from './account.entity.js';
import { AccountHiddenError, NotCommunityAdminError } from './ledger.errors.js';

/**
 * A balance is personal: a resident's account is seen by the resident alone (not by
 * neighbours, nor by their community's staff); a community's accounts by its staff and
 * admins; every account by federation admins and Linli services.
 */
export function canSeeAccount(viewer: Viewer, account: Pick<Account, 'kind' | 'holderId'>): boolean {
  if (hasRole(viewer, Role.FEDERATION_ADMIN) || isFederationService(viewer)) return true;
  switch (account.kind) {
    case AccountKind.RESIDENT:
      return viewer.userId !== null && viewer.userId === account.holderId;
    case AccountKind.COMMUNITY_REVENUE:
    case AccountKind.COMMUNITY_ISSUANCE:
    case AccountKind.COMMUNITY_FUND:
      return isStaffOf(viewer, account.holderId);
    case AccountKind.FEDERATION:
      return false;
  }
}

/** UNAUTHENTICATED for anonymous visitors, FORBIDDEN for whoever may not see the account. */
export function requireAccountVisible(viewer: Viewer, account: Account): Account {
  requireSignedIn(viewer);
  if (!canSeeAccount(viewer, account)) throw new AccountHiddenError(account.id);
  return account;
}

/** Credit is issued by the admin of a community, for that community (their home). Returns it. */
export function requireCommunityAdmin(viewer: Viewer): string {
  requireSignedIn(viewer);
  if (!hasRole(viewer, Role.COMMUNITY_ADMIN) || viewer.homeCommunityId === null) throw new NotCommunityAdminError();
  return viewer.homeCommunityId;
}
