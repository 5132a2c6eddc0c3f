import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000100_listings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "resource_kind" as enum ('VENUE', 'EDUCATION_SEATS', 'MEDICAL_SERVICE', 'EQUIPMENT', 'ROOM', 'OTHER');`);
    this.addSql(`create type "listing_audience" as enum ('ALL_COMMUNITIES', 'SELECTED_COMMUNITIES');`);
    this.addSql(`create type "listing_status" as enum ('PUBLISHED', 'WITHDRAWN');`);
    this.addSql(`create table "listing" (
      "id" uuid not null,
      "community_id" text not null,
      "resource_id" text not null,
      "kind" "resource_kind" not null,
      "title" text not null,
      "title_en" text not null,
      "summary" text not null default '',
      "summary_en" text not null default '',
      "price_credits_per_slot" int not null,
      "bookable_by" "listing_audience" not null default 'ALL_COMMUNITIES',
      "allowed_community_ids" text[] not null,
      "available_from" timestamptz not null,
      "available_to" timestamptz null,
      "status" "listing_status" not null default 'PUBLISHED',
      "published_at" timestamptz not null,
      "withdrawn_at" timestamptz null,
      "published_by" text not null,
      "idempotency_key" text not null,
      constraint "listing_pkey" primary key ("id"),
      constraint "listing_idempotency_key_unique" unique ("idempotency_key"),
      constraint "listing_price_credits_per_slot_check" check (price_credits_per_slot >= 0),
      constraint "listing_period_check" check (available_to is null or available_from < available_to),
      constraint "listing_withdrawn_at_check" check ((status = 'WITHDRAWN') = (withdrawn_at is not null)));`);
    // The database, not the service, keeps a resource to one PUBLISHED listing at a time.
    this.addSql(`create unique index "listing_one_published_per_resource" on "listing" ("community_id", "resource_id") where "status" = 'PUBLISHED';`);
    // The catalogue's keyset order, over the rows it can show.
    this.addSql(`create index "listing_published_order_index" on "listing" ("published_at" desc, "id" desc) where "status" = 'PUBLISHED';`);
    this.addSql(`alter table "listing" add constraint "listing_community_id_foreign" foreign key ("community_id") references "community" ("id") on update cascade;`);
  }
}
