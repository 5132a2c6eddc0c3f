import { PageInfo } from '@linli/subgraph-kit';
import { Field, ObjectType } from 'type-graphql';
import { Booking } from './booking.entity.js';

@ObjectType()
export class BookingEdge {
  @Field(() => Booking)
  node: Booking;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '预约列表（最新在前） (Bookings, newest first)' })
export class BookingConnection {
  @Field(() => [BookingEdge])
  edges: BookingEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
