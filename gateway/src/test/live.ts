import { Role, type Viewer } from '@linli/subgraph-kit/identity';
import type { LinliEvent } from '@linli/subgraph-kit/events';
import { buildSchema, type GraphQLSchema } from '../live/graphql.js';
import type { FormattedResult } from '../live/errors.js';
import { liveFieldTable, LIVE_FIELDS } from '../live/fields.js';
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from '../live/limits.js';
import { LiveRegistry, type Execute } from '../live/registry.js';
import type { LiveRequest } from '../live/operation.js';
import type { LiveConnection } from '../live/subscription.js';

/** A small API schema in the shape of the supergraph's live fields and their root queries. */
export const TEST_SDL = /* GraphQL */ `
  type Query {
    booking(id: ID!): Booking
    listing(id: ID!): Listing
    account(id: ID!): LedgerAccount
  }
  type Subscription {
    bookingUpdated(id: ID!): Booking
    myBookingsUpdated: Booking
    communityBookingsUpdated(communityId: ID!): Booking
    listingPublished(kind: String): Listing
    accountBalanceChanged(unit: String): LedgerAccount
  }
  type Booking { id: ID! status: String! residentId: ID resource: Resource }
  type Resource { name(lang: String): String! }
  type Listing { id: ID! title: String! }
  type LedgerAccount { id: ID! balance: Int! }
`;

export function testSchema(sdl = TEST_SDL): GraphQLSchema {
  return buildSchema(sdl);
}

export const viewers = {
  anonymous: { userId: null, homeCommunityId: null, roles: [] } as Viewer,
  resident: (userId: string, home = 'qibao-a'): Viewer => ({ userId, homeCommunityId: home, roles: [Role.RESIDENT] }),
  staff: (home: string, userId = `staff-${home}`): Viewer => ({ userId, homeCommunityId: home, roles: [Role.COMMUNITY_STAFF] }),
};

/** Records every resolution; answers from `answer` (default: the entity with an id and a status). */
export class FakeExecutor {
  readonly calls: Array<{ request: LiveRequest; viewer: Viewer }> = [];
  answer: (request: LiveRequest, viewer: Viewer) => Promise<FormattedResult> | FormattedResult = (request) => {
    const key = /\{\s*(\w+):/.exec(request.query)?.[1] ?? 'entity';
    return { data: { [key]: { id: request.variables?.__live_id ?? null, status: 'CONFIRMED', title: 't', balance: 1 } } };
  };

  readonly execute: Execute = async (request, viewer) => {
    this.calls.push({ request, viewer });
    return this.answer(request, viewer);
  };
}

let connections = 0;

export class FakeConnection implements LiveConnection {
  readonly transport = 'ws';
  readonly id = ++connections;
  open = true;
  drops: Array<{ code: number; reason: string }> = [];

  constructor(readonly ip = '127.0.0.1') {}

  drop(code: number, reason: string): void {
    this.drops.push({ code, reason });
    this.open = false;
  }
}

export function testRegistry(options: { limits?: Partial<LiveLimits>; executor?: FakeExecutor; directory?: ConstructorParameters<typeof LiveRegistry>[0]['directory'] } = {}) {
  const executor = options.executor ?? new FakeExecutor();
  const registry = new LiveRegistry({
    fields: liveFieldTable(LIVE_FIELDS),
    limits: { ...DEFAULT_LIVE_LIMITS, ...options.limits },
    execute: executor.execute,
    directory: options.directory,
  });
  registry.setSchema(testSchema());
  return { registry, executor };
}

export function event(type: string, subjectId: string, communityId = 'qibao-b', data: Record<string, unknown> = {}): LinliEvent {
  return { type, communityId, subjectId, occurredAt: new Date().toISOString(), data };
}
