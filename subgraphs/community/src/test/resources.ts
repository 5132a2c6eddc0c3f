import { expect } from 'vitest';
import { Role, type Viewer } from '@linli/subgraph-kit';
import type { CommunityHarness, GraphQLBody } from './harness.js';

/** Who asks, for tests of community `test-a`. */
export const staff: Viewer = { userId: 'staff-1', homeCommunityId: 'test-a', roles: [Role.COMMUNITY_STAFF] };
export const admin: Viewer = { userId: 'admin-1', homeCommunityId: 'test-a', roles: [Role.COMMUNITY_ADMIN] };
export const resident: Viewer = { userId: 'resident-1', homeCommunityId: 'test-a', roles: [Role.RESIDENT] };
export const staffElsewhere: Viewer = { userId: 'staff-b', homeCommunityId: 'test-b', roles: [Role.COMMUNITY_STAFF] };
export const federationAdmin: Viewer = { userId: 'fed-1', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] };

export const CREATE_RESOURCE = `mutation($communityId: ID!, $input: CreateResourceInput!) {
  createResource(communityId: $communityId, input: $input) {
    id name nameEn kind capacity status communityId location locationEn description descriptionEn
    policy { requiresApproval slotMinutes minDurationMinutes maxDurationMinutes leadTimeMinutes maxDaysAhead priceCreditsPerSlot }
    weeklyHours { weekday opensAt closesAt }
  }
}`;

export const LIST_RESOURCES = `query($communityId: ID!, $kind: ResourceKind, $first: Int, $after: String) {
  resources(communityId: $communityId, kind: $kind, first: $first, after: $after) {
    edges { cursor node { id name kind status } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const GET_RESOURCE = `query($communityId: ID!, $id: ID!) {
  resource(communityId: $communityId, id: $id) { id name status communityId weeklyHours { weekday opensAt closesAt } }
}`;

export interface Listed {
  resources: {
    edges: { cursor: string; node: { id: string; name: string; kind: string; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** A valid CreateResourceInput: a venue open Monday 08:00–12:00, with `overrides` on top. */
export function resourceInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '体育馆',
    nameEn: 'Sports hall',
    kind: 'VENUE',
    location: '七宝',
    capacity: 2,
    weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '12:00' }],
    ...overrides,
  };
}

export function codes(body: GraphQLBody<unknown>): unknown[] {
  return (body.errors ?? []).map((e) => e.extensions?.code);
}

interface ValidationNode {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

/**
 * The dotted paths of the input fields an argument validation error names: from the kit's
 * `validation` summary when present, else from type-graphql's own `validationErrors` tree.
 */
export function invalidFields(body: GraphQLBody<unknown>): string[] {
  const extensions = body.errors?.[0]?.extensions ?? {};
  const summary = extensions.validation as { property: string }[] | undefined;
  if (summary) return summary.map((v) => v.property);
  const out: string[] = [];
  const walk = (nodes: ValidationNode[], prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix}.${n.property}` : n.property;
      if (n.constraints) out.push(path);
      walk(n.children ?? [], path);
    }
  };
  walk((extensions.validationErrors ?? []) as ValidationNode[], '');
  return out;
}

export function createResource(h: CommunityHarness, input: Record<string, unknown>, viewer: Viewer, communityId = h.communityId) {
  return h.request<{ createResource: { id: string; name: string } & Record<string, unknown> }>(CREATE_RESOURCE, { communityId, input }, viewer);
}

/** Creates a resource as staff of the harness's community and returns its id. */
export async function createOk(h: CommunityHarness, input: Record<string, unknown>): Promise<string> {
  const asStaff: Viewer = { userId: 'staff-1', homeCommunityId: h.communityId, roles: [Role.COMMUNITY_STAFF] };
  const res = await createResource(h, input, asStaff);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createResource.id;
}

/** Names of every listed resource, oldest first. */
export async function listNames(h: CommunityHarness): Promise<string[]> {
  const res = await h.request<Listed>(LIST_RESOURCES, { communityId: h.communityId, first: 100 });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.resources!.edges.map((e) => e.node.name);
}
