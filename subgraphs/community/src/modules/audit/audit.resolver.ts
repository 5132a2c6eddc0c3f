import { toConnection } from '@linli/subgraph-kit';
import { ForbiddenError, hasRole, PageInfo, Role } from '@linli/subgraph-kit';
import { IsOptional, Length } from 'class-validator';
import { Args, ArgsType, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { AuditEntry } from './audit.entity.js';
import * as audit from './audit.service.js';

@ObjectType()
class AuditEntryEdge {
  @Field(() => AuditEntry)
  node: AuditEntry;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: '个人数据访问日志（最新在前） (Reads of personal data, newest first)' })
class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ArgsType()
class AuditLogArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100)
  subjectType?: string | null;

  @Field(() => ID, { nullable: true }) @IsOptional() @Length(1, 200)
  subjectId?: string | null;

  @Field(() => Int, { nullable: true }) @IsOptional()
  first?: number | null;

  @Field(() => String, { nullable: true }) @IsOptional()
  after?: string | null;
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { nullable: true, description: '个人数据访问日志（社区管理员） (Audit log of personal-data reads; community admin)' })
  async auditLog(@Args() { communityId, ...args }: AuditLogArgs, @Ctx() ctx: CommunityContext): Promise<AuditEntryConnection> {
    assertServes(ctx, communityId);
    if (ctx.viewer.homeCommunityId !== ctx.communityId || !hasRole(ctx.viewer, Role.COMMUNITY_ADMIN)) {
      throw new ForbiddenError('只有本社区管理员可以查看访问日志', 'Only the community admin may read the audit log', { communityId });
    }
    const page = await audit.listAudit(ctx.em, args);
    return toConnection(page.entries, page.hasNextPage, audit.cursorOf);
  }
}
