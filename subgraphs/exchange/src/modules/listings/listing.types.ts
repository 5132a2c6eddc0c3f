import { PageInfo } from '@linli/subgraph-kit';
import { Field, ObjectType } from 'type-graphql';
import { Listing } from './listing.entity.js';

@ObjectType()
export class ListingEdge {
  @Field(() => Listing)
  node: Listing;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '发布列表（最新在前） (Listings, newest first)' })
export class ListingConnection {
  @Field(() => [ListingEdge])
  edges: ListingEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
