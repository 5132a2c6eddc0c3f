import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000200_ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "ledger_account_kind" as enum ('RESIDENT', 'COMMUNITY_REVENUE', 'COMMUNITY_ISSUANCE', 'FEDERATION');`);
    this.addSql(`create type "ledger_unit" as enum ('CREDIT', 'HOUR');`);
    // New codes go at the end with `alter type ... add value`.
    this.addSql(`create type "ledger_transfer_code" as enum ('ISSUE', 'BOOKING', 'REFUND', 'SETTLEMENT', 'TRANSFER');`);
    this.addSql(`create type "ledger_transfer_phase" as enum ('SINGLE_PHASE', 'PENDING', 'POST_PENDING', 'VOID_PENDING');`);
    this.addSql(`create type "ledger_transfer_state" as enum ('PENDING', 'POSTED', 'VOIDED', 'EXPIRED');`);

    // Totals are never negative; "limit" null means the balance may fall without bound.
    this.addSql(`create table "ledger_account" (
      "id" uuid not null,
      "kind" "ledger_account_kind" not null,
      "holder_id" text not null,
      "unit" "ledger_unit" not null,
      "community_id" text null,
      "limit" bigint null default 0,
      "debits_pending" bigint not null default 0,
      "debits_posted" bigint not null default 0,
      "credits_pending" bigint not null default 0,
      "credits_posted" bigint not null default 0,
      "created_at" timestamptz not null,
      constraint "ledger_account_pkey" primary key ("id"),
      constraint "ledger_account_kind_holder_id_unit_unique" unique ("kind", "holder_id", "unit"),
      constraint ledger_account_totals_check check (debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0 and credits_posted >= 0),
      constraint ledger_account_limit_check check ("limit" is null or "limit" >= 0),
      constraint ledger_account_community_check check ((kind = 'FEDERATION') = (community_id is null)));`);
    this.addSql(`alter table "ledger_account" add constraint "ledger_account_community_id_foreign" foreign key ("community_id") references "community" ("id") on update cascade on delete restrict;`);

    // The primary key is the client's idempotency key; the unique pending_id allows one
    // post or void per pending transfer, whoever races to resolve it.
    this.addSql(`create table "ledger_transfer" (
      "id" uuid not null,
      "debit_account_id" uuid not null,
      "credit_account_id" uuid not null,
      "amount" bigint not null,
      "unit" "ledger_unit" not null,
      "code" "ledger_transfer_code" not null,
      "phase" "ledger_transfer_phase" not null,
      "state" "ledger_transfer_state" not null,
      "pending_id" uuid null,
      "memo" text null,
      "reference" text null,
      "timeout_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "ledger_transfer_pkey" primary key ("id"),
      constraint "ledger_transfer_pending_id_unique" unique ("pending_id"),
      constraint ledger_transfer_amount_check check (amount > 0),
      constraint ledger_transfer_accounts_check check (debit_account_id <> credit_account_id),
      constraint ledger_transfer_pending_id_check check ((pending_id is not null) = (phase = 'POST_PENDING' or phase = 'VOID_PENDING')),
      constraint ledger_transfer_timeout_check check ((timeout_at is not null) = (phase = 'PENDING')),
      constraint ledger_transfer_state_check check (phase = 'PENDING' or (phase = 'VOID_PENDING' and (state = 'VOIDED' or state = 'EXPIRED')) or (phase <> 'VOID_PENDING' and state = 'POSTED')));`);
    this.addSql(`alter table "ledger_transfer" add constraint "ledger_transfer_debit_account_id_foreign" foreign key ("debit_account_id") references "ledger_account" ("id") on update cascade;`);
    this.addSql(`alter table "ledger_transfer" add constraint "ledger_transfer_credit_account_id_foreign" foreign key ("credit_account_id") references "ledger_account" ("id") on update cascade;`);
    this.addSql(`alter table "ledger_transfer" add constraint "ledger_transfer_pending_id_foreign" foreign key ("pending_id") references "ledger_transfer" ("id") on update cascade on delete restrict;`);
    // An account's history, newest first, on either side of the transfer.
    this.addSql(`create index "ledger_transfer_debit_order_index" on "ledger_transfer" ("debit_account_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "ledger_transfer_credit_order_index" on "ledger_transfer" ("credit_account_id", "created_at" desc, "id" desc);`);
    // What the expiry sweeper scans: only unresolved pending transfers.
    this.addSql(`create index "ledger_transfer_pending_timeout_index" on "ledger_transfer" ("timeout_at") where "state" = 'PENDING';`);
    this.addSql(`create index "ledger_transfer_reference_index" on "ledger_transfer" ("reference");`);
  }
}
