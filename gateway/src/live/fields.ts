import { ForbiddenError, UnauthenticatedError } from '@linli/subgraph-kit/errors';
import { hasRole, Role, type Viewer } from '@linli/subgraph-kit/identity';
import { LiveEventType, type LinliEvent } from '@linli/subgraph-kit/events';

/**
 * Whose eyes a payload is read with, which decides who may share one resolution:
 * - `viewer`: each subscriber's own identity; subscribers share a resolution only with the
 *   same user, home and roles (a user's several devices, or anonymous visitors).
 * - `public`: an anonymous visitor's, for every subscriber: the field announces what the
 *   public catalogue shows, so one resolution serves them all. Fields that the graph shows
 *   only to signed-in users come back null in such a payload (with an error): read them
 *   with a query.
 */
export type Sharing = 'viewer' | 'public';

/**
 * How the gateway serves one subscription field. The field is declared (and composed) in
 * the subgraph that owns its event; this says which event feeds it, who may subscribe,
 * which subscribers an event reaches, and which root query reads the announced entity back.
 */
export interface LiveField {
  /** The field of `Subscription`. */
  name: string;
  /** The event type (`LinliEvent.type`) that feeds it. */
  eventType: string;
  sharing: Sharing;
  /** Throws a LinliError (UNAUTHENTICATED, FORBIDDEN) for a viewer who may not subscribe. */
  authorize(args: Record<string, unknown>, viewer: Viewer): void;
  /** The key a subscription waits under. */
  route(args: Record<string, unknown>, viewer: Viewer): string;
  /** The keys an event reaches (an event reaches the subscriptions waiting under any of them). */
  routes(event: LinliEvent): string[];
  /** The root query that reads the announced entity back, and its arguments from an event. */
  entity: { field: string; args: readonly string[]; values(event: LinliEvent): Record<string, unknown> };
  /**
   * Entity arguments to read the entity with once, as the subscriber, before accepting: an
   * entity they cannot see (FORBIDDEN, NOT_FOUND) ends the subscription at once.
   */
  probe?(args: Record<string, unknown>): Record<string, unknown>;
  /** The community the subscription is about: it ends if that community leaves the federation. */
  community?(args: Record<string, unknown>): string;
}

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

function signedIn(viewer: Viewer): string {
  if (viewer.userId === null) throw new UnauthenticatedError('请先登录再订阅', 'Sign in to subscribe');
  return viewer.userId;
}

interface Audience {
  roles: Role[];
  zh: string;
  en: string;
}

const STAFF: Audience = { roles: [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN], zh: '工作人员', en: 'staff' };
const CASE_STAFF: Audience = { roles: [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN, Role.GRID_WORKER], zh: '工作人员', en: 'staff' };
// As the community's own alarm queries allow: security staff, staff and admins of that community.
const SECURITY: Audience = { roles: [Role.SECURITY_STAFF, Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN], zh: '安保或工作人员', en: 'security staff or staff' };

/** Staff of that community (their home), or a federation admin, as the queries they mirror allow. */
function staffOf(communityId: string, viewer: Viewer, audience: Audience): void {
  signedIn(viewer);
  const member = viewer.homeCommunityId === communityId && hasRole(viewer, ...audience.roles);
  if (!member && !hasRole(viewer, Role.FEDERATION_ADMIN)) {
    throw new ForbiddenError(`只有本社区${audience.zh}可以订阅`, `Only ${audience.en} of this community may subscribe`, { communityId });
  }
}

const byId = (field: string): LiveField['entity'] => ({ field, args: ['id'], values: (e) => ({ id: e.subjectId }) });
const inCommunity = (field: string): LiveField['entity'] => ({
  field,
  args: ['communityId', 'id'],
  values: (e) => ({ communityId: e.communityId, id: e.subjectId }),
});

const communityStaffField = (name: string, eventType: string, entity: LiveField['entity'], audience: Audience): LiveField => ({
  name,
  eventType,
  sharing: 'viewer',
  authorize: (args, viewer) => staffOf(str(args.communityId), viewer, audience),
  route: (args) => `community:${str(args.communityId)}`,
  routes: (e) => [`community:${e.communityId}`],
  entity,
  community: (args) => str(args.communityId),
});

/** Every live field the gateway serves, by subscription field name. */
export const LIVE_FIELDS: readonly LiveField[] = [
  {
    name: 'bookingUpdated',
    eventType: LiveEventType.BOOKING_UPDATED,
    sharing: 'viewer',
    authorize: (_args, viewer) => void signedIn(viewer),
    route: (args) => `booking:${str(args.id)}`,
    routes: (e) => [`booking:${e.subjectId}`],
    entity: byId('booking'),
    // `booking(id)` answers FORBIDDEN or NOT_FOUND to whoever may not see it.
    probe: (args) => ({ id: args.id }),
  },
  {
    name: 'myBookingsUpdated',
    eventType: LiveEventType.BOOKING_UPDATED,
    sharing: 'viewer',
    authorize: (_args, viewer) => void signedIn(viewer),
    route: (_args, viewer) => `resident:${str(viewer.userId)}`,
    routes: (e) => [`resident:${str(e.data?.residentId)}`],
    entity: byId('booking'),
  },
  communityStaffField('communityBookingsUpdated', LiveEventType.BOOKING_UPDATED, byId('booking'), STAFF),
  {
    name: 'listingPublished',
    eventType: LiveEventType.LISTING_PUBLISHED,
    sharing: 'public',
    authorize: () => {},
    route: (args) => (args.kind ? `kind:${str(args.kind)}` : 'kind:*'),
    routes: (e) => ['kind:*', `kind:${str(e.data?.kind)}`],
    entity: byId('listing'),
  },
  {
    name: 'accountBalanceChanged',
    eventType: LiveEventType.ACCOUNT_BALANCE_CHANGED,
    sharing: 'viewer',
    authorize: (_args, viewer) => void signedIn(viewer),
    // Own accounts: the viewer's resident accounts (holder = their user id).
    route: (args, viewer) => `holder:${str(viewer.userId)}:${args.unit ? str(args.unit) : '*'}`,
    routes: (e) =>
      e.data?.kind === 'RESIDENT' ? [`holder:${str(e.data.holderId)}:*`, `holder:${str(e.data.holderId)}:${str(e.data.unit)}`] : [],
    entity: byId('account'),
  },
  // Announced by the community subgraph's security and grids modules; read back through
  // `alarm(communityId, id)` and `case(communityId, id)`, routed to that community.
  communityStaffField('alarmRaised', LiveEventType.ALARM_RAISED, inCommunity('alarm'), SECURITY),
  communityStaffField('alarmUpdated', LiveEventType.ALARM_UPDATED, inCommunity('alarm'), SECURITY),
  communityStaffField('caseEscalated', LiveEventType.CASE_ESCALATED, inCommunity('case'), CASE_STAFF),
];

export function liveFieldTable(fields: readonly LiveField[] = LIVE_FIELDS): ReadonlyMap<string, LiveField> {
  return new Map(fields.map((f) => [f.name, f]));
}
