import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * One read of personal data (a resident in care's details, access events): who read what,
 * when. Written in the same request as the read; never updated; only the community admin
 * reads the log. It names records by id and never copies their content.
 */
@ObjectType({ description: '个人数据访问记录 (A read of personal data)' })
@Entity({ tableName: 'audit_entry' })
@Index({ name: 'audit_entry_at_index', properties: ['at', 'id'] })
@Index({ name: 'audit_entry_subject_index', properties: ['subjectType', 'subjectId', 'at'] })
export class AuditEntry {
  [OptionalProps]?: 'id' | 'at';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  at: Date = new Date();

  @Field(() => ID, { description: '读取人 (Who read)' })
  @Property({ type: 'text' })
  actorId: string;

  @Field(() => [String], { description: '读取人当时的角色 (Their roles at the time)' })
  @Property({ type: 'text[]' })
  actorRoles: string[];

  @Field(() => String, { description: '动作，如 READ (Action)' })
  @Property({ type: 'text' })
  action: string;

  @Field(() => String, { description: '记录类型，如 CareRecipient、AccessEvent (Kind of record)' })
  @Property({ type: 'text' })
  subjectType: string;

  @Field(() => ID)
  @Property({ type: 'text' })
  subjectId: string;

  @Field(() => [String], { description: '读取的字段 (Fields read)' })
  @Property({ type: 'text[]' })
  fields: string[];
}
