import { createHmac } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import { UnauthenticatedError } from '@linli/subgraph-kit/errors';
import { ANONYMOUS, ROLES, type Role, type Viewer } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { JWT_AUDIENCE } from '../config.js';
import { CommunityIssuers, CommunityTokenRefused, type CommunityIssuersOptions } from './community-issuers.js';

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

export interface TokenVerifierOptions {
  /** HS256 secret of the gateway's own (demo) issuer, ≥ 32 characters. */
  secret: string;
  /** `iss` of the gateway's own issuer. Default `linli-dev`. */
  issuer?: string;
  /**
   * The community directory: its communities' identity providers (issuer and keys) are
   * trusted while the community is ACTIVE. Default: none, only the gateway's own issuer.
   */
  directory?: CommunityIssuersOptions['directory'];
  /** How long fetching a community's JWKS may take. Default 3000. */
  jwksTimeoutMs?: number;
  /** Where unreadable community key sets are reported. Default: not reported. */
  logger?: Logger;
}

/** Who a token says the caller is, for as long as it says so. */
export interface Authentication {
  viewer: Viewer;
  /** When the token stops being valid; null: anonymous, no token. */
  expiresAt: Date | null;
  /**
   * Only for a community identity provider's token: false once the directory no longer
   * trusts that community (suspended, or its issuer gone). Checked again on directory changes.
   */
  stillTrusted?: () => boolean;
}

/**
 * Turns the `Authorization` header into a viewer; no header means an anonymous visitor.
 * Tokens of the gateway's own issuer (HS256) are taken as they are; any other `iss` must be
 * the registered issuer of an ACTIVE community (see `CommunityIssuers`).
 */
export class TokenVerifier {
  private readonly key: Uint8Array;
  private readonly issuer: string;
  private readonly communities: CommunityIssuers | null;
  private readonly directory: TokenVerifierOptions['directory'];

  constructor(options: TokenVerifierOptions) {
    this.key = new TextEncoder().encode(options.secret);
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.directory = options.directory;
    this.communities = options.directory
      ? new CommunityIssuers({ directory: options.directory, jwksTimeoutMs: options.jwksTimeoutMs, logger: options.logger })
      : null;
  }

  async viewer(authorization: string | undefined): Promise<Viewer> {
    return (await this.authenticate(authorization)).viewer;
  }

  /** The viewer and how long to believe it, for long-lived connections that must end when the token does. */
  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (authorization === undefined || authorization.trim() === '') return { viewer: ANONYMOUS, expiresAt: null };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw invalidToken();
    const token = match[1];
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalidToken();
    }
    // Which check failed (signature, expiry, issuer, community) is not the client's business.
    if (issuer === this.issuer) return this.ownToken(token);
    if (typeof issuer !== 'string' || !this.communities) throw invalidToken();
    try {
      return await this.communities.verify(token, issuer);
    } catch (error) {
      if (error instanceof CommunityTokenRefused) throw invalidToken();
      throw error;
    }
  }

  /** Calls `listener` when the directory changes (a community's trust may have); returns a function that stops it. */
  onDirectoryChange(listener: () => void): () => void {
    return this.directory?.onChange?.(listener) ?? (() => {});
  }

  private async ownToken(token: string): Promise<Authentication> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: this.issuer, audience: JWT_AUDIENCE, algorithms: ['HS256'] }));
    } catch {
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
