import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { requireAdmin, requireMember } from './grid.access.js';
import { CommunityArgs } from './grid.inputs.js';
import { gridScope } from './grid.request.js';
import { GridSettings, MAX_RESOLVE_MINUTES, MAX_VISIT_INTERVAL_DAYS } from './settings.entity.js';
import { readSettings, updateSettings } from './settings.service.js';

@InputType({ description: '调整网格工作设置；未给出的不变 (Change the settings; what is not given stays)' })
export class UpdateGridSettingsInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_VISIT_INTERVAL_DAYS)
  highRiskVisitDays?: number | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_VISIT_INTERVAL_DAYS)
  keyRiskVisitDays?: number | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_VISIT_INTERVAL_DAYS)
  generalRiskVisitDays?: number | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RESOLVE_MINUTES)
  redResolveMinutes?: number | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RESOLVE_MINUTES)
  yellowResolveMinutes?: number | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RESOLVE_MINUTES)
  blueResolveMinutes?: number | null;
}

@ArgsType()
export class UpdateGridSettingsArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => UpdateGridSettingsInput) @ValidateNested()
  input: UpdateGridSettingsInput;
}

@Resolver(() => GridSettings)
export class GridSettingsResolver {
  @Query(() => GridSettings, { nullable: true, description: '走访间隔与事件时限（本社区成员） (Visit intervals and case deadlines; members of this community)' })
  async gridSettings(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<GridSettings> {
    assertServes(ctx, communityId);
    requireMember(await gridScope(ctx));
    return readSettings(ctx.em);
  }

  @Mutation(() => GridSettings, { nullable: true, description: '调整走访间隔与事件时限（社区管理员） (Change visit intervals and case deadlines; community admin)' })
  async updateGridSettings(@Args() { communityId, input }: UpdateGridSettingsArgs, @Ctx() ctx: CommunityContext): Promise<GridSettings> {
    assertServes(ctx, communityId);
    const scope = await gridScope(ctx);
    requireAdmin(scope);
    return updateSettings(ctx.em, input, scope.userId!, ctx.clock.now());
  }
}
