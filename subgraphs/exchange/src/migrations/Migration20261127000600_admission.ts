import { Migration } from '@mikro-orm/migrations';

/**
 * Admission: a registered community waits as PENDING until the gateway has checked its
 * health and contract, then becomes ACTIVE or REJECTED (with the reasons). Also the
 * federated-identity settings of a community (its token issuer and keys). The new enum
 * values are added, not used, inside this migration's transaction — Postgres allows no more.
 */
export class Migration20261127000600_admission extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "community_status" add value if not exists 'PENDING';`);
    this.addSql(`alter type "community_status" add value if not exists 'REJECTED';`);
    this.addSql(`alter table "community"
      add column "rejection_reasons" text[] null,
      add column "admission_checked_at" timestamptz null,
      add column "issuer" text null,
      add column "jwks_uri" text null,
      add column "jwks" jsonb null;`);
    // Members from before admission existed were admitted by whoever registered them.
    this.addSql(`update "community" set "admission_checked_at" = "joined_at";`);
  }
}
