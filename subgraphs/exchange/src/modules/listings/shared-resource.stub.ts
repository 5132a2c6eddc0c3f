import { Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import type { ExchangeContext } from '../../context.js';
import { Community } from '../directory/community.entity.js';

/**
 * The owning community's resource, known here by its key. Every field of the resource is
 * the owning community's; the exchange adds only what it owns itself: the community's
 * entry in the directory (`community`), so that a client reads `resource { name community
 * { name } }` in one go.
 */
@Directive('@key(fields: "communityId id")')
@ObjectType('SharedResource')
export class SharedResourceStub {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@Resolver(() => SharedResourceStub)
export class SharedResourceDirectoryResolver {
  @FieldResolver(() => Community, { nullable: true, description: '资源所属社区（联邦名录） (The owning community, from the federation directory)' })
  community(@Root() resource: SharedResourceStub, @Ctx() ctx: ExchangeContext): Promise<Community | null> {
    return ctx.loaders.community.load(resource.communityId);
  }
}

/** The key is all the exchange keeps of a resource: a representation resolves to itself. */
export const sharedResourceReference = {
  __resolveReference(ref: { communityId: string; id: string }): SharedResourceStub {
    return { communityId: ref.communityId, id: ref.id };
  },
};
