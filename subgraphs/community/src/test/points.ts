import { Role, type Viewer } from '@linli/subgraph-kit';
import { expect } from 'vitest';
import type { CommunityHarness, GraphQLBody } from './harness.js';

/** Who asks, in community `communityId`. */
export function people(communityId: string) {
  return {
    admin: { userId: `admin-${communityId}`, homeCommunityId: communityId, roles: [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN] } as Viewer,
    staff: { userId: `staff-${communityId}`, homeCommunityId: communityId, roles: [Role.RESIDENT, Role.COMMUNITY_STAFF] } as Viewer,
    gridWorker: { userId: `grid-${communityId}`, homeCommunityId: communityId, roles: [Role.RESIDENT, Role.GRID_WORKER] } as Viewer,
    device: { userId: `device-${communityId}`, homeCommunityId: communityId, roles: [Role.SERVICE] } as Viewer,
    resident: (userId: string): Viewer => ({ userId, homeCommunityId: communityId, roles: [Role.RESIDENT] }),
  };
}

export function errorOf(body: GraphQLBody<unknown>): Record<string, unknown> | undefined {
  return body.errors?.[0]?.extensions;
}

/** The data of a request that must succeed (fails the test with the errors otherwise). */
export async function ok<T>(h: CommunityHarness, query: string, variables: Record<string, unknown>, viewer: Viewer): Promise<T> {
  const res = await h.request<T>(query, variables, viewer);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as T;
}

export const CREATE_RULE = `mutation($c: ID!, $input: PointsRuleInput!) { createPointsRule(communityId: $c, input: $input) { id points dailyCap monthlyCap autoAward active } }`;
export const AWARD = `mutation($c: ID!, $input: AwardPointsInput!) { awardPoints(communityId: $c, input: $input) { id residentId kind points balanceAfter earnedOn rule { id } } }`;
export const MY_POINTS = `query($c: ID!) { myPoints(communityId: $c) { residentId balance history(first: 50) { edges { node { kind points balanceAfter earnedOn } } } } }`;

export async function createRule(h: CommunityHarness, admin: Viewer, input: Record<string, unknown>): Promise<string> {
  const data = await ok<{ createPointsRule: { id: string } }>(
    h,
    CREATE_RULE,
    { c: h.communityId, input: { activity: 'GARBAGE_SORTING', name: '垃圾分类', nameEn: 'Garbage sorting', points: 10, ...input } },
    admin,
  );
  return data.createPointsRule.id;
}

export async function balance(h: CommunityHarness, viewer: Viewer): Promise<number> {
  const data = await ok<{ myPoints: { balance: number } }>(h, MY_POINTS, { c: h.communityId }, viewer);
  return data.myPoints.balance;
}
