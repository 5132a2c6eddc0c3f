/**
 * Who a token says its holder is, for the interface only (which pages to offer, whose name
 * to show). The gateway verifies every token; the client never trusts these claims for
 * anything the server would not check again.
 */
export interface Viewer {
  userId: string;
  homeCommunityId: string | null;
  roles: string[];
  /** Milliseconds since the epoch; the session ends then. */
  expiresAt: number | null;
}

export function readClaims(token: string): Viewer | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    if (typeof claims !== 'object' || claims === null) return null;
    const { sub, community, roles, exp } = claims as Record<string, unknown>;
    if (typeof sub !== 'string' || sub === '') return null;
    return {
      userId: sub,
      homeCommunityId: typeof community === 'string' && community !== '' ? community : null,
      roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
      expiresAt: typeof exp === 'number' ? exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

export const isStaff = (viewer: Viewer): boolean =>
  viewer.homeCommunityId !== null && viewer.roles.some((r) => r === 'COMMUNITY_STAFF' || r === 'COMMUNITY_ADMIN');

export const isResident = (viewer: Viewer): boolean => viewer.homeCommunityId !== null && viewer.roles.includes('RESIDENT');

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
