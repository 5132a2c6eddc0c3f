import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000000_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_entry" (
      "id" uuid not null,
      "at" timestamptz not null,
      "actor_id" text not null,
      "actor_roles" text[] not null,
      "action" text not null,
      "subject_type" text not null,
      "subject_id" text not null,
      "fields" text[] not null,
      constraint "audit_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at", "id");`);
    this.addSql(`create index "audit_entry_subject_index" on "audit_entry" ("subject_type", "subject_id", "at");`);
  }
}
