import { createHash, createHmac } from 'node:crypto';

/**
 * The subject of an access event as this community records it: HMAC-SHA256, under the
 * community's secret (PSEUDONYM_SECRET), of the community id and the credential holder's id
 * (card number, resident id — whatever the door knows them by). The same holder always gets
 * the same pseudonym here, so staff can follow one pseudonym across doors, but without the
 * secret nobody can get from a pseudonym back to the id, nor link it to another community's.
 */
export function pseudonymOf(secret: string, communityId: string, holderId: string): string {
  return createHmac('sha256', secret).update(`${communityId}\u0000${holderId}`, 'utf8').digest('hex');
}

/**
 * A secret for development and tests only: derived from the community id, so anyone who knows
 * the id can compute it. readConfig refuses to run without PSEUDONYM_SECRET in production.
 */
export function developmentPseudonymSecret(communityId: string): string {
  return createHash('sha256').update(`linli-development-pseudonym:${communityId}`).digest('hex');
}
