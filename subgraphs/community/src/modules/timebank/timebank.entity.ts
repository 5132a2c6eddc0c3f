import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { orderedUuid } from '@linli/subgraph-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ServiceType {
  HOME_CARE = 'HOME_CARE',
  REHABILITATION = 'REHABILITATION',
  COMPANIONSHIP = 'COMPANIONSHIP',
  ERRANDS = 'ERRANDS',
  MEDICAL_ESCORT = 'MEDICAL_ESCORT',
  OTHER = 'OTHER',
}
registerEnumType(ServiceType, {
  name: 'TimebankServiceType',
  description: '时间银行服务类型 (Kind of time-bank service)',
  valuesConfig: {
    HOME_CARE: { description: '居家照料 (Home care)' },
    REHABILITATION: { description: '康复协助 (Rehabilitation)' },
    COMPANIONSHIP: { description: '陪伴聊天 (Companionship)' },
    ERRANDS: { description: '代办跑腿 (Errands)' },
    MEDICAL_ESCORT: { description: '陪同就医 (Escort to the doctor)' },
    OTHER: { description: '其他 (Other)' },
  },
});

/** A resident who gives time: their skills and when they are free. The profile is their own. */
@ObjectType('TimebankVolunteer', { description: '时间银行志愿者 (A time-bank volunteer)' })
@Entity({ tableName: 'timebank_volunteer' })
export class Volunteer {
  [PrimaryKeyProp]?: 'userId';
  [OptionalProps]?: 'skills' | 'availability' | 'active' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'text' })
  userId: string;

  @Field(() => String)
  @Property({ type: 'text' })
  displayName: string;

  @Field(() => [ServiceType], { description: '擅长的服务 (Services they offer)' })
  @Property({ type: 'text[]' })
  skills: ServiceType[] = [];

  @Field(() => String, { description: '可服务时间，如"周二、周四下午" (When they are free)' })
  @Property({ type: 'text' })
  availability: string = '';

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * Someone services are for — mostly elders, many of whom never use an app — registered by
 * staff, with whether they live alone (they come first when donated hours are allocated).
 */
@ObjectType({ description: '服务对象（多为老人） (Someone services are for, mostly an elder)' })
@Entity({ tableName: 'service_recipient' })
export class ServiceRecipient {
  [PrimaryKeyProp]?: 'userId';
  [OptionalProps]?: 'livesAlone' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'text' })
  userId: string;

  @Field(() => String)
  @Property({ type: 'text' })
  displayName: string;

  /** In GraphQL for staff only (timebank.resolver.ts). */
  @Property({ type: 'boolean' })
  livesAlone: boolean = false;

  @Property({ type: 'text' })
  registeredBy: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

export enum ProxyRelation {
  FAMILY = 'FAMILY',
  GRID_WORKER = 'GRID_WORKER',
  STAFF = 'STAFF',
  NEIGHBOUR = 'NEIGHBOUR',
}
registerEnumType(ProxyRelation, {
  name: 'ProxyRelation',
  description: '代办人与服务对象的关系 (How a proxy is related to the person they act for)',
  valuesConfig: {
    FAMILY: { description: '家属 (Family member)' },
    GRID_WORKER: { description: '网格员 (Grid worker)' },
    STAFF: { description: '社区工作人员 (Community staff)' },
    NEIGHBOUR: { description: '邻居 (Neighbour)' },
  },
});

/**
 * Someone staff registered to act for a recipient: request services and confirm (or dispute)
 * the ones done. A proxy may live in another community (a daughter across town).
 */
@ObjectType({ description: '代办人 (Someone who acts for a recipient)' })
@Entity({ tableName: 'recipient_proxy' })
@Unique({ name: 'recipient_proxy_recipient_id_proxy_id_unique', properties: ['recipient', 'proxyId'] })
@Index({ name: 'recipient_proxy_proxy_id_index', properties: ['proxyId'] })
export class RecipientProxy {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ServiceRecipient, joinColumn: 'recipient_id', deleteRule: 'cascade' })
  recipient: Rel<ServiceRecipient>;

  @Field(() => ID, { description: '代办人的用户 ID (The proxy\'s user id)' })
  @Property({ type: 'text' })
  proxyId: string;

  @Field(() => ProxyRelation)
  @Enum({ items: () => ProxyRelation, nativeEnumName: 'proxy_relation' })
  relation: ProxyRelation;

  @Property({ type: 'text' })
  registeredBy: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** OPEN → SERVED (a service was logged for it) → OPEN again if that service is disputed. */
