import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { CommunityArgs } from '../points/points.inputs.js';
import { ProxyRelation, RecordStatus, RequestStatus, ServiceType } from './timebank.entity.js';

export { CommunityArgs };

@ArgsType()
export class RecordArgs extends CommunityArgs {
  @Field(() => ID)
  id: string;
}

@ArgsType()
export class DisputeArgs extends RecordArgs {
  @Field(() => String, { description: '异议原因 (Why)' })
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class RecordsArgs extends CommunityArgs {
  @Field(() => ID, { nullable: true })
  volunteerId?: string | null;

  @Field(() => ID, { nullable: true })
  recipientId?: string | null;

  @Field(() => RecordStatus, { nullable: true })
  status?: RecordStatus | null;
}

@ArgsType()
export class RequestsArgs extends CommunityArgs {
  @Field(() => RequestStatus, { nullable: true, defaultValue: RequestStatus.OPEN })
  status?: RequestStatus | null;
}

@InputType({ description: '登记为志愿者 (Register as a volunteer)' })
export class VolunteerInput {
  @Field(() => String)
  @Length(1, 50)
  displayName: string;

  @Field(() => [ServiceType])
  @ArrayMaxSize(10)
  @IsIn(Object.values(ServiceType), { each: true })
  skills: ServiceType[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 200)
  availability?: string | null;
}

@InputType({ description: '登记服务对象（工作人员） (Register a service recipient; staff)' })
export class RecipientInput {
  @Field(() => ID)
  @Length(1, 200)
  userId: string;

  @Field(() => String)
  @Length(1, 50)
  displayName: string;

  @Field(() => Boolean)
  @IsBoolean()
  livesAlone: boolean;
}

@InputType({ description: '登记代办人（工作人员） (Register a proxy; staff)' })
export class ProxyInput {
  @Field(() => ID)
  @Length(1, 200)
  recipientId: string;

  @Field(() => ID)
  @Length(1, 200)
  proxyId: string;

  @Field(() => ProxyRelation)
  @IsIn(Object.values(ProxyRelation))
  relation: ProxyRelation;
}

@InputType({ description: '提出服务需求（本人、代办人或工作人员） (Request a service; the recipient, their proxy, or staff)' })
export class ServiceRequestInput {
  @Field(() => ID)
  @Length(1, 200)
  recipientId: string;

  @Field(() => ServiceType)
  @IsIn(Object.values(ServiceType))
  serviceType: ServiceType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 1000)
  description?: string | null;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(12)
  hours: number;

  @Field(() => ID, { nullable: true, description: '以时间支付：付款人 holdHours 返回的转账 ID (Paid in hours: the transfer id holdHours returned to the payer)' })
  @IsOptional()
  @IsUUID()
  holdId?: string | null;

  @Field(() => String)
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '登记一次服务（志愿者） (Log a service you did; volunteers)' })
export class LogServiceInput {
  @Field(() => ID)
  @Length(1, 200)
  recipientId: string;

  @Field(() => ID, { nullable: true, description: '所响应的需求 (The request it answers)' })
  @IsOptional()
  requestId?: string | null;

  @Field(() => ServiceType)
  @IsIn(Object.values(ServiceType))
  serviceType: ServiceType;

  @Field(() => DateTimeISOResolver)
  startsAt: Date;

  @Field(() => DateTimeISOResolver, { description: '结束；时长须为整小时 (End; the length is whole hours)' })
  endsAt: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 1000)
  note?: string | null;

  @Field(() => String)
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '分配社区基金时间（工作人员；独居老人优先） (Allocate donated hours; staff; elders living alone first)' })
export class AllocateFundHoursInput {
  @Field(() => ID)
  @Length(1, 200)
  recipientId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1000)
  hours: number;

  @Field(() => String)
  @Length(1, 200)
  idempotencyKey: string;
}

@InputType({ description: '修改时间银行设置（社区管理员） (Change the time-bank policy; community admin)' })
export class TimebankSettingsInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxBankedHours?: number | null;
}
