import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, Role, type Viewer } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { JWT_AUDIENCE } from '../config.js';
import type { CommunityDirectory, DirectoryEntry, JwkSet } from '../routing/directory.js';

/**
 * Asymmetric only: the gateway holds a community's public keys, never a secret it shares
 * with the community (which would let the gateway, or a leak of it, mint that community's tokens).
 */
export const COMMUNITY_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

/**
 * Roles a community's own identity provider may grant. FEDERATION_ADMIN and SERVICE act
 * across the federation, so only the federation's issuer may grant them; the others are
 * honoured only in the home community (`isStaffOf` and the subgraphs' checks compare the
 * home), which a community token can only name as itself.
 */
export const COMMUNITY_GRANTABLE_ROLES: readonly Role[] = ROLES.filter((r) => r !== Role.FEDERATION_ADMIN && r !== Role.SERVICE);

export interface CommunityIssuersOptions {
  directory: Pick<CommunityDirectory, 'byIssuer' | 'refresh' | 'onChange'>;
  /** How long fetching a community's JWKS from its `jwksUri` may take. Default 3000. */
  jwksTimeoutMs?: number;
  /** Where unreadable key sets are reported (never tokens). Default: not reported. */
  logger?: Logger;
}

/** Why a community token was refused; the client only ever learns that it was. */
export class CommunityTokenRefused extends Error {}

/**
 * Verifies tokens signed by communities' own identity providers, with the keys the
 * directory holds for them. Every check reads the directory as it is now, so a community
 * that is suspended stops being trusted with its next request.
 */
export class CommunityIssuers {
  /** Remote key sets by community id: jose caches the keys inside, so keep one per URL. */
  private readonly remote = new Map<string, { uri: string; keys: JWTVerifyGetKey }>();
  /** Inline key sets by the directory's own object: a refreshed table brings new objects. */
  private readonly local = new WeakMap<JwkSet, JWTVerifyGetKey | null>();

  constructor(private readonly options: CommunityIssuersOptions) {}

  /**
   * The viewer of a token whose `iss` is not the gateway's own issuer, and a check of
   * whether the directory still trusts its community (for connections that outlive the request).
   */
  async verify(token: string, issuer: string): Promise<{ viewer: Viewer; expiresAt: Date; stillTrusted: () => boolean }> {
    const community = await this.communityOf(issuer);
    const keys = this.keysOf(community);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: JWT_AUDIENCE,
        algorithms: COMMUNITY_ALGORITHMS,
        // A token without expiry would keep a live connection open for ever.
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (isKeySetUnreadable(error)) this.options.logger?.warn({ communityId: community.id, err: (error as Error).message }, 'community identity provider keys unreadable');
      throw new CommunityTokenRefused('signature, expiry or audience');
    }
    // Fetching keys takes time: what counts is the directory once the signature checked out.
    const stillTrusted = () => {
      const now = this.options.directory.byIssuer(issuer);
      return now?.id === community.id && now.status === 'ACTIVE';
    };
    if (!stillTrusted()) throw new CommunityTokenRefused('community not active');
    const { sub, community: home, roles, exp } = payload;
    if (typeof sub !== 'string' || sub === '') throw new CommunityTokenRefused('no subject');
    if (home !== community.id) throw new CommunityTokenRefused('home community is not the issuer’s');
    return {
      viewer: {
        // User ids are federation-wide (a resident's ledger account is keyed by it): qualified
        // by the community, one provider cannot name a user of another community.
        userId: `${community.id}:${sub}`,
        homeCommunityId: community.id,
        roles: Array.isArray(roles) ? COMMUNITY_GRANTABLE_ROLES.filter((r) => roles.includes(r)) : [],
      },
      expiresAt: new Date((exp as number) * 1000),
      stillTrusted,
    };
  }

  private async communityOf(issuer: string): Promise<DirectoryEntry> {
    let community = this.options.directory.byIssuer(issuer);
    if (!community) {
      // A community registered a moment ago; the directory rate-limits these reads.
      await this.options.directory.refresh();
      community = this.options.directory.byIssuer(issuer);
    }
    if (!community) throw new CommunityTokenRefused('unknown issuer');
    if (community.status !== 'ACTIVE') throw new CommunityTokenRefused('community not active');
    return community;
  }

  private keysOf(community: DirectoryEntry): JWTVerifyGetKey {
    const keys = community.jwks ? this.localKeys(community.jwks) : community.jwksUri ? this.remoteKeys(community.id, community.jwksUri) : null;
    if (!keys) throw new CommunityTokenRefused('no usable keys');
    return keys;
  }

  private localKeys(jwks: JwkSet): JWTVerifyGetKey | null {
    if (!this.local.has(jwks)) {
      let keys: JWTVerifyGetKey | null = null;
      try {
        keys = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
      } catch {
        keys = null;
      }
      this.local.set(jwks, keys);
    }
    return this.local.get(jwks) ?? null;
  }

  private remoteKeys(communityId: string, uri: string): JWTVerifyGetKey | null {
    const cached = this.remote.get(communityId);
    if (cached?.uri === uri) return cached.keys;
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return null;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const keys = createRemoteJWKSet(url, { timeoutDuration: this.options.jwksTimeoutMs ?? 3000 });
    this.remote.set(communityId, { uri, keys });
    return keys;
  }
}

/** Failures of the provider's key endpoint, as opposed to a bad token: worth telling the operator. */
function isKeySetUnreadable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // No jose code: the fetch itself failed (refused, reset, DNS).
  return code === undefined || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID' || code === 'ERR_JOSE_GENERIC';
}
