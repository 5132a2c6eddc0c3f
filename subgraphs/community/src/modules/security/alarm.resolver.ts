import { toConnection } from '@linli/subgraph-kit';
import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { Alarm, AlarmActorKind, AlarmEscalation, AlarmTransition } from './alarm.entity.js';
import * as alarms from './alarm.service.js';
import { escalationsOf } from './alarm.sla.js';
import { AlarmArgs, AlarmConnection, AlarmsArgs, TransitionAlarmArgs } from './alarm.types.js';
import { SecurityDevice } from './device.entity.js';
import { assertCanWatch } from './security.access.js';

@Resolver(() => Alarm)
export class AlarmResolver {
  @Query(() => AlarmConnection, { nullable: true, description: '安防告警，最新在前（本社区安保和工作人员） (Alarms, newest first; security staff and staff)' })
  async alarms(@Args() { communityId, ...filter }: AlarmsArgs, @Ctx() ctx: CommunityContext): Promise<AlarmConnection> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    const page = await alarms.listAlarms(ctx.em, filter);
    return toConnection(page.alarms, page.hasNextPage, alarms.alarmCursor);
  }

  @Query(() => Alarm, { nullable: true, description: '按 ID 查看告警 (An alarm by id)' })
  async alarm(@Args() { communityId, id }: AlarmArgs, @Ctx() ctx: CommunityContext): Promise<Alarm | null> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    return alarms.getAlarm(ctx.em, id);
  }

  @Mutation(() => Alarm, {
    nullable: true,
    description:
      '推进告警处置：RAISED → ACKNOWLEDGED → DISPATCHED → ON_SCENE → RESOLVED → CLOSED，或 FALSE_ALARM (Move an alarm one step; repeating its current status changes nothing)',
  })
  async transitionAlarm(@Args() { communityId, id, to, note, assigneeId }: TransitionAlarmArgs, @Ctx() ctx: CommunityContext): Promise<Alarm> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    return alarms.moveAlarm(ctx.em, ctx, { alarmId: id, to, note, assigneeId }, { kind: AlarmActorKind.STAFF, id: ctx.viewer.userId }, ctx.clock.now());
  }

  @FieldResolver(() => SecurityDevice, { description: '触发设备 (The device that raised it)' })
  async device(@Root() alarm: Alarm, @Ctx() ctx: CommunityContext): Promise<SecurityDevice> {
    return ctx.em.findOneOrFail(SecurityDevice, { id: alarm.device.id });
  }

  @FieldResolver(() => [AlarmTransition], { description: '处置记录，最早在前 (Its handling, oldest first)' })
  async history(@Root() alarm: Alarm, @Ctx() ctx: CommunityContext): Promise<AlarmTransition[]> {
    return alarms.historyOf(ctx.em, alarm.id);
  }

  @FieldResolver(() => [AlarmEscalation], { description: '超时升级记录 (Deadlines it missed)' })
  async escalations(@Root() alarm: Alarm, @Ctx() ctx: CommunityContext): Promise<AlarmEscalation[]> {
    return escalationsOf(ctx.em, alarm.id);
  }
}
