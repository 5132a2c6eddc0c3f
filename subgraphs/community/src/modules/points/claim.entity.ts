import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PointsRule } from './points.entity.js';

/** PENDING → APPROVED (the points are earned) or PENDING → REJECTED. */
export enum ClaimStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(ClaimStatus, { name: 'PointsClaimStatus', description: '积分申请状态 (State of a points claim)' });

/** A resident's claim to have done an activity, for staff to approve or reject. */
@ObjectType({ description: '积分申请 (A claim for points, awaiting staff)' })
@Entity({ tableName: 'points_claim' })
@Unique({ name: 'points_claim_resident_id_idempotency_key_unique', properties: ['residentId', 'idempotencyKey'] })
@Index({ name: 'points_claim_status_created_at_index', properties: ['status', 'createdAt'] })
@Check({ name: 'points_claim_decision_check', expression: `(status = 'PENDING') = (decided_at is null) and (status = 'APPROVED') = (entry_id is not null)` })
export class PointsClaim {
  [OptionalProps]?: 'status' | 'note' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'entryId' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ID)
  @Property({ type: 'text' })
  residentId: string;

  @Field(() => PointsRule)
  @ManyToOne({ entity: () => PointsRule, deleteRule: 'restrict' })
  rule: Rel<PointsRule>;

  @Field(() => String, { description: '活动日期 YYYY-MM-DD (When it was done)' })
  @Property({ type: 'date' })
  occurredOn: string;

  @Field(() => String, { description: '说明 (What the resident did)' })
  @Property({ type: 'text' })
  note: string = '';

  @Field(() => ClaimStatus)
  @Enum({ items: () => ClaimStatus, nativeEnumName: 'points_claim_status' })
  status: ClaimStatus = ClaimStatus.PENDING;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decidedBy: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: '审批意见 (Why, when rejected)' })
  @Property({ type: 'text', nullable: true })
  decisionNote: string | null = null;

  /** The EARN entry an approval wrote. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  entryId: string | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
