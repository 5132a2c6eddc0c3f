import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/**
 * Where a member stands in the federation. The order is the Postgres enum's: new states go
 * at the end (`alter type ... add value`).
 */
export enum CommunityStatus {
  /** A member: its listings are shown and the gateway routes to it. */
  ACTIVE = 'ACTIVE',
  /** Temporarily out: its listings are hidden until it is reactivated. */
  SUSPENDED = 'SUSPENDED',
  /** Registered, waiting for the gateway's admission check (health and contract); not routed. */
  PENDING = 'PENDING',
  /** Failed the admission check (see `rejectionReasons`); not routed until admitted again. */
  REJECTED = 'REJECTED',
}
registerEnumType(CommunityStatus, { name: 'CommunityStatus', description: '社区成员状态 (Membership status of a community)' });

/** Slugs such as `qibao-a`: stable, URL-safe, and what every entity key across the graph holds. */
export const COMMUNITY_ID = /^[a-z][a-z0-9-]{1,62}$/;

@Directive('@key(fields: "id")')
@ObjectType({ description: '社区 (A community)' })
@Entity({ tableName: 'community' })
export class Community {
  [OptionalProps]?: 'status' | 'joinedAt' | 'rejectionReasons' | 'admissionCheckedAt' | 'issuer' | 'jwksUri' | 'jwks';

  @Field(() => ID, { description: '社区标识，如 qibao-a (Slug id, e.g. qibao-a)' })
  @PrimaryKey({ type: 'text' })
  id: string;

  @Field(() => String, { description: '名称 (Name, zh-CN)' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'Name in English' })
  @Property({ type: 'text' })
  nameEn: string;

  @Field(() => String, { description: '区 (District, zh-CN), e.g. 闵行区' })
  @Property({ type: 'text' })
  district: string;

  @Field(() => String, { description: 'District in English, e.g. Minhang District' })
  @Property({ type: 'text' })
  districtEn: string;

  @Field(() => String, { description: '街道/镇 (Street or town, zh-CN), e.g. 七宝镇' })
  @Property({ type: 'text' })
  street: string;

  @Field(() => String, { description: 'Street or town in English, e.g. Qibao Town' })
  @Property({ type: 'text' })
  streetEn: string;

  @Field(() => CommunityStatus)
  @Enum({ items: () => CommunityStatus, nativeEnumName: 'community_status' })
  status: CommunityStatus = CommunityStatus.ACTIVE;

  /** The community subgraph's URL; in GraphQL only through the resolver, which hides it from users. */
  @Property({ type: 'text' })
  endpoint: string;

  @Field(() => DateTimeISOResolver, { description: '加入时间 (When it joined the federation)' })
  @Property({ type: 'timestamptz' })
  joinedAt: Date = new Date();

  /** Why the last admission check failed; in GraphQL only through the resolver (may name the endpoint). */
  @Property({ type: 'text[]', nullable: true })
  rejectionReasons: string[] | null = null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: '最近一次准入检查时间 (When the last admission check was decided)' })
  @Property({ type: 'timestamptz', nullable: true })
  admissionCheckedAt: Date | null = null;

  /**
   * Federated identity: the issuer of tokens this community's own identity provider signs,
   * and where its keys are (a JWKS URL or the key set itself). Infrastructure, like `endpoint`.
   */
  @Property({ type: 'text', nullable: true })
  issuer: string | null = null;

  @Property({ type: 'text', nullable: true })
  jwksUri: string | null = null;

  @Property({ type: 'jsonb', nullable: true })
  jwks: Record<string, unknown> | null = null;
}
