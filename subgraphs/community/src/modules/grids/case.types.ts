import { PageInfo } from '@linli/subgraph-kit';
import { Field, Int, ObjectType } from 'type-graphql';
import { CaseCategory, CaseUrgency, GridCase } from './case.entity.js';
import type { CaseMonth } from './case.stats.js';

@ObjectType()
export class GridCaseEdge {
  @Field(() => GridCase)
  node: GridCase;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '事件列表（最新在前） (Cases, newest first)' })
export class GridCaseConnection {
  @Field(() => [GridCaseEdge])
  edges: GridCaseEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: '某类别的事件数 (Cases of one category)' })
export class CaseCategoryCount {
  @Field(() => CaseCategory)
  category: CaseCategory;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: '某紧急程度的事件数 (Cases of one urgency)' })
export class CaseUrgencyCount {
  @Field(() => CaseUrgency)
  urgency: CaseUrgency;

  @Field(() => Int)
  count: number;
}

/**
 * What the federation may know of a community's cases: counts for one month, nothing that
 * names a case, a person or a grid.
 */
@ObjectType({ description: '网格事件月度统计（仅汇总数） (Case counts for one month; aggregates only)' })
export class CaseStats implements CaseMonth {
  @Field(() => String, { description: '月份 YYYY-MM（社区当地时间） (Month, community local time)' })
  month: string;

  @Field(() => Int, { description: '当月上报的事件数 (Cases reported that month)' })
  reported: number;

  @Field(() => Int, { description: '其中已办结 (Of them, resolved)' })
  resolved: number;

  @Field(() => Int, { description: '其中在时限内办结 (Of them, resolved by their deadline)' })
  resolvedOnTime: number;

  @Field(() => Int, { description: '其中曾超时督办 (Of them, escalated at least once)' })
  escalated: number;

  @Field(() => [CaseCategoryCount], { description: '按类别，含零 (By category, zeros included)' })
  byCategory: CaseCategoryCount[];

  @Field(() => [CaseUrgencyCount], { description: '按紧急程度，含零 (By urgency, zeros included)' })
  byUrgency: CaseUrgencyCount[];
}

