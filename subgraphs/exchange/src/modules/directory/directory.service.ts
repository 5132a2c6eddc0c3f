import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Community, CommunityStatus } from './community.entity.js';
import {
  CommunityNotFoundError,
  CommunityRegistrationConflictError,
  CommunityStatusConflictError,
  InvalidEndpointError,
  InvalidIdentityProviderError,
} from './directory.errors.js';

export interface CommunityRegistration {
  id: string;
  name: string;
  nameEn: string;
  district: string;
  districtEn: string;
  street: string;
  streetEn: string;
  endpoint: string;
  issuer?: string | null;
  jwksUri?: string | null;
  jwks?: Record<string, unknown> | null;
}

const REGISTERED_FIELDS = ['name', 'nameEn', 'district', 'districtEn', 'street', 'streetEn', 'endpoint', 'issuer', 'jwksUri'] as const;

type NormalisedRegistration = Omit<CommunityRegistration, 'issuer' | 'jwksUri' | 'jwks'> & {
  issuer: string | null;
  jwksUri: string | null;
  jwks: Record<string, unknown> | null;
};

export async function listCommunities(em: EntityManager, filter: { status?: CommunityStatus | null } = {}): Promise<Community[]> {
  return em.find(Community, filter.status ? { status: filter.status } : {}, { orderBy: { id: 'asc' } });
}

export async function getCommunity(em: EntityManager, id: string): Promise<Community | null> {
  return em.findOne(Community, { id });
}

/**
 * Registers a community as PENDING: it is routed to only once the gateway has admitted it
 * (`recordAdmission`). Registering the same id with the same details again returns the
 * existing entry unchanged (a retried call is harmless, whatever its status is now); the
 * same id with other details is a CONFLICT, since the id is every entity key's prefix.
 */
export async function registerCommunity(em: EntityManager, input: CommunityRegistration): Promise<Community> {
  const registration: NormalisedRegistration = {
    ...input,
    endpoint: normaliseEndpoint(input.endpoint),
    issuer: input.issuer ?? null,
    jwksUri: input.jwksUri ? normaliseEndpoint(input.jwksUri, 'jwksUri') : null,
    jwks: input.jwks ?? null,
  };
  checkIdentityProvider(registration);
  const existing = await em.findOne(Community, { id: registration.id });
  if (existing) return sameOrConflict(existing, registration);
  // A fork, so that a lost race leaves nothing half-persisted in the caller's unit of work.
  const fork = em.fork();
  const community = fork.create(Community, { ...registration, status: CommunityStatus.PENDING });
  try {
    await fork.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOneOrFail(Community, { id: registration.id });
    return sameOrConflict(winner, registration);
  }
  return community;
}

/** Takes a community out of routing, whatever its state: the emergency stop. Idempotent. */
export async function suspendCommunity(em: EntityManager, id: string): Promise<Community> {
  return changeStatus(em, id, () => CommunityStatus.SUSPENDED);
}

/**
 * Puts a SUSPENDED community back. One that never passed admission (suspended while
 * PENDING or REJECTED) goes to PENDING, so the gateway checks it first; PENDING and REJECTED ones are not "reactivated" but admitted
 * (`requestAdmission`).
 */
export async function reactivateCommunity(em: EntityManager, id: string): Promise<Community> {
  return changeStatus(em, id, (community) => {
    if (community.status === CommunityStatus.ACTIVE) return null;
    if (community.status !== CommunityStatus.SUSPENDED) {
      throw new CommunityStatusConflictError(id, community.status, { zh: '恢复，请重新申请准入', en: 'reactivated; request admission instead' });
    }
    const admitted = community.admissionCheckedAt !== null && community.rejectionReasons === null;
    return admitted ? CommunityStatus.ACTIVE : CommunityStatus.PENDING;
  });
}

/** Asks for a REJECTED community to be checked again (after its operators fixed it). Idempotent. */
export async function requestAdmission(em: EntityManager, id: string): Promise<Community> {
  return changeStatus(em, id, (community) => {
    if (community.status === CommunityStatus.PENDING) return null;
    if (community.status !== CommunityStatus.REJECTED) {
      throw new CommunityStatusConflictError(id, community.status, { zh: '重新申请准入', en: 'sent back to admission' });
    }
    return CommunityStatus.PENDING;
  });
}

/**
 * The gateway's decision on a PENDING community. Only PENDING moves: several gateway
 * replicas may check the same community at once, and a late or repeated decision about
 * one that is already decided (or suspended meanwhile) changes nothing and returns it as is.
 */
export async function recordAdmission(
  em: EntityManager,
  decision: { id: string; accepted: boolean; reasons: string[] },
  now: Date = new Date(),
): Promise<Community> {
  return changeStatus(em, decision.id, (community) => {
    if (community.status !== CommunityStatus.PENDING) return null;
    community.admissionCheckedAt = now;
    community.rejectionReasons = decision.accepted ? null : decision.reasons.length ? decision.reasons : ['未说明原因 (no reason given)'];
    return decision.accepted ? CommunityStatus.ACTIVE : CommunityStatus.REJECTED;
  });
}

/**
 * Reads the community under a row lock and applies `decide` in the same transaction, so that
 * status changes never interleave: two gateways deciding at once, or an admin's suspension
 * landing between a gateway's read and its write. `decide` returns the new status, or null
 * to leave it as it is.
 */
async function changeStatus(em: EntityManager, id: string, decide: (community: Community) => CommunityStatus | null): Promise<Community> {
  return em.transactional(async (tx) => {
    const community = await tx.findOne(Community, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!community) throw new CommunityNotFoundError(id);
    const status = decide(community);
    if (status !== null) community.status = status;
    return community;
  });
}

/**
 * The gateway drops an identity provider it cannot use and then refuses every token of the
 * community: say so at registration instead. An issuer needs keys (a JWKS URL or the JWKS),
 * keys need an issuer, and a JWKS is `{ keys: [{ kty, … }, …] }`.
 */
function checkIdentityProvider({ issuer, jwksUri, jwks }: NormalisedRegistration): void {
  if (issuer && !jwksUri && !jwks) {
    throw new InvalidIdentityProviderError('issuer', '签发者须附公钥集地址或公钥集', 'An issuer needs its keys: jwksUri or jwks');
  }
  if (!issuer && (jwksUri || jwks)) {
    throw new InvalidIdentityProviderError('issuer', '公钥集须注明签发者', 'Keys need the issuer they belong to');
  }
  const keys: unknown = jwks?.keys;
  const isKey = (key: unknown) => typeof key === 'object' && key !== null && typeof (key as { kty?: unknown }).kty === 'string';
  if (jwks && !(Array.isArray(keys) && keys.length > 0 && keys.every(isKey))) {
    throw new InvalidIdentityProviderError('jwks', '公钥集格式无效：须为 { keys: [{ kty, … }] }', 'The JWKS is malformed: expected { keys: [{ kty, … }] }');
  }
}

function sameOrConflict(existing: Community, registration: NormalisedRegistration): Community {
  const differs =
    REGISTERED_FIELDS.some((field) => existing[field] !== registration[field]) || JSON.stringify(existing.jwks) !== JSON.stringify(registration.jwks);
  if (differs) throw new CommunityRegistrationConflictError(registration.id);
  return existing;
}

/** Only http(s) URLs; normalised so that an idempotent re-registration compares equal. */
function normaliseEndpoint(endpoint: string, argument = 'endpoint'): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidEndpointError(argument);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidEndpointError(argument);
  if (url.username || url.password) throw new InvalidEndpointError(argument);
  return url.toString();
}
