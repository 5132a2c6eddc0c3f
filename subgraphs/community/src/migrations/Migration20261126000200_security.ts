import { Migration } from '@mikro-orm/migrations';

/**
 * Smart security: the device registry and each device's credential (a SHA-256 of its secret,
 * never the secret) with its request allowance; alarms, the signals folded into them, their
 * handling steps and missed deadlines; the community's alarm settings; and access events,
 * whose subject is only a pseudonym. No column anywhere holds biometric data.
 */
export class Migration20261126000200_security extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "security_device_kind" as enum ('CAMERA', 'DOOR_ACCESS', 'FACE_TERMINAL', 'SMOKE_DETECTOR', 'OTHER');`);
    this.addSql(`create type "security_device_status" as enum ('ONLINE', 'OFFLINE', 'DISABLED');`);
    this.addSql(`create type "security_alarm_type" as enum ('FIRE_SMOKE', 'INTRUSION', 'TAILGATING', 'DEVICE_TAMPER', 'DEVICE_OFFLINE', 'PANIC', 'OTHER');`);
    this.addSql(`create type "security_alarm_severity" as enum ('CRITICAL', 'MAJOR', 'MINOR');`);
    this.addSql(`create type "security_alarm_status" as enum ('RAISED', 'ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE', 'RESOLVED', 'CLOSED', 'FALSE_ALARM');`);
    this.addSql(`create type "security_alarm_actor_kind" as enum ('DEVICE', 'STAFF', 'SYSTEM');`);
    this.addSql(`create type "security_alarm_sla_step" as enum ('ACKNOWLEDGE', 'ON_SCENE', 'RESOLVE');`);
    this.addSql(`create type "security_access_result" as enum ('GRANTED', 'DENIED');`);
    this.addSql(`create type "security_access_method" as enum ('CARD', 'PIN', 'FACE', 'QR');`);

    this.addSql(`create table "security_device" (
      "id" uuid not null,
      "kind" "security_device_kind" not null,
      "name" text not null,
      "name_en" text not null default '',
      "location" text not null,
      "location_en" text not null default '',
      "status" "security_device_status" not null default 'OFFLINE',
      "heartbeat_interval_seconds" int not null default 60,
      "last_heartbeat_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "security_device_pkey" primary key ("id"),
      constraint "security_device_heartbeat_interval_seconds_check" check (heartbeat_interval_seconds >= 10 and heartbeat_interval_seconds <= 86400));`);
    this.addSql(`create index "security_device_created_at_id_index" on "security_device" ("created_at", "id");`);

    this.addSql(`create table "security_device_credential" (
      "device_id" uuid not null,
      "secret_hash" text not null,
      "issued_at" timestamptz not null,
      "rate_tokens" double precision not null default 20,
      "rate_refilled_at" timestamptz not null,
      constraint "security_device_credential_pkey" primary key ("device_id"),
      constraint "security_device_credential_secret_hash_check" check (length(secret_hash) = 64),
      constraint "security_device_credential_rate_tokens_check" check (rate_tokens >= (0)::double precision));`);
    this.addSql(`alter table "security_device_credential" add constraint "security_device_credential_device_id_foreign" foreign key ("device_id") references "security_device" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "security_alarm" (
      "id" uuid not null,
      "type" "security_alarm_type" not null,
      "severity" "security_alarm_severity" not null,
      "status" "security_alarm_status" not null default 'RAISED',
      "device_id" uuid not null,
      "count" int not null default 1,
      "raised_at" timestamptz not null,
      "last_raised_at" timestamptz not null,
      "acknowledge_due_at" timestamptz not null,
      "on_scene_due_at" timestamptz not null,
      "resolve_due_at" timestamptz not null,
      "acknowledged_at" timestamptz null,
      "dispatched_at" timestamptz null,
      "on_scene_at" timestamptz null,
      "resolved_at" timestamptz null,
      "closed_at" timestamptz null,
      "assignee_id" text null,
      "escalation_level" smallint not null default 0,
      "last_escalated_at" timestamptz null,
      "updated_at" timestamptz not null,
      constraint "security_alarm_pkey" primary key ("id"),
      constraint "security_alarm_count_check" check (count >= 1),
      constraint "security_alarm_escalation_level_check" check (escalation_level >= 0 and escalation_level <= 3),
      constraint "security_alarm_last_raised_at_check" check (last_raised_at >= raised_at));`);
    this.addSql(`create index "security_alarm_raised_at_id_index" on "security_alarm" ("raised_at", "id");`);
    this.addSql(`create index "security_alarm_open_device_type_index" on "security_alarm" ("device_id", "type", "last_raised_at") where "status" in ('RAISED', 'ACKNOWLEDGED', 'DISPATCHED', 'ON_SCENE');`);
    this.addSql(`alter table "security_alarm" add constraint "security_alarm_device_id_foreign" foreign key ("device_id") references "security_device" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "security_alarm_transition" (
      "id" uuid not null,
      "alarm_id" uuid not null,
      "from" "security_alarm_status" null,
      "to" "security_alarm_status" not null,
      "actor_kind" "security_alarm_actor_kind" not null,
      "actor_id" text null,
      "at" timestamptz not null,
      "note" text not null default '',
      constraint "security_alarm_transition_pkey" primary key ("id"),
      constraint "security_alarm_transition_note_check" check (length(note) <= 500));`);
    this.addSql(`create index "security_alarm_transition_alarm_id_at_index" on "security_alarm_transition" ("alarm_id", "at");`);
    this.addSql(`alter table "security_alarm_transition" add constraint "security_alarm_transition_alarm_id_foreign" foreign key ("alarm_id") references "security_alarm" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "security_alarm_signal" (
      "id" uuid not null,
      "alarm_id" uuid not null,
      "device_id" uuid not null,
      "idempotency_key" text null,
      "received_at" timestamptz not null,
      constraint "security_alarm_signal_pkey" primary key ("id"));`);
    this.addSql(`create index "security_alarm_signal_alarm_id_index" on "security_alarm_signal" ("alarm_id");`);
    this.addSql(`alter table "security_alarm_signal" add constraint "security_alarm_signal_device_id_idempotency_key_unique" unique ("device_id", "idempotency_key");`);
    this.addSql(`alter table "security_alarm_signal" add constraint "security_alarm_signal_alarm_id_foreign" foreign key ("alarm_id") references "security_alarm" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "security_alarm_signal" add constraint "security_alarm_signal_device_id_foreign" foreign key ("device_id") references "security_device" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "security_alarm_escalation" (
      "id" uuid not null,
      "alarm_id" uuid not null,
      "step" "security_alarm_sla_step" not null,
      "level" smallint not null,
      "due_at" timestamptz not null,
      "escalated_at" timestamptz not null,
      constraint "security_alarm_escalation_pkey" primary key ("id"),
      constraint "security_alarm_escalation_level_check" check (level >= 1 and level <= 3));`);
    this.addSql(`alter table "security_alarm_escalation" add constraint "security_alarm_escalation_alarm_id_step_unique" unique ("alarm_id", "step");`);
    this.addSql(`alter table "security_alarm_escalation" add constraint "security_alarm_escalation_alarm_id_foreign" foreign key ("alarm_id") references "security_alarm" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "security_settings" (
      "id" smallint not null default 1,
      "dedup_window_minutes" int not null default 5,
      "critical_acknowledge_minutes" int not null default 2,
      "critical_on_scene_minutes" int not null default 10,
      "critical_resolve_minutes" int not null default 60,
      "major_acknowledge_minutes" int not null default 10,
      "major_on_scene_minutes" int not null default 30,
      "major_resolve_minutes" int not null default 240,
      "minor_acknowledge_minutes" int not null default 60,
      "minor_on_scene_minutes" int not null default 240,
      "minor_resolve_minutes" int not null default 1440,
      "updated_at" timestamptz null,
      "updated_by" text null,
      constraint "security_settings_pkey" primary key ("id"),
      constraint "security_settings_singleton_check" check (id = 1),
      constraint "security_settings_critical_check" check (critical_acknowledge_minutes >= 1 and critical_acknowledge_minutes <= critical_on_scene_minutes and critical_on_scene_minutes <= critical_resolve_minutes and critical_resolve_minutes <= 10080),
      constraint "security_settings_major_check" check (major_acknowledge_minutes >= 1 and major_acknowledge_minutes <= major_on_scene_minutes and major_on_scene_minutes <= major_resolve_minutes and major_resolve_minutes <= 10080),
      constraint "security_settings_minor_check" check (minor_acknowledge_minutes >= 1 and minor_acknowledge_minutes <= minor_on_scene_minutes and minor_on_scene_minutes <= minor_resolve_minutes and minor_resolve_minutes <= 10080),
      constraint "security_settings_dedup_window_minutes_check" check (dedup_window_minutes >= 0 and dedup_window_minutes <= 1440));`);

    this.addSql(`create table "security_access_event" (
      "id" uuid not null,
      "device_id" uuid not null,
      "occurred_at" timestamptz not null,
      "result" "security_access_result" not null,
      "method" "security_access_method" not null,
      "subject_pseudonym" text null,
      "idempotency_key" text not null,
      "recorded_at" timestamptz not null,
      constraint "security_access_event_pkey" primary key ("id"),
      constraint "security_access_event_subject_pseudonym_check" check (length(subject_pseudonym) = 64));`);
    this.addSql(`create index "security_access_event_occurred_at_id_index" on "security_access_event" ("occurred_at", "id");`);
    this.addSql(`create index "security_access_event_subject_pseudonym_index" on "security_access_event" ("subject_pseudonym", "occurred_at");`);
    this.addSql(`alter table "security_access_event" add constraint "security_access_event_device_id_idempotency_key_unique" unique ("device_id", "idempotency_key");`);
    this.addSql(`alter table "security_access_event" add constraint "security_access_event_device_id_foreign" foreign key ("device_id") references "security_device" ("id") on update cascade on delete cascade;`);
  }
}