export enum RequestStatus {
  OPEN = 'OPEN',
  SERVED = 'SERVED',
}
registerEnumType(RequestStatus, { name: 'ServiceRequestStatus', description: '服务需求状态 (State of a service request)' });

/**
 * A service asked for a recipient, by them, their proxy or staff. `holdId` names the hours
 * the payer set aside in the shared ledger (`holdHours`, the payer's own request there):
 * the serving volunteer is paid from them once the service is confirmed.
 */
@ObjectType({ description: '服务需求 (A service asked for)' })
@Entity({ tableName: 'service_request' })
@Unique({ name: 'service_request_requested_by_idempotency_key_unique', properties: ['requestedBy', 'idempotencyKey'] })
@Unique({ name: 'service_request_hold_id_unique', properties: ['holdId'] })
@Index({ name: 'service_request_status_created_at_index', properties: ['status', 'createdAt'] })
@Check({ name: 'service_request_hours_check', expression: 'hours >= 1 and hours <= 12' })
export class ServiceRequest {
  [OptionalProps]?: 'description' | 'holdId' | 'status' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ServiceRecipient)
  @ManyToOne({ entity: () => ServiceRecipient, joinColumn: 'recipient_id', deleteRule: 'restrict' })
  recipient: Rel<ServiceRecipient>;

  @Field(() => ID)
  @Property({ type: 'text' })
  requestedBy: string;

  @Field(() => ServiceType)
  @Enum({ items: () => ServiceType, nativeEnumName: 'timebank_service_type' })
  serviceType: ServiceType;

  @Field(() => String)
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => Int)
  @Property({ type: 'integer' })
  hours: number;

  @Field(() => ID, { nullable: true, description: '付款人在共享账本中预留的时间 (The payer\'s hours hold in the shared ledger)' })
  @Property({ type: 'uuid', nullable: true })
  holdId: string | null = null;

  @Field(() => RequestStatus)
  @Enum({ items: () => RequestStatus, nativeEnumName: 'service_request_status' })
  status: RequestStatus = RequestStatus.OPEN;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * LOGGED (by the volunteer) → CONFIRMED (by the recipient or their proxy, never the
 * volunteer) → CREDITED (the hours reached the shared ledger); or LOGGED → DISPUTED.
 */
export enum RecordStatus {
  LOGGED = 'LOGGED',
  CONFIRMED = 'CONFIRMED',
  CREDITED = 'CREDITED',
  DISPUTED = 'DISPUTED',
}
registerEnumType(RecordStatus, {
  name: 'ServiceRecordStatus',
  description: '服务记录状态 (State of a service record)',
  valuesConfig: {
    LOGGED: { description: '志愿者已登记，待确认 (Logged by the volunteer, awaiting confirmation)' },
    CONFIRMED: { description: '服务对象或代办人已确认，时间入账中 (Confirmed; hours being credited)' },
    CREDITED: { description: '时间已存入共享账本 (Hours credited in the shared ledger)' },
    DISPUTED: { description: '服务对象或代办人有异议 (Disputed by the recipient or proxy)' },
  },
});

/** Who pays the volunteer's hours. */
export enum ServicePayment {
  /** New hours, created by the community (its issuance account). */
  ISSUED = 'ISSUED',
  /** Donated hours the community fund allocated to the recipient. */
  FUND = 'FUND',
  /** The hours a payer set aside for the request. */
  HOURS_HOLD = 'HOURS_HOLD',
}
registerEnumType(ServicePayment, { name: 'ServicePayment', description: '服务时间由谁支付 (Who pays for the hours)' });

/** Where the hours went: to the volunteer, or — over their banked-hours cap — to the community fund. */
export enum BankedTo {
  VOLUNTEER = 'VOLUNTEER',
  COMMUNITY_FUND = 'COMMUNITY_FUND',
}
registerEnumType(BankedTo, { name: 'HoursBankedTo', description: '时间存入何处 (Where the hours were banked)' });

@ObjectType({ description: '服务记录 (A service done, in whole hours)' })
@Entity({ tableName: 'service_record' })
@Unique({ name: 'service_record_volunteer_id_idempotency_key_unique', properties: ['volunteerId', 'idempotencyKey'] })
// A request is answered by one service at a time: a disputed one lets another be logged.
@Index({
  name: 'service_record_request_id_unique',
  expression: `create unique index "service_record_request_id_unique" on "service_record" ("request_id") where "status" <> 'DISPUTED'`,
})
@Index({ name: 'service_record_volunteer_id_starts_at_index', properties: ['volunteerId', 'startsAt'] })
@Index({ name: 'service_record_recipient_id_starts_at_index', properties: ['recipient', 'startsAt'] })
@Check({ name: 'service_record_hours_check', expression: `hours >= 1 and hours <= 12 and ends_at - starts_at = make_interval(hours => hours)` })
@Check({ name: 'service_record_decision_check', expression: `(status = 'LOGGED') = (decided_at is null) and (status = 'CREDITED') = (credited_at is not null)` })
@Check({ name: 'service_record_payment_check', expression: `(status = 'CONFIRMED' or status = 'CREDITED') = (payment is not null)` })
export class ServiceRecord {
  [OptionalProps]?: 'request' | 'note' | 'status' | 'decidedBy' | 'decidedAt' | 'payment' | 'bankedTo' | 'transferId' | 'creditedAt' | 'creditRefusal' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = orderedUuid();

