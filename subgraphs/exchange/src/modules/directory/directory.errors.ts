import { BadInputError, ConflictError, NotFoundError } from '@linli/subgraph-kit';
import type { CommunityStatus } from './community.entity.js';

/** Why a community may not act as a member: unknown to the directory, or not ACTIVE. */
export type NotMemberReason = 'UNKNOWN' | Exclude<`${CommunityStatus}`, 'ACTIVE'>;

const NOT_MEMBER: Record<NotMemberReason, { zh: string; en: string }> = {
  UNKNOWN: { zh: '未登记', en: 'is not registered' },
  SUSPENDED: { zh: '已暂停', en: 'is suspended' },
  PENDING: { zh: '尚未通过接入审核', en: 'has not passed admission yet' },
  REJECTED: { zh: '接入审核未通过', en: 'was rejected at admission' },
};

/** The zh-CN and English sentences for a community that is not an ACTIVE member. */
export function notMemberMessage(communityId: string, reason: NotMemberReason): { zh: string; en: string } {
  return { zh: `社区 ${communityId} ${NOT_MEMBER[reason].zh}`, en: `Community ${communityId} ${NOT_MEMBER[reason].en}` };
}

export class CommunityNotFoundError extends NotFoundError {
  constructor(communityId: string) {
    super({ zh: '社区', en: 'Community' }, { communityId });
  }
}

/** The id is taken by a community registered with other names or another endpoint. */
export class CommunityRegistrationConflictError extends ConflictError {
  constructor(communityId: string) {
    super(`社区 ${communityId} 已登记，且信息不同`, `Community ${communityId} is already registered with different details`, {
      communityId,
    });
  }
}

export class InvalidEndpointError extends BadInputError {
  constructor(argument = 'endpoint') {
    super(`${argument} 必须是 http(s) URL`, `${argument} must be an http(s) URL`, { argument });
  }
}

/** An identity provider the gateway could not use: keys without an issuer, an issuer without keys, or keys that are not a JWKS. */
export class InvalidIdentityProviderError extends BadInputError {
  constructor(argument: 'issuer' | 'jwks', zh: string, en: string) {
    super(zh, en, { argument });
  }
}

/** A status change the admission flow does not allow (e.g. reactivating a REJECTED community). */
export class CommunityStatusConflictError extends ConflictError {
  constructor(communityId: string, status: CommunityStatus, action: { zh: string; en: string }) {
    super(`社区 ${communityId} 当前状态为 ${status}，不能${action.zh}`, `Community ${communityId} is ${status}; it cannot be ${action.en}`, {
      communityId,
      status,
    });
  }
}
