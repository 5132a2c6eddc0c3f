import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ForbiddenError, isFederationService } from '@linli/subgraph-kit';
import { JSONObjectResolver } from 'graphql-scalars';
import { canSeeInfrastructure, requireFederationAdmin } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Community } from './community.entity.js';
import { CommunitiesArgs, RecordAdmissionArgs, RegisterCommunityInput } from './directory.inputs.js';
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

  @FieldResolver(() => [String], {
    nullable: true,
    description: '准入未通过的原因，仅联邦管理员与服务可见 (Why admission failed; only federation admins and services see it)',
  })
  rejectionReasons(@Root() community: Community, @Ctx() ctx: ExchangeContext): string[] | null {
    return canSeeInfrastructure(ctx.viewer) ? community.rejectionReasons : null;
  }

  @FieldResolver(() => String, { nullable: true, description: '令牌签发者，仅联邦管理员与服务可见 (Token issuer of its identity provider; admins and services only)' })
  issuer(@Root() community: Community, @Ctx() ctx: ExchangeContext): string | null {
    return canSeeInfrastructure(ctx.viewer) ? community.issuer : null;
  }

  @FieldResolver(() => String, { nullable: true, description: '签发者公钥集地址，仅联邦管理员与服务可见 (JWKS URL; admins and services only)' })
  jwksUri(@Root() community: Community, @Ctx() ctx: ExchangeContext): string | null {
    return canSeeInfrastructure(ctx.viewer) ? community.jwksUri : null;
  }

  @FieldResolver(() => JSONObjectResolver, { nullable: true, description: '签发者公钥集，仅联邦管理员与服务可见 (The JWKS itself; admins and services only)' })
  jwks(@Root() community: Community, @Ctx() ctx: ExchangeContext): Record<string, unknown> | null {
    return canSeeInfrastructure(ctx.viewer) ? community.jwks : null;
  }

  @Mutation(() => Community, { description: '登记社区，待网关准入检查（联邦管理员） (Register a community, PENDING until the gateway admits it; federation admin)' })
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

  @Mutation(() => Community, { description: '重新申请准入检查（联邦管理员） (Send a REJECTED community back to admission; federation admin)' })
  requestAdmission(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Community> {
    requireFederationAdmin(ctx.viewer);
    return directory.requestAdmission(ctx.em, id);
  }

  @Mutation(() => Community, { description: '记录准入检查结果（仅网关服务） (Record the admission decision on a PENDING community; the gateway service only)' })
  recordAdmission(@Args() decision: RecordAdmissionArgs, @Ctx() ctx: ExchangeContext): Promise<Community> {
    if (!isFederationService(ctx.viewer)) {
      throw new ForbiddenError('只有网关服务可以记录准入结果', 'Only the gateway service may record an admission decision');
    }
    return directory.recordAdmission(ctx.em, decision);
  }
}
