import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SecurityDevice } from './device.entity.js';

export enum AlarmType {
  FIRE_SMOKE = 'FIRE_SMOKE',
  INTRUSION = 'INTRUSION',
  TAILGATING = 'TAILGATING',
  DEVICE_TAMPER = 'DEVICE_TAMPER',
  /** Raised by the community itself when a device stops sending heartbeats. */
  DEVICE_OFFLINE = 'DEVICE_OFFLINE',
  PANIC = 'PANIC',
  OTHER = 'OTHER',
}
registerEnumType(AlarmType, { name: 'AlarmType', description: '告警类型 (Kind of alarm)' });

export enum AlarmSeverity {
  CRITICAL = 'CRITICAL',
  MAJOR = 'MAJOR',
  MINOR = 'MINOR',
}
registerEnumType(AlarmSeverity, { name: 'AlarmSeverity', description: '告警级别，决定处置时限 (Severity; sets the SLA)' });

/**
 * RAISED → ACKNOWLEDGED → DISPATCHED → ON_SCENE → RESOLVED → CLOSED, or FALSE_ALARM from any
 * status before RESOLVED (see alarm.lifecycle.ts).
 */
export enum AlarmStatus {
  RAISED = 'RAISED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  DISPATCHED = 'DISPATCHED',
  ON_SCENE = 'ON_SCENE',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  FALSE_ALARM = 'FALSE_ALARM',
}
registerEnumType(AlarmStatus, { name: 'AlarmStatus', description: '告警处置状态 (Where an alarm is in its handling)' });

/** Who moved an alarm: a device raising it, a person handling it, or the community's own checks. */
export enum AlarmActorKind {
  DEVICE = 'DEVICE',
  STAFF = 'STAFF',
  SYSTEM = 'SYSTEM',
}
registerEnumType(AlarmActorKind, { name: 'AlarmActorKind', description: '操作方 (Who acted: a device, a person, the system)' });

/** The deadlines an alarm has, each counted from when it was raised. */
export enum AlarmSlaStep {
  ACKNOWLEDGE = 'ACKNOWLEDGE',
  ON_SCENE = 'ON_SCENE',
  RESOLVE = 'RESOLVE',
}
registerEnumType(AlarmSlaStep, { name: 'AlarmSlaStep', description: '处置时限环节 (A deadline: acknowledge, be on scene, resolve)' });

export const OPEN_ALARM_STATUSES = [AlarmStatus.RAISED, AlarmStatus.ACKNOWLEDGED, AlarmStatus.DISPATCHED, AlarmStatus.ON_SCENE] as const;

@ObjectType({ description: '安防告警 (A security alarm)' })
@Entity({ tableName: 'security_alarm' })
@Index({ name: 'security_alarm_raised_at_id_index', properties: ['raisedAt', 'id'] })
@Index({
  name: 'security_alarm_open_device_type_index',
  expression: `create index "security_alarm_open_device_type_index" on "security_alarm" ("device_id", "type", "last_raised_at") where "status" in ('RAISED', 'ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE')`,
})
@Check({ name: 'security_alarm_count_check', expression: 'count >= 1' })
@Check({ name: 'security_alarm_escalation_level_check', expression: 'escalation_level >= 0 and escalation_level <= 3' })
@Check({ name: 'security_alarm_last_raised_at_check', expression: 'last_raised_at >= raised_at' })
export class Alarm {
  [OptionalProps]?:
    | 'status'
    | 'count'
    | 'acknowledgedAt'
    | 'dispatchedAt'
    | 'onSceneAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'assigneeId'
    | 'escalationLevel'
    | 'lastEscalatedAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => AlarmType)
  @Enum({ items: () => AlarmType, nativeEnumName: 'security_alarm_type' })
  type: AlarmType;

  @Field(() => AlarmSeverity)
  @Enum({ items: () => AlarmSeverity, nativeEnumName: 'security_alarm_severity' })
  severity: AlarmSeverity;

  @Field(() => AlarmStatus)
  @Enum({ items: () => AlarmStatus, nativeEnumName: 'security_alarm_status' })
  status: AlarmStatus = AlarmStatus.RAISED;

  /** Resolved as `device` by the resolver. */
  @ManyToOne({ entity: () => SecurityDevice, deleteRule: 'cascade' })
  device: Rel<SecurityDevice>;

  @Field(() => Int, { description: '去重窗口内同一设备同类告警的次数 (How many times the device raised it within the dedup window)' })
  @Property({ type: 'integer' })
  count: number = 1;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  raisedAt: Date;

