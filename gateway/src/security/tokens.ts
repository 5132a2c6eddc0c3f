import { createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import { UnauthenticatedError } from '@linli/subgraph-kit/errors';
import { ANONYMOUS, ROLES, type Role, type Viewer } from '@linli/subgraph-kit/identity';
import { JWT_AUDIENCE } from '../config.js';

export const DEFAULT_ISSUER = 'linli-dev';

export interface TokenSubject {
  userId: string;
  homeCommunityId: string | null;
  roles: readonly Role[];
}

export interface MintOptions {
  /** `iss` claim. Default `linli-dev`, the gateway's default issuer. */
  issuer?: string;
  /** Lifetime in seconds. Default 12 hours. */
  ttlSeconds?: number;
}

/**
 * Mints an HS256 token the gateway accepts, for the demo launcher and tests. Synchronous on
 * purpose: launchers build preset lists from it without awaiting.
 */
export function mintDevToken(secret: string, subject: TokenSubject, options: MintOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };
  const claims = {
    sub: subject.userId,
    ...(subject.homeCommunityId ? { community: subject.homeCommunityId } : {}),
    roles: [...subject.roles],
    iss: options.issuer ?? DEFAULT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now,
    exp: now + (options.ttlSeconds ?? 12 * 3600),
  };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Turns the `Authorization` header into a viewer; no header means an anonymous visitor. */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly issuer: string = DEFAULT_ISSUER,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async viewer(authorization: string | undefined): Promise<Viewer> {
    return (await this.authenticate(authorization)).viewer;
  }

  /**
   * The viewer and when their token stops being valid (null: anonymous, no token), for
   * long-lived connections that must end when the token does.
   */
  async authenticate(authorization: string | undefined): Promise<{ viewer: Viewer; expiresAt: Date | null }> {
    if (authorization === undefined || authorization.trim() === '') return { viewer: ANONYMOUS, expiresAt: null };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw invalidToken();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1], this.key, { issuer: this.issuer, audience: JWT_AUDIENCE, algorithms: ['HS256'] }));
    } catch {
      // Which check failed (signature, expiry, issuer) is not the client's business.
      throw invalidToken();
    }
    const { sub, community, roles, exp } = payload;
    if (typeof sub !== 'string' || sub === '') throw invalidToken();
    return {
      viewer: {
        userId: sub,
        homeCommunityId: typeof community === 'string' && community !== '' ? community : null,
        roles: Array.isArray(roles) ? roles.filter((r): r is Role => ROLES.includes(r as Role)) : [],
      },
      expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : null,
    };
  }
}

function invalidToken(): UnauthenticatedError {
  return new UnauthenticatedError('登录凭证无效或已过期', 'Invalid or expired token');
}
