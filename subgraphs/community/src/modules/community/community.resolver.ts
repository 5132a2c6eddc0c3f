import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { toConnection } from '../resources/resource.resolver.js';
import * as resources from '../resources/resource.service.js';
import { ResourcesArgs, SharedResourceConnection } from '../resources/resource.types.js';
import { Community } from './community.type.js';

@Resolver(() => Community)
export class CommunityResolver {
  @FieldResolver(() => SharedResourceConnection, { nullable: true, description: '本社区共享的资源 (Resources this community shares)' })
  async resources(@Root() community: Community, @Args() args: ResourcesArgs, @Ctx() ctx: CommunityContext): Promise<SharedResourceConnection> {
    if (community.id !== ctx.communityId) return toConnection({ resources: [], hasNextPage: false });
    return toConnection(await resources.listResources(ctx.em, args));
  }
}

export const communityReference = {
  __resolveReference(ref: { id: string }, ctx: CommunityContext): Community | null {
    return ref.id === ctx.communityId ? { id: ref.id } : null;
  },
};
