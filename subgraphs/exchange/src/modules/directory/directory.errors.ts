import { BadInputError, ConflictError, NotFoundError } from '@linli/subgraph-kit';
import type { CommunityStatus } from './community.entity.js';

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

/** A status change the admission flow does not allow (e.g. reactivating a REJECTED community). */
export class CommunityStatusConflictError extends ConflictError {
  constructor(communityId: string, status: CommunityStatus, action: { zh: string; en: string }) {
    super(`社区 ${communityId} 当前状态为 ${status}，不能${action.zh}`, `Community ${communityId} is ${status}; it cannot be ${action.en}`, {
      communityId,
      status,
    });
  }
}
