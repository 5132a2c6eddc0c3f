import { PageInfo } from '@linli/subgraph-kit';
import { Field, ObjectType } from 'type-graphql';
import { Transfer } from './transfer.entity.js';

@ObjectType()
export class TransferEdge {
  @Field(() => Transfer)
  node: Transfer;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '转账记录（最新在前） (Transfers, newest first)' })
export class TransferConnection {
  @Field(() => [TransferEdge])
  edges: TransferEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
