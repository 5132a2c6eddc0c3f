import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { GatewayIdentity, type PartnerViewer } from './gateway-identity.js';

// graphql from the same (CommonJS) copy @apollo/subgraph builds the schema with: under a
// bundler that picks graphql's ESM build for this file, executing a schema of the other
// copy fails graphql-js's one-realm check.
const { graphql, GraphQLError, parse } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * A partner community as an outside team would write it from the contract alone: the
 * committed community SDL served with plain @apollo/subgraph, and resolvers for what this
 * partner offers — its shared resources and the holds the exchange's booking saga places
 * on them — kept in memory. Nothing comes from subgraphs/community or the kit. Fields it
 * does not implement resolve to null (or an error where the contract says non-null).
 */

/** The committed community contract, read as a partner would read the file. */
export const COMMUNITY_CONTRACT_SDL = readFileSync(new URL('../../../../schema/community.graphql', import.meta.url), 'utf8');

export interface PartnerResource {
  id: string;
  name: string;
  nameEn: string;
  kind: 'VENUE' | 'EDUCATION_SEATS' | 'MEDICAL_SERVICE' | 'EQUIPMENT' | 'ROOM' | 'OTHER';
  capacity: number;
  priceCreditsPerSlot: number;
}

export interface PartnerHold {
  bookingRef: string;
  communityId: string;
  resourceId: string;
  startsAt: string;
  endsAt: string;
  quantity: number;
  status: 'HELD' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';
  expiresAt: string | null;
  createdAt: string;
}

export interface PartnerOptions {
  communityId: string;
  gatewayPublicKeyPem: string;
  resources: PartnerResource[];
  /** Changes the SDL before it is served: a partner that got the contract wrong. */
  sdl?: (contract: string) => string;
}

export interface RunningPartner {
  url: string;
  holds: Map<string, PartnerHold>;
  close(): Promise<void>;
}

interface Context {
  viewer: PartnerViewer;
}

const ONE_HOUR = 3_600_000;