  @Field(() => DateTimeISOResolver, { description: '最近一次重复触发 (When it was last raised again)' })
  @Property({ type: 'timestamptz' })
  lastRaisedAt: Date;

  @Field(() => DateTimeISOResolver, { description: '确认时限 (Acknowledge by)' })
  @Property({ type: 'timestamptz' })
  acknowledgeDueAt: Date;

  @Field(() => DateTimeISOResolver, { description: '到场时限 (Be on scene by)' })
  @Property({ type: 'timestamptz' })
  onSceneDueAt: Date;

  @Field(() => DateTimeISOResolver, { description: '处置完成时限 (Resolve by)' })
  @Property({ type: 'timestamptz' })
  resolveDueAt: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  onSceneAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '关闭或判定误报的时间 (When it was closed or found false)' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;

  @Field(() => ID, { nullable: true, description: '派遣的处置人员 (Who was dispatched)' })
  @Property({ type: 'text', nullable: true })
  assigneeId: string | null = null;

  @Field(() => Int, { description: '已超时的环节数，0–3 (Deadlines breached so far)' })
  @Property({ type: 'smallint' })
  escalationLevel: number = 0;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastEscalatedAt: Date | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One step of an alarm's handling: who moved it, when, from where to where, and why. */
@ObjectType({ description: '告警处置记录 (One step in an alarm’s handling)' })
@Entity({ tableName: 'security_alarm_transition' })
@Index({ name: 'security_alarm_transition_alarm_id_at_index', properties: ['alarm', 'at'] })
@Check({ name: 'security_alarm_transition_note_check', expression: 'length(note) <= 500' })
export class AlarmTransition {
  [OptionalProps]?: 'from' | 'actorId' | 'note';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Alarm, deleteRule: 'cascade' })
  alarm: Rel<Alarm>;

  @Field(() => AlarmStatus, { nullable: true, description: '原状态；触发时为空 (From; null when raised)' })
  @Enum({ items: () => AlarmStatus, nativeEnumName: 'security_alarm_status', nullable: true })
  from: AlarmStatus | null = null;

  @Field(() => AlarmStatus)
  @Enum({ items: () => AlarmStatus, nativeEnumName: 'security_alarm_status' })
  to: AlarmStatus;

  @Field(() => AlarmActorKind)
  @Enum({ items: () => AlarmActorKind, nativeEnumName: 'security_alarm_actor_kind' })
  actorKind: AlarmActorKind;

  @Field(() => ID, { nullable: true, description: '操作人或设备 ID；系统操作为空 (The person or device; null for the system)' })
  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  at: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  note: string = '';
}

/**
 * One signal a device sent (or the system, for DEVICE_OFFLINE). Several fold into one alarm
 * within the dedup window. Keyed by the device's idempotency key, so a retried signal is
 * answered with the alarm it went to and counted once.
 */
@Entity({ tableName: 'security_alarm_signal' })
@Unique({ name: 'security_alarm_signal_device_id_idempotency_key_unique', properties: ['device', 'idempotencyKey'] })
@Index({ name: 'security_alarm_signal_alarm_id_index', properties: ['alarm'] })
export class AlarmSignal {
  [OptionalProps]?: 'idempotencyKey';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Alarm, deleteRule: 'cascade' })
  alarm: Rel<Alarm>;

  @ManyToOne({ entity: () => SecurityDevice, deleteRule: 'cascade' })
  device: Rel<SecurityDevice>;

  @Property({ type: 'text', nullable: true })
  idempotencyKey: string | null = null;

  @Property({ type: 'timestamptz' })
  receivedAt: Date;
}

/** A deadline an alarm missed. At most one per step: an alarm escalates once per breach. */
@ObjectType({ description: '告警超时升级 (A deadline the alarm missed)' })
@Entity({ tableName: 'security_alarm_escalation' })
@Unique({ name: 'security_alarm_escalation_alarm_id_step_unique', properties: ['alarm', 'step'] })
@Check({ name: 'security_alarm_escalation_level_check', expression: 'level >= 1 and level <= 3' })
export class AlarmEscalation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Alarm, deleteRule: 'cascade' })
  alarm: Rel<Alarm>;

  @Field(() => AlarmSlaStep)
  @Enum({ items: () => AlarmSlaStep, nativeEnumName: 'security_alarm_sla_step' })
  step: AlarmSlaStep;

  @Field(() => Int, { description: '升级后的级别 (The alarm’s escalation level after this breach)' })
  @Property({ type: 'smallint' })
  level: number;

  @Field(() => DateTimeISOResolver, { description: '错过的时限 (The deadline missed)' })
  @Property({ type: 'timestamptz' })
  dueAt: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  escalatedAt: Date;
}
