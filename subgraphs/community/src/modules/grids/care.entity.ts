import { Check, Entity, Enum, Index, ManyToOne, OneToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Grid, Resident } from './grid.entity.js';

export enum CareCategory {
  /** 独居老人 */
  ELDERLY_ALONE = 'ELDERLY_ALONE',
  /** 残疾人 */
  DISABLED = 'DISABLED',
  /** Other key groups (重点人群): e.g. families in hardship, people recovering from illness. */
  OTHER_KEY = 'OTHER_KEY',
}
registerEnumType(CareCategory, {
  name: 'CareCategory',
  description: '关爱对象类别 (Why a resident is in care)',
  valuesConfig: {
    ELDERLY_ALONE: { description: '独居老人 (Elderly, living alone)' },
    DISABLED: { description: '残疾人 (Disabled)' },
    OTHER_KEY: { description: '其他重点人群 (Other key group)' },
  },
});

/** Sets how often the resident is visited (GridSettings). */
export enum RiskTier {
  HIGH = 'HIGH',
  KEY = 'KEY',
  GENERAL = 'GENERAL',
}
registerEnumType(RiskTier, {
  name: 'RiskTier',
  description: '风险等级，决定走访频率 (Risk tier; sets the visit interval)',
  valuesConfig: {
    HIGH: { description: '高风险，默认每周走访 (High; weekly by default)' },
    KEY: { description: '重点，默认每月走访 (Key; monthly by default)' },
    GENERAL: { description: '一般，默认每季度走访 (General; quarterly by default)' },
  },
});

export enum VisitMode {
  HOME = 'HOME',
  PHONE = 'PHONE',
  VIDEO = 'VIDEO',
}
registerEnumType(VisitMode, { name: 'VisitMode', description: '走访方式：入户、电话、视频 (At home, by phone, by video)' });

/**
 * A resident in care (关爱对象): the care side of a Resident, one to one. Name, phone and
 * address come from the resident and household and, like `notes`, are personal: they are
 * read only through field resolvers that authorise each field and audit each read.
 *
 * The next visit is due `interval(riskTier)` days after the last visit (or enrolment), on
 * the community's calendar (care.schedule.ts). `overdueAnnouncedFor` remembers the due date
 * a `visit.overdue` event was published for, so each overdue period is announced once.
 */
@ObjectType('CareRecipient', { description: '关爱对象（独居老人、残疾人等） (A resident in care)' })
@Entity({ tableName: 'care_record' })
export class CareRecord {
  [OptionalProps]?: 'helperId' | 'notes' | 'enrolledAt' | 'lastVisitAt' | 'overdueAnnouncedFor' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Resident, owner: true, unique: 'care_record_resident_id_unique', deleteRule: 'cascade' })
  resident: Rel<Resident>;

  @Field(() => CareCategory)
  @Enum({ items: () => CareCategory, nativeEnumName: 'care_category' })
  category: CareCategory;

  @Field(() => RiskTier)
  @Enum({ items: () => RiskTier, nativeEnumName: 'risk_tier' })
  riskTier: RiskTier;

  @Field(() => ID, { nullable: true, description: '结对帮扶人的用户 ID (User id of the one-to-one helper)' })
  @Property({ type: 'text', nullable: true })
  helperId: string | null = null;

  /** Personal: read through the `notes` field resolver only. */
  @Property({ type: 'text' })
  notes: string = '';

  @Field(() => DateTimeISOResolver, { description: '纳入关爱时间 (When the resident was taken into care)' })
  @Property({ type: 'timestamptz' })
  enrolledAt: Date = new Date();

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最近一次走访 (Most recent visit)' })
  @Property({ type: 'timestamptz', nullable: true })
  lastVisitAt: Date | null = null;

  @Property({ type: 'date', nullable: true })
  overdueAnnouncedFor: string | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * One visit to a resident in care. When the resident is removed the visit stays for the
 * grid's statistics, with `careRecord` cleared, its notes and needs deleted, and
 * `subjectPseudonym` naming the (now anonymous) person so their visits still group.
 */
@ObjectType('CareVisit', { description: '走访记录 (A visit to a resident in care)' })
@Entity({ tableName: 'care_visit' })
@Index({ name: 'care_visit_care_record_id_visited_at_index', properties: ['careRecord', 'visitedAt'] })
@Index({ name: 'care_visit_grid_id_visited_at_index', properties: ['grid', 'visitedAt'] })
@Unique({ name: 'care_visit_worker_id_idempotency_key_unique', properties: ['workerId', 'idempotencyKey'] })
@Check({ name: 'care_visit_subject_check', expression: 'care_record_id is not null or subject_pseudonym is not null' })
@Check({ name: 'care_visit_idempotency_key_check', expression: 'length(idempotency_key) >= 1 and length(idempotency_key) <= 200' })
export class CareVisit {
  [OptionalProps]?: 'notes' | 'needs' | 'recordedAt' | 'subjectPseudonym' | 'careRecord';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => CareRecord, nullable: true, deleteRule: 'set null' })
  careRecord: Rel<CareRecord> | null = null;

  @Property({ type: 'text', nullable: true })
  subjectPseudonym: string | null = null;

  /** The grid at the time of the visit: statistics survive the resident moving or leaving. */
  @ManyToOne({ entity: () => Grid })
  grid: Rel<Grid>;

  @Field(() => ID, { description: '走访人 (Who visited)' })
  @Property({ type: 'text' })
  workerId: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  visitedAt: Date;

  @Field(() => VisitMode)
  @Enum({ items: () => VisitMode, nativeEnumName: 'visit_mode' })
  mode: VisitMode;

  /** Personal: read through the `notes` field resolver only. Null once pseudonymised. */
  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  /** Personal as well (needs found describe the person): the `needs` field resolver. */
  @Property({ type: 'text[]' })
  needs: string[] = [];

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver, { description: '录入时间 (When it was recorded)' })
  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();
}
