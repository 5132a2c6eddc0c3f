import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * The gateway identity check as schema/README.md describes it to partners, written from
 * that description alone (a partner in another language would do the same): the base64url
 * `x-linli-identity` header value is signed, as is, with the gateway's Ed25519 key; the
 * signature travels base64url in `x-linli-signature`; `iat` must be within 60 s.
 */
export interface PartnerViewer {
  userId: string | null;
  homeCommunityId: string | null;
  roles: string[];
}

const MAX_AGE_MS = 60_000;

export class GatewayIdentity {
  private readonly key: KeyObject;

  constructor(gatewayPublicKeyPem: string) {
    this.key = createPublicKey(gatewayPublicKeyPem);
  }

  /** The caller, or null when the request did not come through the gateway (answer 401). */
  verify(identity: string | undefined, signature: string | undefined, now = Date.now()): PartnerViewer | null {
    if (!identity || !signature) return null;
    if (!verify(null, Buffer.from(identity), this.key, Buffer.from(signature, 'base64url'))) return null;
    let payload: { v?: unknown; sub?: unknown; com?: unknown; roles?: unknown; iat?: unknown };
    try {
      payload = JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      return null;
    }
    if (payload.v !== 1 || typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > MAX_AGE_MS) return null;
    return {
      userId: typeof payload.sub === 'string' ? payload.sub : null,
      homeCommunityId: typeof payload.com === 'string' ? payload.com : null,
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [],
    };
  }
}
