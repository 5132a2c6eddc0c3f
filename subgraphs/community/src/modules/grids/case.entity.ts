import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CareRecord } from './care.entity.js';
import { Grid } from './grid.entity.js';

/** REPORTED → REGISTERED → DISPATCHED → IN_PROGRESS → RESOLVED → VERIFIED → CLOSED (case.lifecycle.ts). */
export enum CaseStatus {
  REPORTED = 'REPORTED',
  REGISTERED = 'REGISTERED',
  DISPATCHED = 'DISPATCHED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  VERIFIED = 'VERIFIED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: '事件状态 (Where a case is in its lifecycle)',
  valuesConfig: {
    REPORTED: { description: '已上报 (Reported)' },
    REGISTERED: { description: '已受理登记 (Registered)' },
    DISPATCHED: { description: '已派遣 (Dispatched to a grid worker)' },
    IN_PROGRESS: { description: '处置中 (Being handled)' },
    RESOLVED: { description: '已办结 (Resolved)' },
    VERIFIED: { description: '已核查 (Verified)' },
    CLOSED: { description: '已结案 (Closed)' },
  },
});

export enum CaseCategory {
  MEDIATION = 'MEDIATION',
  SERVICE_ERRAND = 'SERVICE_ERRAND',
  ENVIRONMENT = 'ENVIRONMENT',
  POLICY_OUTREACH = 'POLICY_OUTREACH',
  SAFETY = 'SAFETY',
  OTHER = 'OTHER',
}
registerEnumType(CaseCategory, {
  name: 'CaseCategory',
  description: '事件类别 (Kind of case)',
  valuesConfig: {
    MEDIATION: { description: '矛盾调解 (Mediation)' },
    SERVICE_ERRAND: { description: '代办服务 (Service errand)' },
    ENVIRONMENT: { description: '环境整治 (Environment)' },
    POLICY_OUTREACH: { description: '政策宣传 (Policy outreach)' },
    SAFETY: { description: '安全隐患 (Safety)' },
    OTHER: { description: '其他 (Other)' },
  },
});

/** Sets the resolve-by deadline (GridSettings): by default RED 2 h, YELLOW 24 h, BLUE 72 h. */
export enum CaseUrgency {
  RED = 'RED',
  YELLOW = 'YELLOW',
  BLUE = 'BLUE',
}
registerEnumType(CaseUrgency, {
  name: 'CaseUrgency',
  description: '紧急程度，决定办结时限 (Urgency; sets the resolve-by deadline)',
  valuesConfig: {
    RED: { description: '红色，默认 2 小时 (Red; 2 hours by default)' },
    YELLOW: { description: '黄色，默认 24 小时 (Yellow; 24 hours by default)' },
    BLUE: { description: '蓝色，默认 72 小时 (Blue; 72 hours by default)' },
  },
});

/**
 * A case (事件) in the community: reported by a resident or a worker, handled through the
 * lifecycle by grid workers, evaluated by its reporter. `resolveBy` is fixed when the case
 * is reported (or its urgency changed at registration) from the settings of that moment.
 * A case still open after `resolveBy` is escalated by the scheduler: level n once it is
 * n deadline-windows late (at most MAX_ESCALATION_LEVEL), each level announced once.
 */
@ObjectType('GridCase', { description: '网格事件 (A case: mediation, errand, environment, outreach, safety…)' })
@Entity({ tableName: 'grid_case' })
@Index({ name: 'grid_case_grid_id_status_index', properties: ['grid', 'status'] })
@Index({ name: 'grid_case_reported_at_id_index', properties: ['reportedAt', 'id'] })
@Index({ name: 'grid_case_reporter_id_reported_at_index', properties: ['reporterId', 'reportedAt'] })
@Index({ name: 'grid_case_assignee_id_index', properties: ['assigneeId'] })
@Index({
  name: 'grid_case_open_resolve_by_index',
  expression: `create index "grid_case_open_resolve_by_index" on "grid_case" ("resolve_by") where "status" in ('REPORTED', 'REGISTERED', 'DISPATCHED', 'IN_PROGRESS')`,
})
@Unique({ name: 'grid_case_reporter_id_idempotency_key_unique', properties: ['reporterId', 'idempotencyKey'] })
@Check({ name: 'grid_case_deadline_check', expression: 'resolve_by > reported_at' })
@Check({ name: 'grid_case_assignee_check', expression: `status = any (array['REPORTED', 'REGISTERED']) or assignee_id is not null` })
@Check({ name: 'grid_case_escalation_level_check', expression: 'escalation_level >= 0 and escalation_level <= 3' })
@Check({ name: 'grid_case_evaluation_score_check', expression: 'evaluation_score >= 1 and evaluation_score <= 5' })
@Check({ name: 'grid_case_idempotency_key_check', expression: 'length(idempotency_key) >= 1 and length(idempotency_key) <= 200' })
export class GridCase {
  [OptionalProps]?:
    | 'grid'
    | 'careRecord'
    | 'subjectPseudonym'
    | 'status'
    | 'description'
    | 'location'
    | 'assigneeId'
    | 'escalationLevel'
    | 'escalatedAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'evaluationScore'
    | 'evaluationComment'
    | 'evaluatedAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Grid, nullable: true, deleteRule: 'set null' })
  grid: Rel<Grid> | null = null;

