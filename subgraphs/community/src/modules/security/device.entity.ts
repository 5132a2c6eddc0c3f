import { Check, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DeviceKind {
  CAMERA = 'CAMERA',
  DOOR_ACCESS = 'DOOR_ACCESS',
  /** Matches faces on the terminal itself and reports only who was matched (see access.entity.ts). */
  FACE_TERMINAL = 'FACE_TERMINAL',
  SMOKE_DETECTOR = 'SMOKE_DETECTOR',
  OTHER = 'OTHER',
}
registerEnumType(DeviceKind, { name: 'DeviceKind', description: '安防设备类型 (Kind of security device)' });

/**
 * OFFLINE → ONLINE on any request the device makes; ONLINE → OFFLINE when it misses
 * MISSED_HEARTBEATS_OFFLINE heartbeats (a scheduled check); DISABLED by staff, and then its
 * credential is refused until it is enabled again.
 */
export enum DeviceStatus {
  ONLINE = 'ONLINE',
  /** Silent for too long, or never heard from since it was registered. */
  OFFLINE = 'OFFLINE',
  DISABLED = 'DISABLED',
}
registerEnumType(DeviceStatus, { name: 'DeviceStatus', description: '设备状态 (Device status)' });

/** Heartbeats a device may miss before it is marked OFFLINE and a DEVICE_OFFLINE alarm raised. */
export const MISSED_HEARTBEATS_OFFLINE = 3;
export const MIN_HEARTBEAT_SECONDS = 10;
export const MAX_HEARTBEAT_SECONDS = 86_400;

@ObjectType({ description: '安防设备 (A security device: camera, door access, smoke detector…)' })
@Entity({ tableName: 'security_device' })
@Index({ name: 'security_device_created_at_id_index', properties: ['createdAt', 'id'] })
@Check({
  name: 'security_device_heartbeat_interval_seconds_check',
  expression: `heartbeat_interval_seconds >= ${MIN_HEARTBEAT_SECONDS} and heartbeat_interval_seconds <= ${MAX_HEARTBEAT_SECONDS}`,
})
export class SecurityDevice {
  [OptionalProps]?: 'status' | 'nameEn' | 'locationEn' | 'heartbeatIntervalSeconds' | 'lastHeartbeatAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => DeviceKind)
  @Enum({ items: () => DeviceKind, nativeEnumName: 'security_device_kind' })
  kind: DeviceKind;

  @Field(() => String, { description: '名称 (Name, zh-CN)' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'Name in English' })
  @Property({ type: 'text' })
  nameEn: string = '';

  @Field(() => String, { description: '安装位置 (Where it is installed, zh-CN)' })
  @Property({ type: 'text' })
  location: string;

  @Field(() => String, { description: 'Where it is installed, in English' })
  @Property({ type: 'text' })
  locationEn: string = '';

  @Field(() => DeviceStatus)
  @Enum({ items: () => DeviceStatus, nativeEnumName: 'security_device_status' })
  status: DeviceStatus = DeviceStatus.OFFLINE;

  @Field(() => Int, { description: '心跳间隔（秒），默认 60 (Seconds between heartbeats; default 60)' })
  @Property({ type: 'integer' })
  heartbeatIntervalSeconds: number = 60;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最近一次收到设备请求 (Last time the device was heard from)' })
  @Property({ type: 'timestamptz', nullable: true })
  lastHeartbeatAt: Date | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
