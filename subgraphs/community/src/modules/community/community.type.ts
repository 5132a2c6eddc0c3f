import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The community as this subgraph knows it: just its key. Names and the directory live in
 * the exchange; this subgraph adds what the community itself owns.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: '社区 (A community)' })
export class Community {
  @Field(() => ID)
  id: string;
}