  /** The resident in care the case serves (an errand for them, say), if any. */
  @ManyToOne({ entity: () => CareRecord, nullable: true, deleteRule: 'set null' })
  careRecord: Rel<CareRecord> | null = null;

  /** Set when that resident was removed: who the case served, pseudonymously. */
  @Property({ type: 'text', nullable: true })
  subjectPseudonym: string | null = null;

  @Field(() => CaseCategory)
  @Enum({ items: () => CaseCategory, nativeEnumName: 'case_category' })
  category: CaseCategory;

  @Field(() => CaseUrgency)
  @Enum({ items: () => CaseUrgency, nativeEnumName: 'case_urgency' })
  urgency: CaseUrgency;

  @Field(() => CaseStatus)
  @Enum({ items: () => CaseStatus, nativeEnumName: 'case_status' })
  status: CaseStatus = CaseStatus.REPORTED;

  @Field(() => String, { description: '标题 (Title)' })
  @Property({ type: 'text' })
  title: string;

  @Field(() => String, { description: '描述 (What happened)' })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => String, { description: '地点，如“5 号楼 3 单元” (Where, e.g. building and entrance)' })
  @Property({ type: 'text' })
  location: string = '';

  @Field(() => ID, { description: '上报人用户 ID（居民离开后为化名） (Reporter’s user id; a pseudonym once they left)' })
  @Property({ type: 'text' })
  reporterId: string;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  reportedAt: Date;

  @Field(() => DateTimeISOResolver, { description: '办结时限 (Resolve-by deadline)' })
  @Property({ type: 'timestamptz' })
  resolveBy: Date;

  @Field(() => ID, { nullable: true, description: '承办网格员 (The grid worker the case is dispatched to)' })
  @Property({ type: 'text', nullable: true })
  assigneeId: string | null = null;

  @Field(() => Int, { description: '督办级别：0 未超时，1–3 逐级督办 (Escalation level: 0 none, 1–3 per deadline window late)' })
  @Property({ type: 'smallint' })
  escalationLevel: number = 0;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最近一次督办时间 (When the current escalation level was reached)' })
  @Property({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;

  @Field(() => Int, { nullable: true, description: '上报人评价 1–5 (Reporter’s rating, 1–5)' })
  @Property({ type: 'smallint', nullable: true })
  evaluationScore: number | null = null;

  @Field(() => String, { nullable: true, description: '上报人评语 (Reporter’s comment)' })
  @Property({ type: 'text', nullable: true })
  evaluationComment: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  evaluatedAt: Date | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One step of a case's lifecycle: who moved it, when, from where to where, and why. */
@ObjectType('CaseTransition', { description: '事件流转记录 (One step in a case’s history)' })
@Entity({ tableName: 'grid_case_transition' })
@Index({ name: 'grid_case_transition_case_id_at_index', properties: ['gridCase', 'at'] })
export class CaseTransition {
  [OptionalProps]?: 'note' | 'from';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => GridCase, fieldName: 'case_id', deleteRule: 'cascade' })
  gridCase: Rel<GridCase>;

  @Field(() => CaseStatus, { nullable: true, description: '原状态；上报时为空 (From; null for the report itself)' })
  @Enum({ items: () => CaseStatus, nativeEnumName: 'case_status', nullable: true })
  from: CaseStatus | null = null;

  @Field(() => CaseStatus)
  @Enum({ items: () => CaseStatus, nativeEnumName: 'case_status' })
  to: CaseStatus;

  @Field(() => ID, { description: '操作人 (Who moved the case)' })
  @Property({ type: 'text' })
  actorId: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  at: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  note: string = '';
}
