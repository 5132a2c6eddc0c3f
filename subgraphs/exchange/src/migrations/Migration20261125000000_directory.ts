import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000_directory extends Migration {
  override async up(): Promise<void> {
    // New states go at the end with `alter type ... add value` (PENDING, REJECTED).
    this.addSql(`create type "community_status" as enum ('ACTIVE', 'SUSPENDED');`);
    this.addSql(`create table "community" (
      "id" text not null,
      "name" text not null,
      "name_en" text not null,
      "district" text not null,
      "district_en" text not null,
      "street" text not null,
      "street_en" text not null,
      "status" "community_status" not null default 'ACTIVE',
      "endpoint" text not null,
      "joined_at" timestamptz not null,
      constraint "community_pkey" primary key ("id"));`);
  }
}
