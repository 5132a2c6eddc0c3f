import { PageInfo } from '@linli/subgraph-kit';
import { IsOptional, Length } from 'class-validator';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { Alarm, AlarmStatus, AlarmType } from './alarm.entity.js';

@ArgsType()
export class AlarmsArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => Boolean, { nullable: true, description: 'true：仅未结束的；false：仅已结束的 (true: only open ones; false: only ended ones)' })
  open?: boolean | null;

  @Field(() => [AlarmStatus], { nullable: true })
  statuses?: AlarmStatus[] | null;

  @Field(() => AlarmType, { nullable: true })
  type?: AlarmType | null;

  @Field(() => ID, { nullable: true })
  deviceId?: string | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class AlarmArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class TransitionAlarmArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;

  @Field(() => AlarmStatus, { description: '下一状态 (The status to move to)' })
  to: AlarmStatus;

  @Field(() => String, { nullable: true, description: '说明；处置完成和误报时必填 (A note; required for RESOLVED and FALSE_ALARM)' })
  @IsOptional() @Length(0, 500)
  note?: string | null;

  @Field(() => ID, { nullable: true, description: '派遣的处置人员，仅 DISPATCHED；默认操作人本人 (Who is sent; DISPATCHED only; default you)' })
  @IsOptional() @Length(1, 200)
  assigneeId?: string | null;
}

@ObjectType()
export class AlarmEdge {
  @Field(() => Alarm)
  node: Alarm;

  @Field(() => String)
  cursor: string;
}

@ObjectType()
export class AlarmConnection {
  @Field(() => [AlarmEdge])
  edges: AlarmEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
