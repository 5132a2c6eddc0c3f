import { Migration } from '@mikro-orm/migrations';

/**
 * The time bank (时间银行): volunteers, recipients and the proxies who act for them,
 * service requests (optionally paid from a payer's hours hold in the shared ledger), service
 * records LOGGED → CONFIRMED → CREDITED, and allocations of donated hours. Crediting goes
 * through `exchange_call` (the outbox, created with points).
 *
 * That allocated hours are spent at most once spans rows: confirmations lock the
 * recipient's row (`FOR UPDATE`) and allocations take an advisory lock. The constraints keep
 * whole hours, a consistent status, and one live record per request.
 */
export class Migration20261126000400_timebank extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "proxy_relation" as enum ('FAMILY', 'GRID_WORKER', 'STAFF', 'NEIGHBOUR');`);
    this.addSql(`create type "timebank_service_type" as enum ('HOME_CARE', 'REHABILITATION', 'COMPANIONSHIP', 'ERRANDS', 'MEDICAL_ESCORT', 'OTHER');`);
    this.addSql(`create type "service_request_status" as enum ('OPEN', 'SERVED');`);
    this.addSql(`create type "service_record_status" as enum ('LOGGED', 'CONFIRMED', 'CREDITED', 'DISPUTED');`);
    this.addSql(`create type "service_payment" as enum ('ISSUED', 'FUND', 'HOURS_HOLD');`);
    this.addSql(`create type "hours_banked_to" as enum ('VOLUNTEER', 'COMMUNITY_FUND');`);

    this.addSql(`create table "timebank_settings" (
      "id" smallint not null default 1,
      "max_banked_hours" int not null default 100,
      "updated_at" timestamptz not null,
      constraint "timebank_settings_pkey" primary key ("id"),
      constraint timebank_settings_max_banked_hours_check check (max_banked_hours > 0),
      constraint timebank_settings_singleton_check check (id = 1));`);

    this.addSql(`create table "timebank_volunteer" (
      "user_id" text not null,
      "display_name" text not null,
      "skills" text[] not null,
      "availability" text not null default '',
      "active" boolean not null default true,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "timebank_volunteer_pkey" primary key ("user_id"));`);

    this.addSql(`create table "service_recipient" (
      "user_id" text not null,
      "display_name" text not null,
      "lives_alone" boolean not null default false,
      "registered_by" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "service_recipient_pkey" primary key ("user_id"));`);

    this.addSql(`create table "recipient_proxy" (
      "id" uuid not null,
      "recipient_id" text not null,
      "proxy_id" text not null,
      "relation" "proxy_relation" not null,
      "registered_by" text not null,
      "created_at" timestamptz not null,
      constraint "recipient_proxy_pkey" primary key ("id"));`);
    // "Whom do I act for?" on every confirmation and listing.
    this.addSql(`create index "recipient_proxy_proxy_id_index" on "recipient_proxy" ("proxy_id");`);
    this.addSql(`alter table "recipient_proxy" add constraint "recipient_proxy_recipient_id_proxy_id_unique" unique ("recipient_id", "proxy_id");`);
    this.addSql(`alter table "recipient_proxy" add constraint "recipient_proxy_recipient_id_foreign" foreign key ("recipient_id") references "service_recipient" ("user_id") on update cascade on delete cascade;`);

    this.addSql(`create table "service_request" (
      "id" uuid not null,
      "recipient_id" text not null,
      "requested_by" text not null,
      "service_type" "timebank_service_type" not null,
      "description" text not null default '',
      "hours" int not null,
      "hold_id" uuid null,
      "status" "service_request_status" not null default 'OPEN',
      "idempotency_key" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "service_request_pkey" primary key ("id"),
      constraint service_request_hours_check check (hours >= 1 and hours <= 12));`);
    this.addSql(`create index "service_request_status_created_at_index" on "service_request" ("status", "created_at");`);
    // One hours hold pays for one request.
    this.addSql(`alter table "service_request" add constraint "service_request_hold_id_unique" unique ("hold_id");`);
    this.addSql(`alter table "service_request" add constraint "service_request_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key");`);
    this.addSql(`alter table "service_request" add constraint "service_request_recipient_id_foreign" foreign key ("recipient_id") references "service_recipient" ("user_id") on update cascade on delete restrict;`);

    this.addSql(`create table "service_record" (
      "id" uuid not null,
      "volunteer_id" text not null,
      "recipient_id" text not null,
      "request_id" uuid null,
      "service_type" "timebank_service_type" not null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz not null,
      "hours" int not null,
      "note" text not null default '',
      "status" "service_record_status" not null default 'LOGGED',
      "decided_by" text null,
      "decided_at" timestamptz null,
      "payment" "service_payment" null,
      "banked_to" "hours_banked_to" null,
      "transfer_id" uuid null,
      "credited_at" timestamptz null,
      "credit_refusal" text null,
      "idempotency_key" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "service_record_pkey" primary key ("id"),
      constraint service_record_payment_check check ((status = 'CONFIRMED' or status = 'CREDITED') = (payment is not null)),
      constraint service_record_decision_check check ((status = 'LOGGED') = (decided_at is null) and (status = 'CREDITED') = (credited_at is not null)),
      constraint service_record_hours_check check (hours >= 1 and hours <= 12 and ends_at - starts_at = make_interval(hours => hours)));`);
    this.addSql(`create index "service_record_recipient_id_starts_at_index" on "service_record" ("recipient_id", "starts_at");`);
    this.addSql(`create index "service_record_volunteer_id_starts_at_index" on "service_record" ("volunteer_id", "starts_at");`);
    // A request is answered by one service at a time; a disputed one lets another be logged.
    this.addSql(`create unique index "service_record_request_id_unique" on "service_record" ("request_id") where "status" <> 'DISPUTED';`);
    this.addSql(`alter table "service_record" add constraint "service_record_volunteer_id_idempotency_key_unique" unique ("volunteer_id", "idempotency_key");`);
    this.addSql(`alter table "service_record" add constraint "service_record_recipient_id_foreign" foreign key ("recipient_id") references "service_recipient" ("user_id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_record" add constraint "service_record_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete restrict;`);

    this.addSql(`create table "fund_allocation" (
      "id" uuid not null,
      "recipient_id" text not null,
      "hours" int not null,
      "allocated_by" text not null,
      "idempotency_key" text not null,
      "created_at" timestamptz not null,
      constraint "fund_allocation_pkey" primary key ("id"),
      constraint fund_allocation_hours_check check (hours > 0));`);
    this.addSql(`create index "fund_allocation_recipient_id_index" on "fund_allocation" ("recipient_id");`);
    this.addSql(`alter table "fund_allocation" add constraint "fund_allocation_allocated_by_idempotency_key_unique" unique ("allocated_by", "idempotency_key");`);
    this.addSql(`alter table "fund_allocation" add constraint "fund_allocation_recipient_id_foreign" foreign key ("recipient_id") references "service_recipient" ("user_id") on update cascade on delete restrict;`);
  }
}
