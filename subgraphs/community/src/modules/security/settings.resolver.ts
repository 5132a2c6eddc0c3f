import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Args, ArgsType, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { AlarmSeverity } from './alarm.entity.js';
import { assertCanConfigure, assertCanWatch } from './security.access.js';
import { MAX_DEDUP_WINDOW_MINUTES, MAX_SLA_MINUTES, type SecuritySettings } from './settings.entity.js';
import { getSettings, slaOf, updateSettings } from './settings.service.js';

@ObjectType({ description: '某级别告警的处置时限（分钟，自触发起算） (Deadlines of one severity, minutes from raise)' })
export class AlarmSla {
  @Field(() => AlarmSeverity)
  severity: AlarmSeverity;

  @Field(() => Int)
  acknowledgeMinutes: number;

  @Field(() => Int)
  onSceneMinutes: number;

  @Field(() => Int)
  resolveMinutes: number;
}

@ObjectType({ description: '本社区安防设置 (This community’s alarm settings)' })
export class SecuritySettingsView {
  @Field(() => Int, { description: '告警去重窗口（分钟），默认 5；0 为不去重 (Dedup window, minutes; default 5; 0 = off)' })
  dedupWindowMinutes: number;

  @Field(() => [AlarmSla])
  sla: AlarmSla[];

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最后修改时间，从未修改为空 (Last change; null while on defaults)' })
  updatedAt: Date | null;
}

@InputType()
export class AlarmSlaInput {
  @Field(() => AlarmSeverity)
  severity: AlarmSeverity;

  @Field(() => Int) @IsInt() @Min(1) @Max(MAX_SLA_MINUTES)
  acknowledgeMinutes: number;

  @Field(() => Int) @IsInt() @Min(1) @Max(MAX_SLA_MINUTES)
  onSceneMinutes: number;

  @Field(() => Int) @IsInt() @Min(1) @Max(MAX_SLA_MINUTES)
  resolveMinutes: number;
}

@InputType({ description: '修改安防设置；未给出的保持不变 (Change settings; what is not given stays)' })
export class SecuritySettingsInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(MAX_DEDUP_WINDOW_MINUTES)
  dedupWindowMinutes?: number | null;

  @Field(() => [AlarmSlaInput], { nullable: true }) @IsOptional() @ArrayMaxSize(3) @ValidateNested({ each: true })
  sla?: AlarmSlaInput[] | null;
}

@ArgsType()
export class SecuritySettingsArgs {
  @Field(() => ID)
  communityId: string;
}

@ArgsType()
export class UpdateSecuritySettingsArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => SecuritySettingsInput) @ValidateNested()
  input: SecuritySettingsInput;
}

function view(settings: SecuritySettings): SecuritySettingsView {
  return {
    dedupWindowMinutes: settings.dedupWindowMinutes,
    sla: Object.values(AlarmSeverity).map((severity) => {
      const sla = slaOf(settings, severity);
      return { severity, acknowledgeMinutes: sla.ACKNOWLEDGE, onSceneMinutes: sla.ON_SCENE, resolveMinutes: sla.RESOLVE };
    }),
    updatedAt: settings.updatedAt,
  };
}

@Resolver()
export class SecuritySettingsResolver {
  @Query(() => SecuritySettingsView, { nullable: true, description: '告警处置时限与去重窗口（本社区安保和工作人员） (Alarm deadlines and dedup window)' })
  async securitySettings(@Args() { communityId }: SecuritySettingsArgs, @Ctx() ctx: CommunityContext): Promise<SecuritySettingsView> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    return view(await getSettings(ctx.em));
  }

  @Mutation(() => SecuritySettingsView, { nullable: true, description: '修改告警处置时限与去重窗口（社区管理员）；只影响之后触发的告警 (Change them; community admin; applies to alarms raised afterwards)' })
  async updateSecuritySettings(@Args() { communityId, input }: UpdateSecuritySettingsArgs, @Ctx() ctx: CommunityContext): Promise<SecuritySettingsView> {
    assertServes(ctx, communityId);
    assertCanConfigure(ctx.viewer, ctx.communityId);
    const sla = input.sla?.map((s) => ({ severity: s.severity, ACKNOWLEDGE: s.acknowledgeMinutes, ON_SCENE: s.onSceneMinutes, RESOLVE: s.resolveMinutes }));
    return view(await updateSettings(ctx.em, { dedupWindowMinutes: input.dedupWindowMinutes, sla }, ctx.viewer.userId ?? 'unknown', ctx.clock.now()));
  }
}
