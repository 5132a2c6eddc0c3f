import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SecurityDevice } from './device.entity.js';

export enum AccessResult {
  GRANTED = 'GRANTED',
  DENIED = 'DENIED',
}
registerEnumType(AccessResult, { name: 'AccessResult', description: '通行结果 (Whether the door let them through)' });

export enum AccessMethod {
  CARD = 'CARD',
  PIN = 'PIN',
  /** Matched on the terminal; the community receives only whom it matched, never the face. */
  FACE = 'FACE',
  QR = 'QR',
}
registerEnumType(AccessMethod, { name: 'AccessMethod', description: '通行方式 (How they identified themselves)' });

/**
 * One pass (or refusal) at a door. Who it was is kept only as a pseudonym — an HMAC of the
 * credential holder's id under the community's secret (pseudonym.ts) — so the same person
 * has the same pseudonym here and nothing in this table names them. No image, template or
 * other biometric data exists anywhere in the model.
 */
@ObjectType({ description: '门禁通行记录（仅含假名） (An access event at a door; the subject is a pseudonym)' })
@Entity({ tableName: 'security_access_event' })
@Unique({ name: 'security_access_event_device_id_idempotency_key_unique', properties: ['device', 'idempotencyKey'] })
@Index({ name: 'security_access_event_occurred_at_id_index', properties: ['occurredAt', 'id'] })
@Index({ name: 'security_access_event_subject_pseudonym_index', properties: ['subjectPseudonym', 'occurredAt'] })
@Check({ name: 'security_access_event_subject_pseudonym_check', expression: 'length(subject_pseudonym) = 64' })
export class AccessEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The door; resolved as `device` by the resolver. */
  @ManyToOne({ entity: () => SecurityDevice, deleteRule: 'cascade' })
  device: Rel<SecurityDevice>;

  @Field(() => DateTimeISOResolver, { description: '通行时间（设备报告） (When it happened, as the device reports)' })
  @Property({ type: 'timestamptz' })
  occurredAt: Date;

  @Field(() => AccessResult)
  @Enum({ items: () => AccessResult, nativeEnumName: 'security_access_result' })
  result: AccessResult;

  @Field(() => AccessMethod)
  @Enum({ items: () => AccessMethod, nativeEnumName: 'security_access_method' })
  method: AccessMethod;

  @Field(() => String, {
    nullable: true,
    description: '通行人假名（同一人始终相同，无法反推身份）；未识别为空 (Pseudonymous subject id: stable per person, not reversible; null when unrecognised)',
  })
  @Property({ type: 'text', nullable: true })
  subjectPseudonym: string | null;

  /** The device's key for this event: a retried report is stored once. */
  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver, { description: '本社区收到的时间 (When the community received it)' })
  @Property({ type: 'timestamptz' })
  recordedAt: Date;
}
