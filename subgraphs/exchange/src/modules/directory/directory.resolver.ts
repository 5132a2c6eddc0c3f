import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canSeeInfrastructure, requireFederationAdmin } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Community } from './community.entity.js';
import { CommunitiesArgs, RegisterCommunityInput } from './directory.inputs.js';
import * as directory from './directory.service.js';

@Resolver(() => Community)
export class DirectoryResolver {
  @Query(() => [Community], { description: '成员社区，按 ID 排序 (Member communities, by id)' })
  communities(@Args() { status }: CommunitiesArgs, @Ctx() ctx: ExchangeContext): Promise<Community[]> {
    return directory.listCommunities(ctx.em, { status });
  }

  @Query(() => Community, { nullable: true, description: '按 ID 查看社区 (A community by id)' })
  community(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Community | null> {
    return directory.getCommunity(ctx.em, id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: '社区子图地址，仅联邦管理员与服务可见 (Subgraph URL; only federation admins and services see it)',
  })
  endpoint(@Root() community: Community, @Ctx() ctx: ExchangeContext): string | null {
    return canSeeInfrastructure(ctx.viewer) ? community.endpoint : null;
  }

  @Mutation(() => Community, { description: '登记社区（联邦管理员） (Register a community; federation admin)' })
  registerCommunity(@Arg('input', () => RegisterCommunityInput) input: RegisterCommunityInput, @Ctx() ctx: ExchangeContext): Promise<Community> {
    requireFederationAdmin(ctx.viewer);
    return directory.registerCommunity(ctx.em, input);
  }

  @Mutation(() => Community, { description: '暂停社区（联邦管理员） (Suspend a community; federation admin)' })
  suspendCommunity(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Community> {
    requireFederationAdmin(ctx.viewer);
    return directory.suspendCommunity(ctx.em, id);
  }

  @Mutation(() => Community, { description: '恢复社区（联邦管理员） (Reactivate a community; federation admin)' })
  reactivateCommunity(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Community> {
    requireFederationAdmin(ctx.viewer);
    return directory.reactivateCommunity(ctx.em, id);
  }
}
