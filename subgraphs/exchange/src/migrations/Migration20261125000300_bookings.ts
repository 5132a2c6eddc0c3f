import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000300_bookings extends Migration {
  override async up(): Promise<void> {
    // The listing's refund rule, which cancellations follow.
    this.addSql(`alter table "listing"
      add column "full_refund_hours_before" int not null default 24,
      add column "late_cancellation_refund_percent" int not null default 50,
      add constraint "listing_refund_rule_check" check (full_refund_hours_before >= 0 and late_cancellation_refund_percent >= 0 and late_cancellation_refund_percent <= 100);`);

    this.addSql(`create type "booking_status" as enum ('PENDING', 'AWAITING_APPROVAL', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED');`);
    this.addSql(`create type "booking_saga_step" as enum ('RESERVE_FUNDS', 'PLACE_HOLD', 'CONFIRM', 'UNDO', 'CANCEL', 'RELEASE_HOLD');`);
    this.addSql(`create type "booking_hold_state" as enum ('NONE', 'MAYBE', 'HELD', 'CONFIRMED', 'RELEASED');`);
    this.addSql(`create type "booking_funds_state" as enum ('NONE', 'PENDING', 'POSTED', 'VOIDED');`);
    this.addSql(`create table "booking" (
      "id" uuid not null,
      "resident_id" text not null,
      "resident_community_id" text not null,
      "idempotency_key" text not null,
      "listing_id" uuid not null,
      "community_id" text not null,
      "resource_id" text not null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz not null,
      "quantity" int not null,
      "price_credits" int not null,
      "refunded_credits" int not null default 0,
      "requires_approval" boolean not null,
      "status" "booking_status" not null default 'PENDING',
      "next" "booking_saga_step" null default 'RESERVE_FUNDS',
      "undo_to" "booking_status" null,
      "hold_state" "booking_hold_state" not null default 'NONE',
      "funds_state" "booking_funds_state" not null default 'NONE',
      "transfer_id" uuid not null,
      "post_transfer_id" uuid not null,
      "void_transfer_id" uuid not null,
      "refund_transfer_id" uuid null,
      "failure_code" text null,
      "failure_message" text null,
      "failure_details" jsonb null,
      "approval_deadline" timestamptz null,
      "decided_by" text null,
      "decided_at" timestamptz null,
      "rejection_reason" text null,
      "cancel_key" text null,
      "cancelled_at" timestamptz null,
      "confirmed_at" timestamptz null,
      "lease_owner" text null,
      "lease_until" timestamptz null,
      "retry_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "booking_pkey" primary key ("id"),
      constraint "booking_resident_idempotency_key_unique" unique ("resident_id", "idempotency_key"),
      constraint "booking_listing_id_foreign" foreign key ("listing_id") references "listing" ("id") on update cascade,
      constraint "booking_range_check" check (starts_at < ends_at),
      constraint "booking_quantity_check" check (quantity > 0),
      constraint "booking_price_check" check (price_credits >= 0 and refunded_credits >= 0 and refunded_credits <= price_credits),
      -- A settled booking has nothing left to do but, at most, free its hold.
      constraint "booking_settled_check" check (status = any (array['PENDING', 'AWAITING_APPROVAL', 'CONFIRMED']::booking_status[]) or next is null or next = 'RELEASE_HOLD'));`);
    // What the recovery loop scans: only unsettled rows.
    this.addSql(`create index "booking_unsettled_index" on "booking" ("updated_at") where "next" is not null;`);
    this.addSql(`create index "booking_resident_index" on "booking" ("resident_id", "created_at");`);
    this.addSql(`create index "booking_community_index" on "booking" ("community_id", "status", "created_at");`);
    this.addSql(`create index "booking_awaiting_deadline_index" on "booking" ("approval_deadline") where "status" = 'AWAITING_APPROVAL';`);
  }
}
