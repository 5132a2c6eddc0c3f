import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Community, CommunityStatus } from './community.entity.js';
import { CommunityNotFoundError, CommunityRegistrationConflictError, InvalidEndpointError } from './directory.errors.js';

export interface CommunityRegistration {
  id: string;
  name: string;
  nameEn: string;
  district: string;
  districtEn: string;
  street: string;
  streetEn: string;
  endpoint: string;
}

const REGISTERED_FIELDS = ['name', 'nameEn', 'district', 'districtEn', 'street', 'streetEn', 'endpoint'] as const;

export async function listCommunities(em: EntityManager, filter: { status?: CommunityStatus | null } = {}): Promise<Community[]> {
  return em.find(Community, filter.status ? { status: filter.status } : {}, { orderBy: { id: 'asc' } });
}

export async function getCommunity(em: EntityManager, id: string): Promise<Community | null> {
  return em.findOne(Community, { id });
}

/**
 * Registers a member. Registering the same id with the same details again returns the
 * existing entry unchanged (a retried call is harmless, whatever its status is now); the
 * same id with other details is a CONFLICT, since the id is every entity key's prefix.
 */
export async function registerCommunity(em: EntityManager, input: CommunityRegistration): Promise<Community> {
  const registration = { ...input, endpoint: normaliseEndpoint(input.endpoint) };
  const existing = await em.findOne(Community, { id: registration.id });
  if (existing) return sameOrConflict(existing, registration);
  // A fork, so that a lost race leaves nothing half-persisted in the caller's unit of work.
  const fork = em.fork();
  const community = fork.create(Community, { ...registration, status: CommunityStatus.ACTIVE });
  try {
    await fork.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOneOrFail(Community, { id: registration.id });
    return sameOrConflict(winner, registration);
  }
  return community;
}

export async function suspendCommunity(em: EntityManager, id: string): Promise<Community> {
  return setStatus(em, id, CommunityStatus.SUSPENDED);
}

export async function reactivateCommunity(em: EntityManager, id: string): Promise<Community> {
  return setStatus(em, id, CommunityStatus.ACTIVE);
}

async function setStatus(em: EntityManager, id: string, status: CommunityStatus): Promise<Community> {
  const community = await em.findOne(Community, { id });
  if (!community) throw new CommunityNotFoundError(id);
  if (community.status !== status) {
    community.status = status;
    await em.flush();
  }
  return community;
}

function sameOrConflict(existing: Community, registration: CommunityRegistration): Community {
  if (REGISTERED_FIELDS.some((field) => existing[field] !== registration[field])) {
    throw new CommunityRegistrationConflictError(registration.id);
  }
  return existing;
}

/** Only http(s) URLs; normalised so that an idempotent re-registration compares equal. */
function normaliseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidEndpointError();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidEndpointError();
  if (url.username || url.password) throw new InvalidEndpointError();
  return url.toString();
}
