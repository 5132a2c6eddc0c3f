import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { AlarmActorKind } from './alarm.entity.js';
import { recordAccessEvent } from './access.service.js';
import { raiseAlarm } from './alarm.service.js';
import { admitDevice } from './credential.service.js';
import {
  AccessEventReceipt,
  AlarmSignalOutcome,
  AlarmSignalReceipt,
  DeviceHeartbeatArgs,
  DeviceHeartbeatReceipt,
  RaiseAlarmArgs,
  RecordAccessEventArgs,
} from './ingestion.types.js';

/**
 * What devices call. They come through the gateway without a person's token: each call
 * carries the device's own credential (`device: { deviceId, secret }`), which is checked
 * first, then the device's request allowance (RATE_LIMITED when spent). Any such call also
 * counts as a heartbeat. A bad credential is FORBIDDEN with `extensions.reason`
 * DEVICE_CREDENTIAL (or DEVICE_DISABLED).
 */
@Resolver()
export class DeviceIngestionResolver {
  @Mutation(() => DeviceHeartbeatReceipt, { nullable: true, description: '设备心跳（设备凭证） (A device’s heartbeat; device credential)' })
  async deviceHeartbeat(@Args() { communityId, device }: DeviceHeartbeatArgs, @Ctx() ctx: CommunityContext): Promise<DeviceHeartbeatReceipt> {
    assertServes(ctx, communityId);
    const now = ctx.clock.now();
    const admitted = await admitDevice(ctx.em, device, now);
    return { deviceId: admitted.device.id, status: admitted.status, receivedAt: now, heartbeatIntervalSeconds: admitted.device.heartbeatIntervalSeconds };
  }

  @Mutation(() => AlarmSignalReceipt, {
    nullable: true,
    description: '设备上报告警；窗口内同设备同类告警合并计数（设备凭证） (A device raises an alarm; repeats within the window fold into one)',
  })
  async raiseAlarm(@Args() { communityId, device, alarm }: RaiseAlarmArgs, @Ctx() ctx: CommunityContext): Promise<AlarmSignalReceipt> {
    assertServes(ctx, communityId);
    const now = ctx.clock.now();
    const admitted = await admitDevice(ctx.em, device, now);
    const raised = await raiseAlarm(
      ctx.em,
      ctx,
      { deviceId: admitted.device.id, type: alarm.type, severity: alarm.severity, idempotencyKey: alarm.idempotencyKey, actor: { kind: AlarmActorKind.DEVICE, id: admitted.device.id } },
      now,
    );
    return { alarmId: raised.alarm.id, outcome: AlarmSignalOutcome[raised.outcome], status: raised.alarm.status, count: raised.alarm.count };
  }

  @Mutation(() => AccessEventReceipt, { nullable: true, description: '门禁上报通行记录，通行人仅以假名保存（设备凭证） (A door reports an access event; the subject is kept only as a pseudonym)' })
  async recordAccessEvent(@Args() { communityId, device, event }: RecordAccessEventArgs, @Ctx() ctx: CommunityContext): Promise<AccessEventReceipt> {
    assertServes(ctx, communityId);
    const now = ctx.clock.now();
    const admitted = await admitDevice(ctx.em, device, now);
    const recorded = await recordAccessEvent(ctx.em, admitted.device, event, ctx, now);
    return { accessEventId: recorded.id, recordedAt: recorded.recordedAt };
  }
}
