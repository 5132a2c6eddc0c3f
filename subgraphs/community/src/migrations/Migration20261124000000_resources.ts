import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000000_resources extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "resource_kind" as enum ('VENUE', 'EDUCATION_SEATS', 'MEDICAL_SERVICE', 'EQUIPMENT', 'ROOM', 'OTHER');`);
    this.addSql(`create type "resource_status" as enum ('ACTIVE', 'PAUSED', 'RETIRED');`);
    this.addSql(`create type "availability_exception_kind" as enum ('CLOSED', 'EXTRA_OPENING');`);
    this.addSql(`create table "shared_resource" (
      "id" uuid not null,
      "name" text not null,
      "name_en" text not null,
      "kind" "resource_kind" not null,
      "description" text not null,
      "description_en" text not null,
      "location" text not null,
      "location_en" text not null,
      "capacity" int not null check ("capacity" > 0),
      "policy_requires_approval" boolean not null,
      "policy_slot_minutes" int not null check ("policy_slot_minutes" > 0),
      "policy_min_duration_minutes" int not null,
      "policy_max_duration_minutes" int not null,
      "policy_lead_time_minutes" int not null,
      "policy_max_days_ahead" int not null,
      "policy_price_credits_per_slot" int not null check ("policy_price_credits_per_slot" >= 0),
      "status" "resource_status" not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "shared_resource_pkey" primary key ("id"));`);
    this.addSql(`create index "shared_resource_created_at_id_index" on "shared_resource" ("created_at", "id");`);
    this.addSql(`create table "opening_hours" (
      "id" uuid not null,
      "resource_id" uuid not null,
      "weekday" smallint not null check ("weekday" between 1 and 7),
      "opens_at" text not null,
      "closes_at" text not null,
      constraint "opening_hours_pkey" primary key ("id"));`);
    this.addSql(`create index "opening_hours_resource_id_index" on "opening_hours" ("resource_id");`);
    this.addSql(`alter table "opening_hours" add constraint "opening_hours_resource_id_foreign" foreign key ("resource_id") references "shared_resource" ("id") on update cascade on delete cascade;`);
    this.addSql(`create table "availability_exception" (
      "id" uuid not null,
      "resource_id" uuid not null,
      "date" date not null,
      "kind" "availability_exception_kind" not null,
      "opens_at" text null,
      "closes_at" text null,
      "reason" text not null,
      "reason_en" text not null,
      constraint "availability_exception_pkey" primary key ("id"));`);
    this.addSql(`create index "availability_exception_resource_id_index" on "availability_exception" ("resource_id");`);
    this.addSql(`alter table "availability_exception" add constraint "availability_exception_resource_id_foreign" foreign key ("resource_id") references "shared_resource" ("id") on update cascade on delete cascade;`);
  }
}
