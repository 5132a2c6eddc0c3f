import { Check, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';
import type { GeoJsonArea } from './boundary.js';

/**
 * A grid (网格): the patch of the community one team of grid workers looks after, led by a
 * party branch. Its boundary is a GeoJSON Polygon or MultiPolygon (WGS 84 longitude,
 * latitude), validated by boundary.ts before it is stored.
 */
@ObjectType({ description: '网格 (A grid: the area one team of grid workers looks after)' })
@Entity({ tableName: 'grid' })
@Check({ name: 'grid_boundary_check', expression: `jsonb_typeof(boundary) = 'object' and boundary ->> 'type' = any (array['Polygon', 'MultiPolygon'])` })
export class Grid {
  [OptionalProps]?: 'createdAt' | 'partyBranchEn' | 'nameEn';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: '名称 (Name, zh-CN)' })
  @Property({ type: 'text', unique: 'grid_name_unique' })
  name: string;

  @Field(() => String, { description: 'Name in English' })
  @Property({ type: 'text' })
  nameEn: string = '';

  @Field(() => JSONObjectResolver, { description: '边界，GeoJSON Polygon 或 MultiPolygon（经度, 纬度） (Boundary as GeoJSON, [longitude, latitude])' })
  @Property({ type: 'jsonb' })
  boundary: GeoJsonArea;

  @Field(() => String, { description: '负责的党支部 (The party branch that leads the grid, zh-CN)' })
  @Property({ type: 'text' })
  partyBranch: string;

  @Field(() => String, { description: 'The leading party branch, in English' })
  @Property({ type: 'text' })
  partyBranchEn: string = '';

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * A user assigned to work in a grid. Being assigned is not enough to see the grid's
 * residents: the viewer must also carry the GRID_WORKER role (grid.access.ts). At most one
 * worker of a grid is its leader (网格长).
 */
@ObjectType({ description: '网格员 (A grid worker assigned to a grid)' })
@Entity({ tableName: 'grid_worker' })
@Unique({ name: 'grid_worker_grid_id_user_id_unique', properties: ['grid', 'userId'] })
@Unique({ name: 'grid_worker_one_leader_unique', expression: 'create unique index "grid_worker_one_leader_unique" on "grid_worker" ("grid_id") where "leader"' })
@Index({ name: 'grid_worker_user_id_index', properties: ['userId'] })
export class GridWorker {
  [OptionalProps]?: 'leader' | 'assignedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Grid, deleteRule: 'cascade' })
  grid: Rel<Grid>;

  @Field(() => ID, { description: '用户 ID (The worker’s user id)' })
  @Property({ type: 'text' })
  userId: string;

  @Field(() => Boolean, { description: '是否网格长 (Whether this worker leads the grid)' })
  @Property({ type: 'boolean' })
  leader: boolean = false;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  assignedAt: Date = new Date();
}

/** A dwelling in a grid. Its address is personal data (see grid.access.ts). */
@ObjectType({ description: '住户 (A household in a grid)' })
@Entity({ tableName: 'household' })
@Index({ name: 'household_grid_id_index', properties: ['grid'] })
export class Household {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Grid })
  grid: Rel<Grid>;

  /** Personal: read through the `address` field resolver only, which authorises and audits. */
  @Property({ type: 'text' })
  address: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * A person living in a household. Name and phone are personal data, read only through
 * field resolvers that authorise each field and audit each read. `userId` links the person
 * to their Linli account when they have one. `removeResident` deletes the row.
 */
@ObjectType({ description: '居民 (A resident of a household)' })
@Entity({ tableName: 'resident' })
@Index({ name: 'resident_household_id_index', properties: ['household'] })
export class Resident {
  [OptionalProps]?: 'createdAt' | 'phone' | 'userId';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Household })
  household: Rel<Household>;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Field(() => ID, { nullable: true, description: '本人的邻里账号 (The resident’s own Linli user id, if any)' })
  @Property({ type: 'text', nullable: true, unique: 'resident_user_id_unique' })
  userId: string | null = null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
