import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JSONObjectResolver } from 'graphql-scalars';
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

  @Field(() => String, { nullable: true, description: '社区身份提供方的令牌签发者 (Issuer of tokens from the community\'s own identity provider)' })
  @IsOptional() @Length(1, 500)
  issuer?: string | null;

  @Field(() => String, { nullable: true, description: '签发者公钥集地址 (URL of the issuer\'s JWKS)' })
  @IsOptional() @Length(1, 500)
  jwksUri?: string | null;

  @Field(() => JSONObjectResolver, { nullable: true, description: '签发者公钥集本身 (The issuer\'s JWKS itself, instead of a URL)' })
  @IsOptional()
  jwks?: Record<string, unknown> | null;
}

/** The gateway's admission decision about a PENDING community. */
@ArgsType()
export class RecordAdmissionArgs {
  @Field(() => ID) @Matches(COMMUNITY_ID)
  id: string;

  @Field(() => Boolean, { description: '是否通过健康与契约检查 (Whether the health and contract check passed)' }) @IsBoolean()
  accepted: boolean;

  @Field(() => [String], { defaultValue: [], description: '未通过的原因 (Why not, one finding per entry)' })
  @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 2000, { each: true })
  reasons: string[];
}

@ArgsType()
export class CommunitiesArgs {
  @Field(() => CommunityStatus, { nullable: true }) @IsOptional() @IsIn(Object.values(CommunityStatus))
  status?: CommunityStatus | null;
}
