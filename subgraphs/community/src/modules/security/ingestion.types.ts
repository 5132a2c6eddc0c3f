import { IsOptional, Length, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AccessMethod, AccessResult } from './access.entity.js';
import { AlarmSeverity, AlarmStatus, AlarmType } from './alarm.entity.js';
import { DeviceStatus } from './device.entity.js';

@InputType({ description: '设备凭证：设备 ID 与登记时签发的密钥 (A device’s credential: its id and the secret issued at registration)' })
export class DeviceCredentialInput {
  @Field(() => ID)
  deviceId: string;

  @Field(() => String) @Length(1, 200)
  secret: string;
}

@InputType({ description: '设备上报的告警 (An alarm signal from a device)' })
export class AlarmSignalInput {
  @Field(() => AlarmType)
  type: AlarmType;

  @Field(() => AlarmSeverity, { nullable: true, description: '默认按类型 (Default by type)' })
  severity?: AlarmSeverity | null;

  @Field(() => String, { description: '设备为本次上报生成的唯一键，重试时不变 (The device’s key for this signal; the same on retries)' })
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({
  description:
    '门禁通行上报。不接受任何图像、模板或生物特征数据 (An access event from a door. No image, template or other biometric data is accepted)',
})
export class AccessEventInput {
  @Field(() => DateTimeISOResolver)
  occurredAt: Date;

  @Field(() => AccessResult)
  result: AccessResult;

  @Field(() => AccessMethod)
  method: AccessMethod;

  @Field(() => String, {
    nullable: true,
    description:
      '设备识别出的持证人编号（卡号、住户编号）；立即转为假名，从不保存 (Whom the door recognised — card number, resident id; turned into a pseudonym at once and never stored)',
  })
  @IsOptional() @Length(1, 200)
  credentialHolderId?: string | null;

  @Field(() => String, { description: '设备为本条记录生成的唯一键，重试时不变 (The device’s key for this event; the same on retries)' })
  @Length(1, 200)
  idempotencyKey: string;
}

@ArgsType()
export class DeviceHeartbeatArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => DeviceCredentialInput) @ValidateNested()
  device: DeviceCredentialInput;
}

@ArgsType()
export class RaiseAlarmArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => DeviceCredentialInput) @ValidateNested()
  device: DeviceCredentialInput;

  @Field(() => AlarmSignalInput) @ValidateNested()
  alarm: AlarmSignalInput;
}

@ArgsType()
export class RecordAccessEventArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => DeviceCredentialInput) @ValidateNested()
  device: DeviceCredentialInput;

  @Field(() => AccessEventInput) @ValidateNested()
  event: AccessEventInput;
}

@ObjectType({ description: '心跳回执 (What a device learns from a heartbeat)' })
export class DeviceHeartbeatReceipt {
  @Field(() => ID)
  deviceId: string;

  @Field(() => DeviceStatus)
  status: DeviceStatus;

  @Field(() => DateTimeISOResolver)
  receivedAt: Date;

  @Field(() => Int, { description: '下次心跳间隔（秒） (Seconds until the next heartbeat is due)' })
  heartbeatIntervalSeconds: number;
}

export enum AlarmSignalOutcome {
  /** A new alarm. */
  RAISED = 'RAISED',
  /** Folded into an open alarm of the same device and type (its count went up). */
  FOLDED = 'FOLDED',
  /** A retry of a signal already received; nothing changed. */
  REPLAYED = 'REPLAYED',
}
registerEnumType(AlarmSignalOutcome, { name: 'AlarmSignalOutcome', description: '告警上报结果 (What became of an alarm signal)' });

@ObjectType({ description: '告警上报回执 (What a device learns from raising an alarm)' })
export class AlarmSignalReceipt {
  @Field(() => ID)
  alarmId: string;

  @Field(() => AlarmSignalOutcome)
  outcome: AlarmSignalOutcome;

  @Field(() => AlarmStatus)
  status: AlarmStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: '通行记录上报回执 (What a door learns from reporting an access event)' })
export class AccessEventReceipt {
  @Field(() => ID)
  accessEventId: string;

  @Field(() => DateTimeISOResolver)
  recordedAt: Date;
}
