import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The owning community's resource, known here only by its key. `resolvable: false`: the
 * exchange never resolves resources; the gateway fetches every other field from the
 * community in `communityId`.
 */
@Directive('@key(fields: "communityId id", resolvable: false)')
@ObjectType('SharedResource')
export class SharedResourceStub {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}
