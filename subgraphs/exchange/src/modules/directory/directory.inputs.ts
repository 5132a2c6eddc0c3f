import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { COMMUNITY_ID, CommunityStatus } from './community.entity.js';

@InputType({ description: '登记社区 (A community joining the federation)' })
export class RegisterCommunityInput {
  @Field(() => ID, { description: '社区标识，如 qibao-a (Slug id)' }) @Matches(COMMUNITY_ID)
  id: string;

  @Field(() => String) @Length(1, 100)
  name: string;

  @Field(() => String) @Length(1, 200)
  nameEn: string;

  @Field(() => String) @Length(1, 50)
  district: string;

  @Field(() => String) @Length(1, 100)
  districtEn: string;

  @Field(() => String) @Length(1, 50)
  street: string;

  @Field(() => String) @Length(1, 100)
  streetEn: string;

  @Field(() => String, { description: '社区子图地址 (URL of the community subgraph)' }) @Length(1, 500)
  endpoint: string;
}

@ArgsType()
export class CommunitiesArgs {
  @Field(() => CommunityStatus, { nullable: true }) @IsOptional() @IsIn(Object.values(CommunityStatus))
  status?: CommunityStatus | null;
}
