import { Migration } from '@mikro-orm/migrations';

/**
 * Holds and reservations on shared resources. The capacity invariant (live quantity ≤
 * capacity at every instant) spans rows, so no constraint can state it: hold.service.ts
 * keeps it by placing and confirming only under `SELECT … FOR UPDATE` on the resource's
 * row. The constraints here catch the rest of what a buggy writer could store.
 */
export class Migration20261125000000_holds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "hold_status" as enum ('HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED');`);
    this.addSql(`create table "resource_hold" (
      "id" uuid not null,
      "booking_ref" text not null,
      "resource_id" uuid not null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz not null,
      "quantity" int not null,
      "status" "hold_status" not null,
      "expires_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "resource_hold_pkey" primary key ("id"),
      constraint "resource_hold_booking_ref_unique" unique ("booking_ref"),
      constraint "resource_hold_booking_ref_check" check (length(booking_ref) between 1 and 200),
      constraint "resource_hold_quantity_check" check (quantity > 0),
      constraint "resource_hold_range_check" check (ends_at > starts_at),
      constraint "resource_hold_expires_at_check" check (case status when 'HELD' then expires_at is not null when 'CONFIRMED' then expires_at is null else true end));`);
    // No delete cascade: a resource with reservations must not vanish with them.
    this.addSql(`alter table "resource_hold" add constraint "resource_hold_resource_id_foreign" foreign key ("resource_id") references "shared_resource" ("id") on update cascade;`);
    // Overlap look-ups (starts_at < $to and ends_at > $from) over the rows that can hold capacity;
    // ends_at leads so that the past, which only grows, is skipped.
    this.addSql(`create index "resource_hold_live_range_index" on "resource_hold" ("resource_id", "ends_at", "starts_at") where "status" in ('HELD', 'CONFIRMED');`);
    // The expiry sweep: only unconfirmed holds, few at any moment.
    this.addSql(`create index "resource_hold_held_expires_at_index" on "resource_hold" ("expires_at") where "status" = 'HELD';`);
  }
}
