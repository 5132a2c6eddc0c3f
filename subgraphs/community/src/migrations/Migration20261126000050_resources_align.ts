import { Migration } from '@mikro-orm/migrations';

/**
 * Brings the resources tables in line with their entities, so that the schema MikroORM
 * derives from the entities is the one these migrations build.
 *
 * - Column defaults equal to the entities' initial values. The ORM always writes these
 *   columns, so this changes no write it makes; it only stops the two descriptions differing.
 * - `resource_hold_expires_at_check` restated without `case`: PostgreSQL prints a `case`
 *   check in a form MikroORM cannot read back, so it would always report it as changed.
 *   `status` is not null, so the two forms accept exactly the same rows: a HELD hold has an
 *   expiry, a CONFIRMED one has none, any other status either.
 */
export class Migration20261126000050_resources_align extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "shared_resource"
      alter column "description" set default '',
      alter column "description_en" set default '',
      alter column "location_en" set default '',
      alter column "policy_requires_approval" set default false,
      alter column "policy_slot_minutes" set default 60,
      alter column "policy_min_duration_minutes" set default 60,
      alter column "policy_max_duration_minutes" set default 240,
      alter column "policy_lead_time_minutes" set default 60,
      alter column "policy_max_days_ahead" set default 30,
      alter column "policy_price_credits_per_slot" set default 0,
      alter column "status" set default 'ACTIVE';`);
    this.addSql(`alter table "availability_exception"
      alter column "reason" set default '',
      alter column "reason_en" set default '';`);
    this.addSql(`alter table "resource_hold"
      alter column "status" set default 'HELD',
      drop constraint "resource_hold_expires_at_check",
      add constraint "resource_hold_expires_at_check" check ((status <> 'HELD' or expires_at is not null) and (status <> 'CONFIRMED' or expires_at is null));`);
  }
}
