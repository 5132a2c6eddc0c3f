import { Migration } from '@mikro-orm/migrations';

/**
 * Points (积分): earning rules, the append-only points ledger with one balance row per
 * resident, claims, the rewards shop and its vouchers, conversions into shared credit — and
 * `exchange_call`, the outbox of calls to the shared ledger that conversions (and the time
 * bank) record in the same transaction as the change that needs them.
 *
 * Caps and the per-resident redemption limit span rows, so no constraint states them: the
 * services check them under `SELECT … FOR UPDATE` on the resident's `points_account` row. The
 * constraints catch the rest: no balance, stock or entry balance below zero, one entry per
 * idempotency key, one voucher per code.
 */
export class Migration20261126000300_points extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "exchange_operation" as enum ('ISSUE', 'PAY_FROM_FUND', 'SETTLE_HOURS_HOLD');`);
    this.addSql(`create type "exchange_call_status" as enum ('PENDING', 'DONE', 'REFUSED');`);
    this.addSql(`create type "point_conversion_status" as enum ('PENDING', 'DONE', 'REFUNDED');`);
    this.addSql(`create type "points_activity" as enum ('VOLUNTEERING', 'GARBAGE_SORTING', 'NEIGHBOUR_HELP', 'ADOPTED_SUGGESTION', 'MEETING_ATTENDANCE', 'OTHER');`);
    this.addSql(`create type "points_entry_kind" as enum ('EARN', 'REDEEM', 'CONVERT', 'REFUND');`);
    this.addSql(`create type "points_claim_status" as enum ('PENDING', 'APPROVED', 'REJECTED');`);
    this.addSql(`create type "reward_kind" as enum ('GOODS', 'PROPERTY_FEE_VOUCHER', 'EVENT_PRIORITY');`);
    this.addSql(`create type "voucher_status" as enum ('ISSUED', 'USED');`);

    this.addSql(`create table "exchange_call" (
      "id" uuid not null,
      "operation" "exchange_operation" not null,
      "subject_type" text not null,
      "subject_id" uuid not null,
      "payload" jsonb not null,
      "status" "exchange_call_status" not null default 'PENDING',
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz not null,
      "last_error" text null,
      "transfer_id" uuid null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "exchange_call_pkey" primary key ("id"),
      constraint exchange_call_attempts_check check (attempts >= 0));`);
    this.addSql(`create index "exchange_call_subject_index" on "exchange_call" ("subject_type", "subject_id");`);
    // What the scheduler scans: only calls whose answer is not known yet.
    this.addSql(`create index "exchange_call_due_index" on "exchange_call" ("next_attempt_at") where "status" = 'PENDING';`);

    this.addSql(`create table "points_settings" (
      "id" smallint not null default 1,
      "points_per_credit" int not null default 10,
      "monthly_conversion_cap_credits" int not null default 50,
      "daily_earning_cap" int null,
      "monthly_earning_cap" int null,
      "updated_at" timestamptz not null,
      constraint "points_settings_pkey" primary key ("id"),
      constraint points_settings_caps_check check ((daily_earning_cap is null or daily_earning_cap > 0) and (monthly_earning_cap is null or monthly_earning_cap > 0)),
      constraint points_settings_conversion_check check (points_per_credit > 0 and monthly_conversion_cap_credits >= 0),
      constraint points_settings_singleton_check check (id = 1));`);

    this.addSql(`create table "points_rule" (
      "id" uuid not null,
      "activity" "points_activity" not null,
      "name" text not null,
      "name_en" text not null,
      "points" int not null,
      "daily_cap" int null,
      "monthly_cap" int null,
      "auto_award" boolean not null default false,
      "active" boolean not null default true,
      "created_at" timestamptz not null,
      constraint "points_rule_pkey" primary key ("id"),
      constraint points_rule_caps_check check ((daily_cap is null or daily_cap > 0) and (monthly_cap is null or monthly_cap > 0)),
      constraint points_rule_points_check check (points > 0));`);

    this.addSql(`create table "points_account" (
      "resident_id" text not null,
      "balance" int not null default 0,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "points_account_pkey" primary key ("resident_id"),
      constraint points_account_balance_check check (balance >= 0));`);

    this.addSql(`create table "points_entry" (
      "id" uuid not null,
      "resident_id" text not null,
      "kind" "points_entry_kind" not null,
      "points" int not null,
      "balance_after" int not null,
      "rule_id" uuid null,
      "earned_on" date null,
      "reference" text null,
      "idempotency_key" text not null,
      "actor_id" text not null,
      "created_at" timestamptz not null,
      constraint "points_entry_pkey" primary key ("id"),
      constraint points_entry_earned_on_check check ((kind = 'EARN') = (earned_on is not null)),
      constraint points_entry_balance_after_check check (balance_after >= 0),
      constraint points_entry_points_check check (points <> 0 and (kind = 'EARN' or kind = 'REFUND') = (points > 0)));`);
    // Caps: a resident's earnings by day and month.
    this.addSql(`create index "points_entry_earned_index" on "points_entry" ("resident_id", "earned_on") where "kind" = 'EARN';`);
    // History, newest first.
    this.addSql(`create index "points_entry_history_index" on "points_entry" ("resident_id", "created_at" desc, "id" desc);`);
    this.addSql(`alter table "points_entry" add constraint "points_entry_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`alter table "points_entry" add constraint "points_entry_rule_id_foreign" foreign key ("rule_id") references "points_rule" ("id") on update cascade on delete restrict;`);

    this.addSql(`create table "points_claim" (
      "id" uuid not null,
      "resident_id" text not null,
      "rule_id" uuid not null,
      "occurred_on" date not null,
      "note" text not null default '',
      "status" "points_claim_status" not null default 'PENDING',
      "idempotency_key" text not null,
      "decided_by" text null,
      "decided_at" timestamptz null,
      "decision_note" text null,
      "entry_id" uuid null,
      "created_at" timestamptz not null,
      constraint "points_claim_pkey" primary key ("id"),
      constraint points_claim_decision_check check ((status = 'PENDING') = (decided_at is null) and (status = 'APPROVED') = (entry_id is not null)));`);
    this.addSql(`create index "points_claim_status_created_at_index" on "points_claim" ("status", "created_at");`);
    this.addSql(`alter table "points_claim" add constraint "points_claim_resident_id_idempotency_key_unique" unique ("resident_id", "idempotency_key");`);
    this.addSql(`alter table "points_claim" add constraint "points_claim_rule_id_foreign" foreign key ("rule_id") references "points_rule" ("id") on update cascade on delete restrict;`);

    this.addSql(`create table "reward" (
      "id" uuid not null,
      "kind" "reward_kind" not null,
      "name" text not null,
      "name_en" text not null,
      "description" text not null default '',
      "description_en" text not null default '',
      "cost_points" int not null,
      "stock" int not null,
      "per_resident_limit" int null,
      "active" boolean not null default true,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "reward_pkey" primary key ("id"),
      constraint reward_per_resident_limit_check check (per_resident_limit is null or per_resident_limit > 0),
      constraint reward_stock_check check (stock >= 0),
      constraint reward_cost_points_check check (cost_points > 0));`);

    this.addSql(`create table "reward_redemption" (
      "id" uuid not null,
      "reward_id" uuid not null,
      "resident_id" text not null,
      "points" int not null,
      "voucher_code" text not null,
      "status" "voucher_status" not null default 'ISSUED',
      "used_at" timestamptz null,
      "used_by" text null,
      "idempotency_key" text not null,
      "created_at" timestamptz not null,
      constraint "reward_redemption_pkey" primary key ("id"),
      constraint reward_redemption_used_check check ((status = 'USED') = (used_at is not null)),
      constraint reward_redemption_points_check check (points > 0));`);
    // The per-resident limit counts a resident's redemptions of one reward.
    this.addSql(`create index "reward_redemption_reward_id_resident_id_index" on "reward_redemption" ("reward_id", "resident_id");`);
    this.addSql(`alter table "reward_redemption" add constraint "reward_redemption_resident_id_idempotency_key_unique" unique ("resident_id", "idempotency_key");`);
    this.addSql(`alter table "reward_redemption" add constraint "reward_redemption_voucher_code_unique" unique ("voucher_code");`);
    this.addSql(`alter table "reward_redemption" add constraint "reward_redemption_reward_id_foreign" foreign key ("reward_id") references "reward" ("id") on update cascade on delete restrict;`);

    this.addSql(`create table "point_conversion" (
      "id" uuid not null,
      "resident_id" text not null,
      "points" int not null,
      "credits" int not null,
      "status" "point_conversion_status" not null default 'PENDING',
      "refusal" text null,
      "idempotency_key" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "point_conversion_pkey" primary key ("id"),
      constraint point_conversion_amounts_check check (points > 0 and credits > 0));`);
    // The monthly conversion cap sums a resident's conversions of the month.
    this.addSql(`create index "point_conversion_resident_id_created_at_index" on "point_conversion" ("resident_id", "created_at");`);
    this.addSql(`alter table "point_conversion" add constraint "point_conversion_resident_id_idempotency_key_unique" unique ("resident_id", "idempotency_key");`);
  }
}
