import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000400_settlement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "settlement_run" (
      "id" uuid not null,
      "unit" "ledger_unit" not null,
      "period_from" timestamptz not null,
      "period_to" timestamptz not null,
      "obligations" jsonb not null,
      "cycles" int not null,
      "created_by" text not null,
      "created_at" timestamptz not null,
      constraint "settlement_run_pkey" primary key ("id"));`);
  }
}
