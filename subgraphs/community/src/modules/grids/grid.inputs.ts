import { IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { JSONObjectResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';

/*
 * Shapes and lengths only. The rules (a boundary's geometry, who may do what) are checked
 * in the services and resolvers. Every root field's `communityId` comes first, for the
 * gateway's routing: each ArgsType declares it itself (inherited fields print last).
 */

const PHONE = /^\+?[0-9][0-9 -]{2,30}$/;

@ArgsType()
export class CommunityArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;
}

@ArgsType()
export class GridArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => ID)
  id: string;
}

@InputType({ description: '新建网格 (A new grid)' })
export class CreateGridInput {
  @Field(() => String) @Length(1, 100)
  name: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 200)
  nameEn?: string | null;

  @Field(() => JSONObjectResolver, { description: 'GeoJSON Polygon 或 MultiPolygon，坐标为 [经度, 纬度] (GeoJSON Polygon or MultiPolygon, [longitude, latitude])' })
  boundary: Record<string, unknown>;

  @Field(() => String, { description: '负责的党支部 (The leading party branch)' }) @Length(1, 200)
  partyBranch: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 400)
  partyBranchEn?: string | null;
}

@ArgsType()
export class CreateGridArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => CreateGridInput) @ValidateNested()
  input: CreateGridInput;
}

@InputType({ description: '指派网格员 (Assign a grid worker)' })
export class AssignGridWorkerInput {
  @Field(() => ID)
  gridId: string;

  @Field(() => ID, { description: '用户 ID；该用户须持有 GRID_WORKER 角色才能看到网格数据 (User id; they also need the GRID_WORKER role)' }) @Length(1, 200)
  userId: string;

  @Field(() => Boolean, { nullable: true, description: '设为网格长，原网格长随之卸任 (Make them the grid leader, stepping down the current one)' })
  @IsOptional()
  leader?: boolean | null;
}

@ArgsType()
export class AssignGridWorkerArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => AssignGridWorkerInput) @ValidateNested()
  input: AssignGridWorkerInput;
}

@ArgsType()
export class UnassignGridWorkerArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => ID)
  gridId: string;

  @Field(() => ID) @Length(1, 200)
  userId: string;
}

@ArgsType()
export class GridScopedArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => ID)
  gridId: string;
}

@InputType({ description: '新增住户 (A new household)' })
export class AddHouseholdInput {
  @Field(() => ID)
  gridId: string;

  @Field(() => String, { description: '地址（个人信息） (Address; personal data)' }) @Length(1, 500)
  address: string;
}

@ArgsType()
export class AddHouseholdArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => AddHouseholdInput) @ValidateNested()
  input: AddHouseholdInput;
}

@InputType({ description: '新增居民 (A new resident of a household)' })
export class AddResidentInput {
  @Field(() => ID)
  householdId: string;

  @Field(() => String, { description: '姓名（个人信息） (Name; personal data)' }) @Length(1, 100)
  name: string;

  @Field(() => String, { nullable: true, description: '电话（个人信息） (Phone; personal data)' }) @IsOptional() @Matches(PHONE)
  phone?: string | null;

  @Field(() => ID, { nullable: true, description: '本人的邻里账号 (Their own Linli user id)' }) @IsOptional() @Length(1, 200)
  userId?: string | null;
}

@ArgsType()
export class AddResidentArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => AddResidentInput) @ValidateNested()
  input: AddResidentInput;
}

@ArgsType()
export class RemoveResidentArgs {
  @Field(() => ID, { description: '社区 ID，网关据此路由 (Community id; the gateway routes by it)' })
  communityId: string;

  @Field(() => ID)
  residentId: string;
}
