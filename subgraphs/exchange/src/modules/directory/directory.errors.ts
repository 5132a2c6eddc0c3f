import { BadInputError, ConflictError, NotFoundError } from '@linli/subgraph-kit';

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
  constructor() {
    super('社区地址必须是 http(s) URL', 'endpoint must be an http(s) URL', { argument: 'endpoint' });
  }
}
