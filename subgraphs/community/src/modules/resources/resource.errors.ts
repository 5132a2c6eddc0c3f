import { BadInputError, NotFoundError } from '@linli/subgraph-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export class ResourceNotFoundError extends NotFoundError {
  constructor(resourceId: string) {
    super({ zh: '资源', en: 'Resource' }, { resourceId });
  }
}

export class InvalidTimeRangeError extends BadInputError {
  constructor(en: string, zh: string) {
    super(zh, en, { argument: 'from/to' });
  }
}

export class WrongCommunityError extends BadInputError {
  constructor(asked: string, served: string) {
    super(`本服务属于社区 ${served}，不是 ${asked}`, `This service belongs to community ${served}, not ${asked}`, {
      communityId: asked,
    });
  }
}
