import { PageInfo } from '@linli/subgraph-kit';
import { IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DeviceKind, DeviceStatus, MAX_HEARTBEAT_SECONDS, MIN_HEARTBEAT_SECONDS, SecurityDevice } from './device.entity.js';

@InputType({ description: '登记安防设备 (A device to register)' })
export class RegisterDeviceInput {
  @Field(() => DeviceKind)
  kind: DeviceKind;

  @Field(() => String) @Length(1, 100)
  name: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 200)
  nameEn?: string | null;

  @Field(() => String) @Length(1, 200)
  location: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 300)
  locationEn?: string | null;

  @Field(() => Int, { nullable: true, description: `心跳间隔（秒），${MIN_HEARTBEAT_SECONDS}–${MAX_HEARTBEAT_SECONDS}，默认 60 (Seconds between heartbeats; default 60)` })
  @IsOptional() @IsInt() @Min(MIN_HEARTBEAT_SECONDS) @Max(MAX_HEARTBEAT_SECONDS)
  heartbeatIntervalSeconds?: number | null;
}

@ArgsType()
export class RegisterDeviceArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => RegisterDeviceInput) @ValidateNested()
  input: RegisterDeviceInput;
}

@ArgsType()
export class DeviceArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => ID)
  id: string;
}

@ArgsType()
export class DevicesArgs {
  @Field(() => ID)
  communityId: string;

  @Field(() => DeviceKind, { nullable: true })
  kind?: DeviceKind | null;

  @Field(() => DeviceStatus, { nullable: true })
  status?: DeviceStatus | null;

  @Field(() => Int, { nullable: true, description: '每页条数，1–100，默认 20 (Page size)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ObjectType({ description: '设备及其凭证密钥（仅此一次显示） (A device and its credential secret, shown this once only)' })
export class DeviceRegistration {
  @Field(() => SecurityDevice)
  device: SecurityDevice;

  @Field(() => String, { description: '设备密钥：请立即配置到设备上，之后无法再次查看 (The device secret: configure it now, it cannot be shown again)' })
  secret: string;
}

@ObjectType()
export class SecurityDeviceEdge {
  @Field(() => SecurityDevice)
  node: SecurityDevice;

  @Field(() => String)
  cursor: string;
}

@ObjectType()
export class SecurityDeviceConnection {
  @Field(() => [SecurityDeviceEdge])
  edges: SecurityDeviceEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
