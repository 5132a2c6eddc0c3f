import { Migration } from '@mikro-orm/migrations';

/**
 * Grid management (网格化): grids and their workers, households and residents, residents in
 * care and their visits, cases and their history, and the community's settings for visit
 * intervals and case deadlines. Personal data (names, phones, addresses, notes) lives only
 * in resident, household, care_record and care_visit; removeResident deletes it and leaves
 * visits and cases with a pseudonym (the subject checks below keep that from going astray).
 */
export class Migration20261126000100_grids extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "care_category" as enum ('ELDERLY_ALONE', 'DISABLED', 'OTHER_KEY');`);
    this.addSql(`create type "risk_tier" as enum ('HIGH', 'KEY', 'GENERAL');`);
    this.addSql(`create type "visit_mode" as enum ('HOME', 'PHONE', 'VIDEO');`);
    this.addSql(`create type "case_category" as enum ('MEDIATION', 'SERVICE_ERRAND', 'ENVIRONMENT', 'POLICY_OUTREACH', 'SAFETY', 'OTHER');`);
    this.addSql(`create type "case_urgency" as enum ('RED', 'YELLOW', 'BLUE');`);
    this.addSql(`create type "case_status" as enum ('REPORTED', 'REGISTERED', 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED', 'CLOSED');`);

    this.addSql(`create table "grid_settings" (
      "id" smallint not null default 1,
      "high_risk_visit_days" smallint not null default 7,
      "key_risk_visit_days" smallint not null default 30,
      "general_risk_visit_days" smallint not null default 90,
      "red_resolve_minutes" int not null default 120,
      "yellow_resolve_minutes" int not null default 1440,
      "blue_resolve_minutes" int not null default 4320,
      "updated_at" timestamptz null,
      "updated_by" text null,
      constraint "grid_settings_pkey" primary key ("id"),
      constraint "grid_settings_singleton_check" check (id = 1),
      constraint "grid_settings_visit_days_check" check (high_risk_visit_days >= 1 and high_risk_visit_days <= 366 and key_risk_visit_days >= 1 and key_risk_visit_days <= 366 and general_risk_visit_days >= 1 and general_risk_visit_days <= 366),
      constraint "grid_settings_resolve_minutes_check" check (red_resolve_minutes >= 1 and red_resolve_minutes <= 43200 and yellow_resolve_minutes >= 1 and yellow_resolve_minutes <= 43200 and blue_resolve_minutes >= 1 and blue_resolve_minutes <= 43200));`);

    this.addSql(`create table "grid" (
      "id" uuid not null,
      "name" text not null,
      "name_en" text not null default '',
      "boundary" jsonb not null,
      "party_branch" text not null,
      "party_branch_en" text not null default '',
      "created_at" timestamptz not null,
      constraint "grid_pkey" primary key ("id"),
      constraint "grid_name_unique" unique ("name"),
      constraint "grid_boundary_check" check (jsonb_typeof(boundary) = 'object' and boundary ->> 'type' = any (array['Polygon', 'MultiPolygon'])));`);

    this.addSql(`create table "grid_worker" (
      "id" uuid not null,
      "grid_id" uuid not null,
      "user_id" text not null,
      "leader" boolean not null default false,
      "assigned_at" timestamptz not null,
      constraint "grid_worker_pkey" primary key ("id"),
      constraint "grid_worker_grid_id_user_id_unique" unique ("grid_id", "user_id"));`);
    this.addSql(`alter table "grid_worker" add constraint "grid_worker_grid_id_foreign" foreign key ("grid_id") references "grid" ("id") on update cascade on delete cascade;`);
    // Who works where, once per request (grid.access.ts).
    this.addSql(`create index "grid_worker_user_id_index" on "grid_worker" ("user_id");`);
    this.addSql(`create unique index "grid_worker_one_leader_unique" on "grid_worker" ("grid_id") where "leader";`);

    this.addSql(`create table "household" (
      "id" uuid not null,
      "grid_id" uuid not null,
      "address" text not null,
      "created_at" timestamptz not null,
      constraint "household_pkey" primary key ("id"));`);
    this.addSql(`alter table "household" add constraint "household_grid_id_foreign" foreign key ("grid_id") references "grid" ("id") on update cascade;`);
    this.addSql(`create index "household_grid_id_index" on "household" ("grid_id");`);

    this.addSql(`create table "resident" (
      "id" uuid not null,
      "household_id" uuid not null,
      "name" text not null,
      "phone" text null,
      "user_id" text null,
      "created_at" timestamptz not null,
      constraint "resident_pkey" primary key ("id"),
      constraint "resident_user_id_unique" unique ("user_id"));`);
    this.addSql(`alter table "resident" add constraint "resident_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`create index "resident_household_id_index" on "resident" ("household_id");`);

    this.addSql(`create table "care_record" (
      "id" uuid not null,
      "resident_id" uuid not null,
      "category" "care_category" not null,
      "risk_tier" "risk_tier" not null,
      "helper_id" text null,
      "notes" text not null default '',
      "enrolled_at" timestamptz not null,
      "last_visit_at" timestamptz null,
      "overdue_announced_for" date null,
      "updated_at" timestamptz not null,
      constraint "care_record_pkey" primary key ("id"),
      constraint "care_record_resident_id_unique" unique ("resident_id"));`);
    this.addSql(`alter table "care_record" add constraint "care_record_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "care_visit" (
      "id" uuid not null,
      "care_record_id" uuid null,
      "subject_pseudonym" text null,
      "grid_id" uuid not null,
      "worker_id" text not null,
      "visited_at" timestamptz not null,
      "mode" "visit_mode" not null,
      "notes" text null,
      "needs" text[] not null,
      "idempotency_key" text not null,
      "recorded_at" timestamptz not null,
      constraint "care_visit_pkey" primary key ("id"),
      constraint "care_visit_worker_id_idempotency_key_unique" unique ("worker_id", "idempotency_key"),
      constraint "care_visit_subject_check" check (care_record_id is not null or subject_pseudonym is not null),
      constraint "care_visit_idempotency_key_check" check (length(idempotency_key) >= 1 and length(idempotency_key) <= 200));`);
    // Set null, not cascade: visits outlive the care record as pseudonymous history.
    this.addSql(`alter table "care_visit" add constraint "care_visit_care_record_id_foreign" foreign key ("care_record_id") references "care_record" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "care_visit" add constraint "care_visit_grid_id_foreign" foreign key ("grid_id") references "grid" ("id") on update cascade;`);
    this.addSql(`create index "care_visit_care_record_id_visited_at_index" on "care_visit" ("care_record_id", "visited_at");`);
    this.addSql(`create index "care_visit_grid_id_visited_at_index" on "care_visit" ("grid_id", "visited_at");`);

    this.addSql(`create table "grid_case" (
      "id" uuid not null,
      "grid_id" uuid null,
      "care_record_id" uuid null,
      "subject_pseudonym" text null,
      "category" "case_category" not null,
      "urgency" "case_urgency" not null,
      "status" "case_status" not null default 'REPORTED',
      "title" text not null,
      "description" text not null default '',
      "location" text not null default '',
      "reporter_id" text not null,
      "idempotency_key" text not null,
      "reported_at" timestamptz not null,
      "resolve_by" timestamptz not null,
      "assignee_id" text null,
      "escalation_level" smallint not null default 0,
      "escalated_at" timestamptz null,
      "resolved_at" timestamptz null,
      "closed_at" timestamptz null,
      "evaluation_score" smallint null,
      "evaluation_comment" text null,
      "evaluated_at" timestamptz null,
      "updated_at" timestamptz not null,
      constraint "grid_case_pkey" primary key ("id"),
      constraint "grid_case_reporter_id_idempotency_key_unique" unique ("reporter_id", "idempotency_key"),
      constraint "grid_case_deadline_check" check (resolve_by > reported_at),
      constraint "grid_case_assignee_check" check (status = any (array['REPORTED', 'REGISTERED']::case_status[]) or assignee_id is not null),
      constraint "grid_case_escalation_level_check" check (escalation_level >= 0 and escalation_level <= 3),
      constraint "grid_case_evaluation_score_check" check (evaluation_score >= 1 and evaluation_score <= 5),
      constraint "grid_case_idempotency_key_check" check (length(idempotency_key) >= 1 and length(idempotency_key) <= 200));`);
    this.addSql(`alter table "grid_case" add constraint "grid_case_grid_id_foreign" foreign key ("grid_id") references "grid" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "grid_case" add constraint "grid_case_care_record_id_foreign" foreign key ("care_record_id") references "care_record" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "grid_case_grid_id_status_index" on "grid_case" ("grid_id", "status");`);
    // Keyset pages, newest first, and the month's statistics.
    this.addSql(`create index "grid_case_reported_at_id_index" on "grid_case" ("reported_at", "id");`);
    this.addSql(`create index "grid_case_reporter_id_reported_at_index" on "grid_case" ("reporter_id", "reported_at");`);
    this.addSql(`create index "grid_case_assignee_id_index" on "grid_case" ("assignee_id");`);
    // The escalation sweep reads only open cases past their deadline.
    this.addSql(`create index "grid_case_open_resolve_by_index" on "grid_case" ("resolve_by") where "status" in ('REPORTED', 'REGISTERED', 'DISPATCHED', 'IN_PROGRESS');`);

    this.addSql(`create table "grid_case_transition" (
      "id" uuid not null,
      "case_id" uuid not null,
      "from" "case_status" null,
      "to" "case_status" not null,
      "actor_id" text not null,
      "at" timestamptz not null,
      "note" text not null default '',
      constraint "grid_case_transition_pkey" primary key ("id"));`);
    this.addSql(`alter table "grid_case_transition" add constraint "grid_case_transition_case_id_foreign" foreign key ("case_id") references "grid_case" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "grid_case_transition_case_id_at_index" on "grid_case_transition" ("case_id", "at");`);
  }
}
