import { PageInfo } from '@linli/subgraph-kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PointsEntry } from './points.entity.js';

@ObjectType()
export class PointsEntryEdge {
  @Field(() => PointsEntry)
  node: PointsEntry;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '积分明细（最新在前） (Points entries, newest first)' })
export class PointsEntryConnection {
  @Field(() => [PointsEntryEdge])
  edges: PointsEntryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: '居民积分：余额与明细 (A resident\'s points: balance and history)' })
export class ResidentPoints {
  @Field(() => ID)
  residentId: string;

  @Field(() => Int)
  balance: number;
}

@ObjectType({ description: '本月积分统计（仅汇总） (Points in a month; aggregates only)' })
export class PointsStats {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: '发出积分 (Points earned)' })
  pointsEarned: number;

  @Field(() => Int, { description: '获得积分的居民数 (Residents who earned points)' })
  residentsEarning: number;

  @Field(() => Int, { description: '兑换礼品所用积分 (Points spent on rewards)' })
  pointsRedeemed: number;

  @Field(() => Int, { description: '兑换礼品次数 (Rewards redeemed)' })
  rewardsRedeemed: number;

  @Field(() => Int, { description: '转为共享积分的积分 (Points converted into shared credit)' })
  pointsConverted: number;

  @Field(() => Int, { description: '由此发放的共享积分 (Shared credit issued for them)' })
  creditsIssued: number;
}
