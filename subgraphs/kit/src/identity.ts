import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { UnauthenticatedError } from './errors.js';

/**
 * The identity protocol between the gateway and every subgraph. The gateway verifies the
 * user's token, then sends the verified identity in IDENTITY_HEADER with an Ed25519
 * signature in SIGNATURE_HEADER. Subgraphs hold only the public key, so a partner community
 * can verify without being able to mint identities. The signed payload carries its issue
 * time, which bounds how long a captured header could be replayed.
 */
export const IDENTITY_HEADER = 'x-linli-identity';
export const SIGNATURE_HEADER = 'x-linli-signature';
export const MAX_SIGNATURE_AGE_MS = 60_000;

export enum Role {
  RESIDENT = 'RESIDENT',
  VOLUNTEER = 'VOLUNTEER',
  GRID_WORKER = 'GRID_WORKER',
  COMMUNITY_STAFF = 'COMMUNITY_STAFF',
  SECURITY_STAFF = 'SECURITY_STAFF',
  COMMUNITY_ADMIN = 'COMMUNITY_ADMIN',
  FEDERATION_ADMIN = 'FEDERATION_ADMIN',
  /** A Linli service (the gateway, the exchange) acting on its own behalf. */
  SERVICE = 'SERVICE',
}

export const ROLES = Object.values(Role) as Role[];

/** Who is asking. `userId` is null for an anonymous visitor. */
export interface Viewer {
  userId: string | null;
  /** The community the user belongs to (their home), or null for federation-level users. */
  homeCommunityId: string | null;
  roles: Role[];
}

export const ANONYMOUS: Viewer = Object.freeze({ userId: null, homeCommunityId: null, roles: [] }) as Viewer;

interface SignedPayload {
  v: 1;
  sub: string | null;
  com: string | null;
  roles: Role[];
  iat: number;
}

export function generateSigningKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export class IdentitySigner {
  private readonly key: KeyObject;
  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
  }

  headers(viewer: Viewer, now = Date.now()): Record<string, string> {
    const payload: SignedPayload = { v: 1, sub: viewer.userId, com: viewer.homeCommunityId, roles: viewer.roles, iat: now };
    const identity = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signature = sign(null, Buffer.from(identity), this.key).toString('base64url');
    return { [IDENTITY_HEADER]: identity, [SIGNATURE_HEADER]: signature };
  }
}

export class IdentityVerifier {
  private readonly key: KeyObject;
  constructor(publicKeyPem: string) {
    this.key = createPublicKey(publicKeyPem);
  }

  /** Returns the verified viewer, or throws UNAUTHENTICATED (HTTP 401). */
  verify(headers: Record<string, string | string[] | undefined>, now = Date.now()): Viewer {
    const identity = single(headers[IDENTITY_HEADER]);
    const signature = single(headers[SIGNATURE_HEADER]);
    if (!identity || !signature) {
      throw new UnauthenticatedError('请求未经网关签名', 'Request is not signed by the gateway');
    }
    if (!verify(null, Buffer.from(identity), this.key, Buffer.from(signature, 'base64url'))) {
      throw new UnauthenticatedError('网关签名无效', 'Invalid gateway signature');
    }
    let payload: SignedPayload;
    try {
      payload = JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')) as SignedPayload;
    } catch {
      throw new UnauthenticatedError('网关签名无效', 'Malformed gateway identity');
    }
    if (payload.v !== 1 || typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > MAX_SIGNATURE_AGE_MS) {
      throw new UnauthenticatedError('网关签名已过期', 'Gateway signature expired');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r)) : [];
    return { userId: payload.sub ?? null, homeCommunityId: payload.com ?? null, roles };
  }
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.roles.some((r) => roles.includes(r));
}

/** Staff or admin of the given community (the viewer's home must be that community). */
export function isStaffOf(viewer: Viewer, communityId: string): boolean {
  return viewer.homeCommunityId === communityId && hasRole(viewer, Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN);
}

/**
 * A Linli service acting for the whole federation (the gateway, the exchange): SERVICE with
 * no home community. Only such a viewer is trusted across communities.
 */
export function isFederationService(viewer: Viewer): boolean {
  return viewer.homeCommunityId === null && hasRole(viewer, Role.SERVICE);
}

/**
 * The process of community `communityId` acting on its own behalf: SERVICE whose home is
 * that community. It may act for its community only (issue to its own residents, say),
 * never across the federation.
 */
export function isCommunityService(viewer: Viewer, communityId: string): boolean {
  return viewer.homeCommunityId === communityId && hasRole(viewer, Role.SERVICE);
}