  @Field(() => ID)
  @Property({ type: 'text' })
  volunteerId: string;

  @Field(() => ServiceRecipient)
  @ManyToOne({ entity: () => ServiceRecipient, joinColumn: 'recipient_id', deleteRule: 'restrict' })
  recipient: Rel<ServiceRecipient>;

  @Field(() => ServiceRequest, { nullable: true })
  @ManyToOne({ entity: () => ServiceRequest, nullable: true, deleteRule: 'restrict' })
  request: Rel<ServiceRequest> | null = null;

  @Field(() => ServiceType)
  @Enum({ items: () => ServiceType, nativeEnumName: 'timebank_service_type' })
  serviceType: ServiceType;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  startsAt: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  endsAt: Date;

  @Field(() => Int, { description: '服务时长（整小时） (Length in whole hours)' })
  @Property({ type: 'integer' })
  hours: number;

  @Field(() => String)
  @Property({ type: 'text' })
  note: string = '';

  @Field(() => RecordStatus)
  @Enum({ items: () => RecordStatus, nativeEnumName: 'service_record_status' })
  status: RecordStatus = RecordStatus.LOGGED;

  @Field(() => ID, { nullable: true, description: '确认或提出异议的人 (Who confirmed or disputed it)' })
  @Property({ type: 'text', nullable: true })
  decidedBy: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => ServicePayment, { nullable: true })
  @Enum({ items: () => ServicePayment, nativeEnumName: 'service_payment', nullable: true })
  payment: ServicePayment | null = null;

  @Field(() => BankedTo, { nullable: true })
  @Enum({ items: () => BankedTo, nativeEnumName: 'hours_banked_to', nullable: true })
  bankedTo: BankedTo | null = null;

  @Field(() => ID, { nullable: true, description: '共享账本中的转账 (The shared-ledger transfer)' })
  @Property({ type: 'uuid', nullable: true })
  transferId: string | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  creditedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: '交换中心拒绝入账的原因，待工作人员处理 (Why the exchange refused to credit it, for staff)' })
  @Property({ type: 'text', nullable: true })
  creditRefusal: string | null = null;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * Donated hours staff set aside for a recipient (an earmark: the hours stay in the
 * community's fund until a service to that recipient is confirmed, then pay its volunteer).
 */
@ObjectType({ description: '基金时间分配 (Donated hours allocated to a recipient)' })
@Entity({ tableName: 'fund_allocation' })
@Unique({ name: 'fund_allocation_allocated_by_idempotency_key_unique', properties: ['allocatedBy', 'idempotencyKey'] })
@Index({ name: 'fund_allocation_recipient_id_index', properties: ['recipient'] })
@Check({ name: 'fund_allocation_hours_check', expression: 'hours > 0' })
export class FundAllocation {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ServiceRecipient)
  @ManyToOne({ entity: () => ServiceRecipient, joinColumn: 'recipient_id', deleteRule: 'restrict' })
  recipient: Rel<ServiceRecipient>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  hours: number;

  @Field(() => ID)
  @Property({ type: 'text' })
  allocatedBy: string;

  @Property({ type: 'text' })
  idempotencyKey: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** The time bank's policy: one row (id 1); the defaults apply until the admin changes them. */
@ObjectType({ description: '时间银行设置 (Time-bank policy of this community)' })
@Entity({ tableName: 'timebank_settings' })
@Check({ name: 'timebank_settings_singleton_check', expression: 'id = 1' })
@Check({ name: 'timebank_settings_max_banked_hours_check', expression: 'max_banked_hours > 0' })
export class TimebankSettings {
  [OptionalProps]?: 'id' | 'maxBankedHours' | 'updatedAt';

  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = 1;

  @Field(() => Int, { description: '每人最多存储的时间（小时），超出的服务时间存入社区基金；默认 100 (Most hours one person may bank; hours beyond go to the community fund; default 100)' })
  @Property({ type: 'integer' })
  maxBankedHours: number = 100;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