export async function startPartnerSubgraph(options: PartnerOptions): Promise<RunningPartner> {
  const { communityId } = options;
  const resources = new Map(options.resources.map((r) => [r.id, r]));
  const holds = new Map<string, PartnerHold>();
  const identity = new GatewayIdentity(options.gatewayPublicKeyPem);

  const fail = (code: string, message: string): never => {
    throw new GraphQLError(message, { extensions: { code } });
  };
  const ours = (id: unknown) => {
    if (id !== communityId) fail('NOT_FOUND', `community ${String(id)} is not served here`);
  };
  /** Holds are placed only by the exchange, as the federation's service. */
  const requireFederationService = (viewer: PartnerViewer) => {
    if (viewer.homeCommunityId !== null || !viewer.roles.includes('SERVICE')) fail('FORBIDDEN', 'holds are for the exchange only');
  };
  const asResource = (r: PartnerResource) => ({
    ...r,
    communityId,
    description: '',
    descriptionEn: '',
    location: `${communityId}`,
    locationEn: `${communityId}`,
    status: 'ACTIVE',
    policy: { requiresApproval: false, slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 120, leadTimeMinutes: 0, maxDaysAhead: 30, priceCreditsPerSlot: r.priceCreditsPerSlot },
    weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '24:00' })),
    exceptions: [],
  });
  const live = (h: PartnerHold, now: number) => h.status === 'CONFIRMED' || (h.status === 'HELD' && (h.expiresAt === null || Date.parse(h.expiresAt) > now));
  const used = (resourceId: string, startsAt: number, endsAt: number, now: number) =>
    [...holds.values()]
      .filter((h) => h.resourceId === resourceId && live(h, now) && Date.parse(h.startsAt) < endsAt && Date.parse(h.endsAt) > startsAt)
      .reduce((sum, h) => sum + h.quantity, 0);

  const resolvers = {
    Query: {
      resource: (_: unknown, args: { communityId: string; id: string }) => {
        ours(args.communityId);
        const r = resources.get(args.id);
        return r ? asResource(r) : null;
      },
      hold: (_: unknown, args: { communityId: string; bookingRef: string }, ctx: Context) => {
        ours(args.communityId);
        requireFederationService(ctx.viewer);
        return holds.get(args.bookingRef) ?? null;
      },
    },
    Mutation: {
      placeHold: (_: unknown, args: { communityId: string; input: { resourceId: string; startsAt: string; endsAt: string; quantity: number; bookingRef: string; expiresAt?: string | null } }, ctx: Context) => {
        ours(args.communityId);
        requireFederationService(ctx.viewer);
        const { input } = args;
        const previous = holds.get(input.bookingRef);
        if (previous) {
          const same = previous.resourceId === input.resourceId && Date.parse(previous.startsAt) === Date.parse(input.startsAt) && Date.parse(previous.endsAt) === Date.parse(input.endsAt) && previous.quantity === input.quantity;
          return same ? previous : fail('CONFLICT', 'bookingRef already used for another hold');
        }
        const resource = resources.get(input.resourceId) ?? fail('NOT_FOUND', 'no such resource');
        const now = Date.now();
        const startsAt = Date.parse(input.startsAt);
        const endsAt = Date.parse(input.endsAt);
        if (!(startsAt < endsAt) || input.quantity < 1) fail('BAD_USER_INPUT', 'a hold needs startsAt < endsAt and a quantity of at least 1');
        // Single-threaded: the check and the insert below cannot interleave with another hold.
        if (used(resource.id, startsAt, endsAt, now) + input.quantity > resource.capacity) fail('CONFLICT', 'not enough capacity left');
        const hold: PartnerHold = {
          bookingRef: input.bookingRef,
          communityId,
          resourceId: resource.id,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
          quantity: input.quantity,
          status: 'HELD',
          expiresAt: input.expiresAt ?? new Date(now + 10 * 60_000).toISOString(),
          createdAt: new Date(now).toISOString(),
        };
        holds.set(hold.bookingRef, hold);
        return hold;
      },
      confirmHold: (_: unknown, args: { communityId: string; bookingRef: string }, ctx: Context) => {
        ours(args.communityId);
        requireFederationService(ctx.viewer);
        const hold = holds.get(args.bookingRef) ?? fail('NOT_FOUND', 'no such hold');
        if (hold.status === 'HELD' && live(hold, Date.now())) Object.assign(hold, { status: 'CONFIRMED', expiresAt: null });
        return hold.status === 'CONFIRMED' ? hold : fail('CONFLICT', `the hold is ${hold.status}`);
      },
      releaseHold: (_: unknown, args: { communityId: string; bookingRef: string }, ctx: Context) => {
        ours(args.communityId);
        requireFederationService(ctx.viewer);
        const hold = holds.get(args.bookingRef);
        if (hold && (hold.status === 'HELD' || hold.status === 'CONFIRMED')) Object.assign(hold, { status: 'RELEASED', expiresAt: null });
        return hold ?? null;
      },
    },
    SharedResource: {
      __resolveReference: (ref: { communityId: string; id: string }) => {
        const r = ref.communityId === communityId ? resources.get(ref.id) : undefined;
        return r ? asResource(r) : null;
      },
      availability: (resource: PartnerResource, args: { from: string; to: string }) => {
        const from = Math.ceil(Date.parse(args.from) / ONE_HOUR) * ONE_HOUR;
        const to = Math.min(Date.parse(args.to), from + 31 * 24 * ONE_HOUR);
        const now = Date.now();
        const slots = [];
        for (let t = from; t + ONE_HOUR <= to; t += ONE_HOUR) {
          slots.push({ startsAt: new Date(t).toISOString(), endsAt: new Date(t + ONE_HOUR).toISOString(), availableQuantity: resource.capacity - used(resource.id, t, t + ONE_HOUR, now) });
        }
        return slots;
      },
    },
    ResourceHold: {
      resource: (hold: PartnerHold) => {
        const r = resources.get(hold.resourceId);
        return r ? asResource(r) : null;
      },
    },
  };

  const sdl = options.sdl ? options.sdl(COMMUNITY_CONTRACT_SDL) : COMMUNITY_CONTRACT_SDL;
  const schema: GraphQLSchema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const viewer = identity.verify(header(req, 'x-linli-identity'), header(req, 'x-linli-signature'));
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!viewer) return send(401, { errors: [{ message: 'not signed by the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
      if (req.method !== 'POST') return send(405, { errors: [{ message: 'POST only' }] });
      let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return send(400, { errors: [{ message: 'body is not JSON' }] });
      }
      const result = await graphql({ schema, source: body.query ?? '', variableValues: body.variables, operationName: body.operationName, contextValue: { viewer } satisfies Context });
      send(200, result);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    holds,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
