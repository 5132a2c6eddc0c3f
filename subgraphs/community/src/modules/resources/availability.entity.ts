import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SharedResource } from './resource.entity.js';

/** A weekly window in the community's local time (e.g. Mon 08:00–17:00). */
@ObjectType({ description: '每周开放时间 (Weekly opening hours, local time)' })
@Entity({ tableName: 'opening_hours' })
@Index({ name: 'opening_hours_resource_id_index', properties: ['resource'] })
@Check({ name: 'opening_hours_weekday_check', expression: 'weekday >= 1 and weekday <= 7' })
export class OpeningHours {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => SharedResource, deleteRule: 'cascade' })
  resource: Rel<SharedResource>;

  @Field(() => Int, { description: 'ISO 星期：1=周一 … 7=周日 (ISO weekday, 1 = Monday)' })
  @Property({ type: 'smallint' })
  weekday: number;

  @Field(() => String, { description: '开始 HH:mm (Opens at, local)' })
  @Property({ type: 'text' })
  opensAt: string;

  @Field(() => String, { description: '结束 HH:mm (Closes at, local)' })
  @Property({ type: 'text' })
  closesAt: string;
}

export enum ExceptionKind {
  /** Closed: the whole day, or the given window. */
  CLOSED = 'CLOSED',
  /** Open in addition to the weekly hours. */
  EXTRA_OPENING = 'EXTRA_OPENING',
}
registerEnumType(ExceptionKind, { name: 'AvailabilityExceptionKind' });

@ObjectType({ description: '特殊日期安排 (Dated exception to the weekly hours)' })
@Entity({ tableName: 'availability_exception' })
@Index({ name: 'availability_exception_resource_id_index', properties: ['resource'] })
export class AvailabilityException {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => SharedResource, deleteRule: 'cascade' })
  resource: Rel<SharedResource>;

  @Field(() => String, { description: '日期 YYYY-MM-DD (local date)' })
  @Property({ type: 'date' })
  date: string;

  @Field(() => ExceptionKind)
  @Enum({ items: () => ExceptionKind, nativeEnumName: 'availability_exception_kind' })
  kind: ExceptionKind;

  @Field(() => String, { nullable: true, description: '开始 HH:mm；为空表示全天 (null = whole day)' })
  @Property({ type: 'text', nullable: true })
  opensAt: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  closesAt: string | null = null;

  @Field(() => String, { description: '原因 (Reason, zh-CN)' })
  @Property({ type: 'text' })
  reason: string = '';

  @Field(() => String)
  @Property({ type: 'text' })
  reasonEn: string = '';
}
